using System;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Engine.Tests.Support;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests;

/// <summary>A session resolves once from options and environment, and routes each service to its endpoint.</summary>
public sealed class AwsSessionTests : IClassFixture<MotoFixture>
{
    private readonly MotoFixture _moto;

    public AwsSessionTests(MotoFixture moto) => _moto = moto;

    [Fact]
    public async Task ServiceVariableRoutesOnlyThatServiceToMoto()
    {
        using var home = new FakeHome("[default]\naws_access_key_id = testing\naws_secret_access_key = testing\n", "[default]\nregion = eu-central-1\n");
        var environment = home.Environment(("AWS_ENDPOINT_URL_ECS", _moto.Url.ToString()));
        var cluster = MotoSessions.UniqueName("routed");
        await AwsCli.RunJsonAsync(_moto.Url, "--region", "eu-central-1", "ecs", "create-cluster", "--cluster-name", cluster);

        using var session = AwsSession.Create(new AwsSessionOptions(), MotoSessions.Runtime(environment));
        var clusters = await session.Ecs.ListClustersAsync();

        Assert.Equal((new ResolvedRegion("eu-central-1", "profile 'default'"), "profile 'default'"), (session.Region, session.CredentialSource));
        Assert.Contains(clusters, arn => arn == $"arn:aws:ecs:eu-central-1:{MotoSessions.Account}:cluster/{cluster}");
        Assert.Equal(_moto.Url, session.GetEndpoint(AwsServices.Ecs));
        Assert.Equal(new Uri("https://ec2.eu-central-1.amazonaws.com/"), session.GetEndpoint(AwsServices.Ec2));
    }

    [Fact]
    public void BadEndpointVariableStopsTheSessionBeforeAnyCall()
    {
        var environment = new FixedAwsEnvironment().With("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", "elb.local:4566");
        var options = new AwsSessionOptions { Region = "us-east-1", Credential = new Amazon.Runtime.BasicAWSCredentials("a", "b") };

        var error = Assert.Throws<AwsConfigurationException>(() => AwsSession.Create(options, MotoSessions.Runtime(environment)));

        Assert.Equal(AwsConfigurationProblem.InvalidEndpointUrl, error.Problem);
        Assert.Contains("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", error.Message);
    }

    [Fact]
    public async Task CallCounterSnapshotListsEachOperation()
    {
        using var session = MotoSessions.Create(_moto);

        await session.Ecs.ListClustersAsync();
        await session.Ecs.ListClustersAsync();
        await session.Sts.GetCallerIdentityAsync();

        Assert.Equal(
            new[] { new AwsCallCount("ECS", "ListClusters", 2, 2), new AwsCallCount("STS", "GetCallerIdentity", 1, 1) },
            session.Calls.Snapshot());
        Assert.Equal((3, 3), (session.Calls.TotalCalls, session.Calls.TotalAttempts));
    }
}
