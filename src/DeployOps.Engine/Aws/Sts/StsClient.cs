using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Sts;

/// <summary>Who the credentials belong to (<c>GetCallerIdentity</c>).</summary>
public sealed record CallerIdentity(string Account, string Arn, string UserId);

/// <summary>AWS STS, typed: GetCallerIdentity.</summary>
public sealed class StsClient
{
    private static readonly AwsOperation GetCallerIdentityOperation = AwsOperation.Idempotent("GetCallerIdentity");

    internal StsClient(AwsQueryClient protocol)
    {
        Protocol = protocol;
    }

    /// <summary>The query client underneath.</summary>
    public AwsQueryClient Protocol { get; }

    /// <summary>GetCallerIdentity: the account, ARN and user id of the session's credentials.</summary>
    public async Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken = default)
    {
        var result = await Protocol.CallAsync(GetCallerIdentityOperation, new AwsParameters(), cancellationToken).ConfigureAwait(false);
        return new CallerIdentity(result.Text("Account") ?? string.Empty, result.Text("Arn") ?? string.Empty, result.Text("UserId") ?? string.Empty);
    }
}
