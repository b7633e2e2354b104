using System;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Aws.Iam;
using DeployOps.Engine.Tests.Support;
using Xunit;

namespace DeployOps.Engine.Tests.Configuration;

public sealed class EndpointResolutionTests
{
    public static TheoryData<AwsServiceDescription, string> ServiceVariables => new()
    {
        { AwsServices.Ecs, "AWS_ENDPOINT_URL_ECS" },
        { AwsServices.ElasticLoadBalancingV2, "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2" },
        { AwsServices.Ec2, "AWS_ENDPOINT_URL_EC2" },
        { AwsServices.CloudWatchLogs, "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS" },
        { AwsServices.Sts, "AWS_ENDPOINT_URL_STS" },
        { AwsServices.CloudFormation, "AWS_ENDPOINT_URL_CLOUDFORMATION" },
        { AwsServices.Lightsail, "AWS_ENDPOINT_URL_LIGHTSAIL" },
        { AwsServices.Rds, "AWS_ENDPOINT_URL_RDS" },
    };

    [Theory]
    [MemberData(nameof(ServiceVariables))]
    public void ServiceVariableIsNamedAfterTheServiceId(AwsServiceDescription service, string variable)
    {
        var environment = Environment((variable, "http://127.0.0.1:4566"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:9999"));

        Assert.Equal(variable, service.EndpointVariable);
        Assert.Equal(new Uri("http://127.0.0.1:4566"), AwsEndpointResolver.Resolve(service, "us-east-1", null, environment));
    }

    [Fact]
    public void ExplicitUrlBeatsTheVariables()
    {
        var environment = Environment(("AWS_ENDPOINT_URL_ECS", "http://127.0.0.1:4566"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:9999"));

        var endpoint = AwsEndpointResolver.Resolve(AwsServices.Ecs, "us-east-1", "https://sandbox.example.com:8443/", environment);

        Assert.Equal(new Uri("https://sandbox.example.com:8443/"), endpoint);
    }

    [Fact]
    public void GlobalVariableAppliesToServicesWithoutTheirOwn()
    {
        var environment = Environment(("AWS_ENDPOINT_URL_ECS", "http://127.0.0.1:4566"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:9999"));

        Assert.Equal(new Uri("http://127.0.0.1:9999"), AwsEndpointResolver.Resolve(AwsServices.Ec2, "us-east-1", null, environment));
    }

    [Fact]
    public void IgnoreConfiguredEndpointUrlsDisablesTheVariablesButNotTheParameter()
    {
        var environment = Environment(
            ("AWS_ENDPOINT_URL_ECS", "http://127.0.0.1:4566"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:9999"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE"));

        Assert.Equal(new Uri("https://ecs.us-east-1.amazonaws.com/"), AwsEndpointResolver.Resolve(AwsServices.Ecs, "us-east-1", null, environment));
        Assert.Equal(new Uri("http://127.0.0.1:1/"), AwsEndpointResolver.Resolve(AwsServices.Ecs, "us-east-1", "http://127.0.0.1:1/", environment));
    }

    [Theory]
    [InlineData("eu-west-1", "https://elasticloadbalancing.eu-west-1.amazonaws.com/")]
    [InlineData("cn-north-1", "https://elasticloadbalancing.cn-north-1.amazonaws.com.cn/")]
    public void DefaultEndpointIsThePrefixInTheRegion(string region, string expected) =>
        Assert.Equal(new Uri(expected), AwsEndpointResolver.Resolve(AwsServices.ElasticLoadBalancingV2, region, null, Environment()));

    [Theory]
    [InlineData("eu-west-1", "https://iam.amazonaws.com/")]
    [InlineData("us-east-1", "https://iam.amazonaws.com/")]
    [InlineData("cn-northwest-1", "https://iam.cn-north-1.amazonaws.com.cn/")]
    [InlineData("us-gov-east-1", "https://iam.us-gov.amazonaws.com/")]
    public void AGlobalServiceHasOneEndpointPerPartition(string region, string expected) =>
        Assert.Equal(new Uri(expected), AwsEndpointResolver.Resolve(IamApi.Description, region, null, Environment()));

    [Theory]
    [InlineData("localhost:4566")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("/relative/path")]
    [InlineData("http//missing-colon")]
    public void MalformedExplicitUrlIsAnErrorNamingTheValue(string bad)
    {
        var error = Assert.Throws<AwsConfigurationException>(() => AwsEndpointResolver.Resolve(AwsServices.Ecs, "us-east-1", bad, Environment()));

        Assert.Equal(AwsConfigurationProblem.InvalidEndpointUrl, error.Problem);
        Assert.Contains($"'{bad}' (from -EndpointUrl)", error.Message);
        Assert.Contains("absolute http or https URL", error.Message);
    }

    [Fact]
    public void MalformedVariableIsAnErrorNamingTheVariable()
    {
        var environment = Environment(("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "127.0.0.1:4566"));

        var error = Assert.Throws<AwsConfigurationException>(
            () => AwsEndpointResolver.Resolve(AwsServices.CloudWatchLogs, "us-east-1", null, environment));

        Assert.Contains("(from AWS_ENDPOINT_URL_CLOUDWATCH_LOGS)", error.Message);
    }

    private static FixedAwsEnvironment Environment(params (string Name, string Value)[] variables) => FakeHome.Of(null, variables);
}
