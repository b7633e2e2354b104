using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Iam;

/// <summary>An IAM role (<c>Role</c>): its name, ARN and when it was made.</summary>
public sealed record IamRole
{
    /// <summary><c>RoleName</c>.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary><c>Arn</c>.</summary>
    public string Arn { get; init; } = string.Empty;

    /// <summary><c>CreateDate</c>.</summary>
    public System.DateTimeOffset? CreatedAt { get; init; }

    internal static IamRole Read(XElement e) => new()
    {
        Name = e.Text("RoleName") ?? string.Empty,
        Arn = e.Text("Arn") ?? string.Empty,
        CreatedAt = e.Timestamp("CreateDate"),
    };
}

/// <summary>AWS IAM, typed: GetRole.</summary>
public sealed class IamClient
{
    private static readonly AwsOperation GetRoleOperation = AwsOperation.Idempotent("GetRole");

    internal IamClient(AwsQueryClient protocol)
    {
        Protocol = protocol;
    }

    /// <summary>The query client underneath.</summary>
    public AwsQueryClient Protocol { get; }

    /// <summary>GetRole: the role named <paramref name="name"/>; a role that does not exist is IAM's <c>NoSuchEntity</c> (NotFound).</summary>
    public Task<IamRole> GetRoleAsync(string name, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(GetRoleOperation, new AwsParameters { { "RoleName", name } }, result => IamRole.Read(result.Required("Role")), cancellationToken);
}
