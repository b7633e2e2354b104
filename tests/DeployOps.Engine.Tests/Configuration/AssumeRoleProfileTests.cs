using System;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Engine.Tests.Support;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Configuration;

/// <summary>Tests that set a variable of the test process itself; they must not run beside other tests.</summary>
[CollectionDefinition(nameof(ProcessEnvironmentCollection), DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
}

/// <summary>
/// A role_arn profile end to end: AWSSDK.Core (with AWSSDK.SecurityToken) calls moto's AssumeRole and the session
/// signs with the role's keys. The SDK's own STS client reads AWS_ENDPOINT_URL_STS from the process, not from
/// <see cref="DeployOps.Aws.Configuration.IAwsEnvironment"/>, so this test sets it on the process for its duration.
/// </summary>
[Collection(nameof(ProcessEnvironmentCollection))]
public sealed class AssumeRoleProfileTests : IClassFixture<MotoFixture>
{
    private const string StsVariable = "AWS_ENDPOINT_URL_STS";

    private readonly MotoFixture _moto;

    public AssumeRoleProfileTests(MotoFixture moto) => _moto = moto;

    [Fact]
    public async Task RoleArnProfileAssumesTheRoleThroughSts()
    {
        using var home = new FakeHome(
            "[source]\naws_access_key_id = AKIDSOURCE\naws_secret_access_key = " + FakeHome.SecretKey + "\n",
            "[profile deployer]\nrole_arn = arn:aws:iam::123456789012:role/deployer\nsource_profile = source\nrole_session_name = deployops-test\n");
        var previous = Environment.GetEnvironmentVariable(StsVariable);
        Environment.SetEnvironmentVariable(StsVariable, _moto.Url.ToString());
        try
        {
            using var session = AwsSession.Create(
                new AwsSessionOptions { ProfileName = "deployer", Region = MotoSessions.Region, EndpointUrl = _moto.Url.ToString() },
                MotoSessions.Runtime(home.Environment()));

            var identity = await session.Sts.GetCallerIdentityAsync();

            Assert.Equal("profile 'deployer'", session.CredentialSource);
            Assert.Equal("arn:aws:sts::123456789012:assumed-role/deployer/deployops-test", identity.Arn);
        }
        finally
        {
            Environment.SetEnvironmentVariable(StsVariable, previous);
        }
    }
}
