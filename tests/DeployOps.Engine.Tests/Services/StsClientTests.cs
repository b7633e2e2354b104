using System.Threading.Tasks;
using DeployOps.Engine.Tests.Support;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Services;

public sealed class StsClientTests : MotoSessionTest
{
    public StsClientTests(MotoFixture moto)
        : base(moto)
    {
    }

    [Fact]
    public async Task CallerIdentityMatchesTheCli()
    {
        var cli = await AwsCli.RunJsonAsync(Moto.Url, "sts", "get-caller-identity");

        var identity = await Session.Sts.GetCallerIdentityAsync();

        Assert.Equal((MotoSessions.Account, cli.Text("Arn"), cli.Text("UserId")), (identity.Account, (string?)identity.Arn, (string?)identity.UserId));
    }
}
