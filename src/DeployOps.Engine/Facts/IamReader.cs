using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Iam;

namespace DeployOps.Facts;

/// <summary>Reads IAM roles (a flow log's delivery role): the role, absent when IAM says NoSuchEntity, a gap when it cannot be read.</summary>
public sealed class IamReader
{
    private readonly AwsFacts _facts;

    internal IamReader(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>The role <paramref name="roleArn"/> names (GetRole takes the name: the ARN's last segment, after any path).</summary>
    public Task<Fact<IamRole>> RoleAsync(string roleArn, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"IAM role {AwsArn.LastSegment(roleArn)}", () => _facts.Session.Client<IamClient>().GetRoleAsync(AwsArn.LastSegment(roleArn), cancellationToken));
}
