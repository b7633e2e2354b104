using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.SecretsManager;

/// <summary>
/// AWS Secrets Manager, typed: GetSecretValue only. The value is handed to the caller's reader inside the call and never
/// kept here: a caller takes what it needs (a host and a port) and drops the rest.
/// </summary>
public sealed class SecretsManagerClient
{
    private static readonly AwsOperation GetSecretValueOperation = AwsOperation.Idempotent("GetSecretValue");

    internal SecretsManagerClient(AwsJsonClient protocol)
    {
        Protocol = protocol;
    }

    /// <summary>The JSON client underneath, for operations without a typed method.</summary>
    public AwsJsonClient Protocol { get; }

    /// <summary>
    /// GetSecretValue of the current version of <paramref name="secretId"/> (a name or an ARN): <paramref name="read"/> gets
    /// its <c>SecretString</c> (null for a binary secret) and returns what the caller keeps. An unknown secret fails with
    /// ResourceNotFoundException (NotFound).
    /// </summary>
    public Task<T> ReadSecretStringAsync<T>(string secretId, System.Func<string?, T> read, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(GetSecretValueOperation, new AwsParameters { { "SecretId", secretId } }, result => read(result.String("SecretString")), cancellationToken);
}
