using System;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Engine.Tests.Support;
using Xunit;

namespace DeployOps.Engine.Tests.Configuration;

/// <summary>Every rung of the region order, with a temp config file and an injected environment.</summary>
public sealed class RegionResolutionTests : IDisposable
{
    private const string Config = @"
[default]
region = eu-west-1

[profile named]
region = ap-southeast-2

[profile from-variable]
region = ca-central-1

[profile broken]
region = Europe
";

    private readonly FakeHome _home = new(config: Config);

    public void Dispose() => _home.Dispose();

    [Fact]
    public void ExplicitRegionComesFirst()
    {
        var region = Resolve(
            new AwsSessionOptions { Region = "us-east-2", ShellDefaultRegion = "us-west-1", ProfileName = "named" },
            _home.Environment(("AWS_REGION", "sa-east-1")));

        Assert.Equal(new ResolvedRegion("us-east-2", "-Region"), region);
    }

    [Fact]
    public void ShellDefaultBeatsTheEnvironment()
    {
        var region = Resolve(new AwsSessionOptions { ShellDefaultRegion = "us-west-1" }, _home.Environment(("AWS_REGION", "sa-east-1")));

        Assert.Equal(new ResolvedRegion("us-west-1", "$StoredAWSRegion"), region);
    }

    [Fact]
    public void AwsRegionBeatsAwsDefaultRegion()
    {
        var region = Resolve(new AwsSessionOptions(), _home.Environment(("AWS_REGION", "sa-east-1"), ("AWS_DEFAULT_REGION", "eu-north-1")));

        Assert.Equal(new ResolvedRegion("sa-east-1", "AWS_REGION"), region);
    }

    [Fact]
    public void AwsDefaultRegionBeatsTheProfile()
    {
        var region = Resolve(new AwsSessionOptions { ProfileName = "named" }, _home.Environment(("AWS_DEFAULT_REGION", "eu-north-1")));

        Assert.Equal(new ResolvedRegion("eu-north-1", "AWS_DEFAULT_REGION"), region);
    }

    [Fact]
    public void NamedProfileRegionBeatsAwsProfileRegion()
    {
        var region = Resolve(new AwsSessionOptions { ProfileName = "named" }, _home.Environment(("AWS_PROFILE", "from-variable")));

        Assert.Equal(new ResolvedRegion("ap-southeast-2", "profile 'named'"), region);
    }

    [Fact]
    public void AwsProfileRegionBeatsTheDefaultProfile()
    {
        var region = Resolve(new AwsSessionOptions(), _home.Environment(("AWS_PROFILE", "from-variable")));

        Assert.Equal(new ResolvedRegion("ca-central-1", "profile 'from-variable'"), region);
    }

    [Fact]
    public void DefaultProfileRegionIsTheLastRung()
    {
        var region = Resolve(new AwsSessionOptions(), _home.Environment());

        Assert.Equal(new ResolvedRegion("eu-west-1", "profile 'default'"), region);
    }

    [Fact]
    public void NoRegionIsAnErrorThatSaysHowToProvideIt()
    {
        using var emptyHome = new FakeHome();

        var error = Assert.Throws<AwsConfigurationException>(() => Resolve(new AwsSessionOptions(), emptyHome.Environment()));

        Assert.Equal(AwsConfigurationProblem.NoRegion, error.Problem);
        foreach (var way in new[] { "-Region", "Set-DefaultAWSRegion", "AWS_REGION", "AWS_DEFAULT_REGION", emptyHome.ConfigFile })
        {
            Assert.Contains(way, error.Message);
        }
    }

    [Theory]
    [InlineData("us-east-1")]
    [InlineData("us-gov-west-1")]
    [InlineData("cn-northwest-1")]
    [InlineData("eu-isoe-west-1")]
    [InlineData("ap-southeast-5")]
    [InlineData("eusc-de-east-1")]
    public void RegionNamesOfEveryPartitionAreAccepted(string name) => Assert.True(ResolvedRegion.IsWellFormed(name));

    [Theory]
    [InlineData("US-EAST-1")]
    [InlineData("us-east")]
    [InlineData("useast1")]
    [InlineData("us-east-1a")]
    [InlineData("https://us-east-1")]
    public void MalformedRegionIsAnErrorNamingTheValueAndItsSource(string bad)
    {
        var error = Assert.Throws<AwsConfigurationException>(() => Resolve(new AwsSessionOptions { Region = bad }, _home.Environment()));

        Assert.Equal(AwsConfigurationProblem.InvalidRegion, error.Problem);
        Assert.Contains($"'{bad}' (from -Region)", error.Message);
        Assert.Contains("us-east-1", error.Message);
    }

    [Fact]
    public void RegionFilledFromTheSettingsFileNamesThatSource()
    {
        var error = Assert.Throws<AwsConfigurationException>(() => Resolve(
            new AwsSessionOptions { Region = "Ireland", RegionSource = "environment 'dev' of deployops.json" }, _home.Environment()));

        Assert.Contains("'Ireland' (from environment 'dev' of deployops.json)", error.Message);
    }

    [Theory]
    [InlineData("us-east-1", true)]
    [InlineData("eusc-de-east-1", true)]
    [InlineData("xx-fake-9", false)]
    [InlineData("eu-west-9", false)]
    public void KnownRegionsAreThoseTheAwsSdkKnows(string name, bool known) =>
        Assert.Equal(known, new ResolvedRegion(name, "-Region").IsKnown);

    [Fact]
    public void MalformedProfileRegionNamesTheProfile()
    {
        var error = Assert.Throws<AwsConfigurationException>(() => Resolve(new AwsSessionOptions { ProfileName = "broken" }, _home.Environment()));

        Assert.Contains("'Europe' (from profile 'broken')", error.Message);
    }

    private static ResolvedRegion Resolve(AwsSessionOptions options, IAwsEnvironment environment) =>
        AwsRegionResolver.Resolve(options, environment, new AwsProfileStore(environment, NoMachineCredentials.Instance, options.ProfileLocation));
}
