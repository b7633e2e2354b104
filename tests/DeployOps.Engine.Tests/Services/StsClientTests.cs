using System.Threading.Tasks;
using DeployOps.Engine.Tests.Support;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Services;

public sealed class StsClientTests : IClassFixture<MotoFixture>
{
    private readonly MotoFixture _moto;

    public StsClientTests(MotoFixture moto) => _moto = moto;

    [Fact]
    public async Task CallerIdentityMatchesTheCli()
    {
        using var session = MotoSessions.Create(_moto);
        var cli = await AwsCli.RunAsync(_moto, "sts", "get-caller-identity");

        var identity = await session.Sts.GetCallerIdentityAsync();

        Assert.Equal((MotoSessions.Account, cli.Text("Arn"), cli.Text("UserId")), (identity.Account, (string?)identity.Arn, (string?)identity.UserId));
    }
}
