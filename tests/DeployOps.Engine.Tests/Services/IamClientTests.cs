using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Iam;
using DeployOps.Engine.Tests.Support;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Services;

/// <summary>IAM's GetRole over real HTTP against moto, the role made with the aws CLI (the oracle); a missing role is NoSuchEntity, NotFound.</summary>
public sealed class IamClientTests : MotoSessionTest
{
    private const string FlowLogsTrust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"vpc-flow-logs.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    public IamClientTests(MotoFixture moto)
        : base(moto)
    {
    }

    [Fact]
    public async Task GetRole_reads_the_role_the_cli_made()
    {
        var name = MotoSessions.UniqueName("flow-role");
        var cli = (await AwsCli.RunJsonAsync(Moto.Url, "iam", "create-role", "--role-name", name, "--assume-role-policy-document", FlowLogsTrust)).GetProperty("Role");

        var role = await Session.Client<IamClient>().GetRoleAsync(name);

        Assert.Equal((cli.GetProperty("RoleName").GetString(), cli.GetProperty("Arn").GetString()), (role.Name, role.Arn));
        Assert.NotNull(role.CreatedAt);
    }

    [Fact]
    public async Task GetRole_of_a_role_that_does_not_exist_is_NoSuchEntity()
    {
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Session.Client<IamClient>().GetRoleAsync(MotoSessions.UniqueName("gone")));

        Assert.Equal(("NoSuchEntity", AwsErrorClassification.NotFound), (error.ErrorCode, error.Classification));
    }
}
