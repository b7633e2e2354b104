using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.ElasticLoadBalancing;
using DeployOps.Aws.Protocols;
using DeployOps.Engine.Tests.Support;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Services;

/// <summary>The typed ELBv2 client over real HTTP against moto; the AWS CLI is the oracle for what moto holds.</summary>
public sealed class ElasticLoadBalancingClientTests : MotoSessionTest
{
    public ElasticLoadBalancingClientTests(MotoFixture moto)
        : base(moto)
    {
    }

    private ElasticLoadBalancingClient Elb => Session.LoadBalancing;

    [Fact]
    public async Task TargetGroupsLoadBalancersAndListenersReadWhatTheCliReads()
    {
        var network = await MotoNetwork.CreateAsync(Session);
        var (loadBalancerArn, targetGroupArn) = await CreateWiredLoadBalancerAsync(network);
        var cliGroup = (await AwsCli.RunJsonAsync(Moto.Url, "elbv2", "describe-target-groups", "--target-group-arns", targetGroupArn)).Get("TargetGroups.0");
        var cliBalancer = (await AwsCli.RunJsonAsync(Moto.Url, "elbv2", "describe-load-balancers", "--load-balancer-arns", loadBalancerArn)).Get("LoadBalancers.0");

        var group = (await Elb.DescribeTargetGroupsAsync(new[] { targetGroupArn })).Single();
        var ofBalancer = await Elb.DescribeTargetGroupsOfLoadBalancerAsync(loadBalancerArn);
        var balancer = (await Elb.DescribeLoadBalancersAsync(new[] { loadBalancerArn })).Single();
        var listener = (await Elb.DescribeListenersAsync(loadBalancerArn)).Single();

        Assert.Equal((cliGroup.Text("TargetGroupName"), "HTTP", 8080, network.VpcId, "ip"), (group.Name, group.Protocol, group.Port, group.VpcId, group.TargetType));
        Assert.Equal(
            new ElbHealthCheck
            {
                Protocol = "HTTP", Port = cliGroup.Text("HealthCheckPort"), Path = "/health", Enabled = true, IntervalSeconds = 15,
                TimeoutSeconds = 5, HealthyThresholdCount = 3, UnhealthyThresholdCount = 4, Matcher = "200-299",
            },
            group.HealthCheck);
        Assert.Equal(new[] { loadBalancerArn }, group.LoadBalancerArns);
        Assert.Equal(targetGroupArn, ofBalancer.Single().Arn);
        Assert.Equal((cliBalancer.Text("LoadBalancerName"), cliBalancer.Text("DNSName"), "internet-facing", "application"), (balancer.Name, balancer.DnsName, balancer.Scheme, balancer.Type));
        Assert.Equal((cliBalancer.Text("State.Code"), network.VpcId, network.SecurityGroupId), (balancer.State, balancer.VpcId, balancer.SecurityGroups.Single()));
        Assert.Equal((80, "HTTP", "forward"), (listener.Port, listener.Protocol, listener.DefaultActions.Single().Type));
        Assert.Equal(new[] { targetGroupArn }, listener.DefaultActions.Single().TargetGroupArns);
    }

    [Fact]
    public async Task TargetHealthListsEveryRegisteredTarget()
    {
        var network = await MotoNetwork.CreateAsync(Session);
        var (_, targetGroupArn) = await CreateWiredLoadBalancerAsync(network);
        await AwsCli.RunJsonAsync(Moto.Url, "elbv2", "register-targets", "--target-group-arn", targetGroupArn, "--targets", "Id=10.0.1.10,Port=8080", "Id=10.0.1.11,Port=8080");
        var cli = await AwsCli.RunJsonAsync(Moto.Url, "elbv2", "describe-target-health", "--target-group-arn", targetGroupArn);

        var health = await Elb.DescribeTargetHealthAsync(targetGroupArn);

        Assert.Equal(new[] { "10.0.1.10", "10.0.1.11" }, health.Select(h => h.TargetId).OrderBy(id => id));
        Assert.All(health, target => Assert.Equal((8080, cli.Text("TargetHealthDescriptions.0.TargetHealth.State")), (target.Port, (string?)target.State)));
        Assert.Equal(cli.Text("TargetHealthDescriptions.0.HealthCheckPort"), health[0].HealthCheckPort);
    }

    [Fact]
    public async Task ModifyTargetGroupChangesOnlyTheGivenHealthCheckSettings()
    {
        var network = await MotoNetwork.CreateAsync(Session);
        var (_, targetGroupArn) = await CreateWiredLoadBalancerAsync(network);

        var modified = await Elb.ModifyTargetGroupAsync(targetGroupArn, new ElbHealthCheck { Path = "/ready", Matcher = "200", IntervalSeconds = 30 });
        var cli = (await AwsCli.RunJsonAsync(Moto.Url, "elbv2", "describe-target-groups", "--target-group-arns", targetGroupArn)).Get("TargetGroups.0");

        Assert.Equal(("/ready", "200", 30, 3), (modified.HealthCheck.Path, modified.HealthCheck.Matcher, modified.HealthCheck.IntervalSeconds, modified.HealthCheck.HealthyThresholdCount));
        Assert.Equal(("/ready", "200", 30), (cli.Text("HealthCheckPath"), cli.Text("Matcher.HttpCode"), cli.Number("HealthCheckIntervalSeconds")));
    }

    [Fact]
    public async Task AnInvalidMatcherIsValidation()
    {
        var network = await MotoNetwork.CreateAsync(Session);
        var (_, targetGroupArn) = await CreateWiredLoadBalancerAsync(network);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Elb.ModifyTargetGroupAsync(targetGroupArn, new ElbHealthCheck { Matcher = "ok" }));

        Assert.Equal(("InvalidParameterValue", AwsErrorClassification.Validation), (error.ErrorCode, error.Classification));
    }

    [Theory]
    [InlineData("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ghost/0123456789abcdef")]
    [InlineData("not-an-arn")] // real ELBv2 answers ValidationError here; moto answers TargetGroupNotFound
    public async Task UnknownOrMalformedTargetGroupArnIsAnErrorMotoClassifiesAsNotFound(string arn)
    {
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Elb.DescribeTargetHealthAsync(arn));

        Assert.Equal(("Elastic Load Balancing v2", "DescribeTargetHealth", "TargetGroupNotFound"), (error.Service, error.Operation, error.ErrorCode));
        Assert.Equal(AwsErrorClassification.NotFound, error.Classification);
    }

    [Fact]
    public async Task DescribeTargetGroupsSendsArnsAndNamesInBatchesOfTwenty()
    {
        var network = await MotoNetwork.CreateAsync(Session);
        var names = Enumerable.Range(1, 25).Select(i => MotoSessions.UniqueName("tg")).ToList();
        var arns = new List<string>();
        foreach (var name in names)
        {
            arns.Add(await CreateTargetGroupAsync(name, network.VpcId));
        }

        var byArn = await Elb.DescribeTargetGroupsAsync(arns);
        var byName = await Elb.DescribeTargetGroupsByNameAsync(names);

        Assert.Equal(arns.OrderBy(a => a), byArn.Select(g => g.Arn).OrderBy(a => a));
        Assert.Equal(names.OrderBy(n => n), byName.Select(g => g.Name).OrderBy(n => n));
        Assert.Equal(4, Session.Calls.Get("Elastic Load Balancing v2", "DescribeTargetGroups").Calls);
    }

    [Fact]
    public async Task DescribeLoadBalancersFollowsNextMarker()
    {
        var network = await MotoNetwork.CreateAsync(Session);
        var names = Enumerable.Range(1, 5).Select(_ => MotoSessions.UniqueName("lb")).ToList();
        foreach (var name in names)
        {
            await CreateLoadBalancerAsync(name, network);
        }

        Elb.PageSize = 2;
        var balancers = await Elb.DescribeLoadBalancersByNameAsync(names);

        Assert.Equal(names.OrderBy(n => n), balancers.Select(b => b.Name).OrderBy(n => n));
        Assert.Equal(3, Session.Calls.Get("Elastic Load Balancing v2", "DescribeLoadBalancers").Calls);
    }

    [Fact]
    public async Task TargetGroupAttributesAreKeyedByName()
    {
        var network = await MotoNetwork.CreateAsync(Session);
        var arn = await CreateTargetGroupAsync(MotoSessions.UniqueName("tg"), network.VpcId);
        await AwsCli.RunJsonAsync(Moto.Url, "elbv2", "modify-target-group-attributes", "--target-group-arn", arn, "--attributes", "Key=deregistration_delay.timeout_seconds,Value=45");

        var attributes = await Elb.DescribeTargetGroupAttributesAsync(arn);

        Assert.Equal("45", attributes["deregistration_delay.timeout_seconds"]);
    }

    private async Task<(string LoadBalancerArn, string TargetGroupArn)> CreateWiredLoadBalancerAsync(MotoNetwork network)
    {
        var loadBalancer = await CreateLoadBalancerAsync(MotoSessions.UniqueName("lb"), network);
        var group = await AwsCli.RunJsonAsync(
            Moto.Url, "elbv2", "create-target-group", "--name", MotoSessions.UniqueName("tg"), "--protocol", "HTTP", "--port", "8080",
            "--vpc-id", network.VpcId, "--target-type", "ip", "--health-check-protocol", "HTTP", "--health-check-path", "/health",
            "--health-check-interval-seconds", "15", "--health-check-timeout-seconds", "5", "--healthy-threshold-count", "3",
            "--unhealthy-threshold-count", "4", "--matcher", "HttpCode=200-299");
        var targetGroupArn = group.Text("TargetGroups.0.TargetGroupArn")!;
        await AwsCli.RunJsonAsync(
            Moto.Url, "elbv2", "create-listener", "--load-balancer-arn", loadBalancer, "--protocol", "HTTP", "--port", "80",
            "--default-actions", $"Type=forward,TargetGroupArn={targetGroupArn}");
        return (loadBalancer, targetGroupArn);
    }

    // Bulk creation goes through the engine's own query client: one CLI process per resource would be slow.
    private async Task<string> CreateLoadBalancerAsync(string name, MotoNetwork network)
    {
        var result = await Elb.Protocol.CallAsync(
            AwsOperation.NonIdempotent("CreateLoadBalancer"),
            new AwsParameters
            {
                { "Name", name },
                { "Scheme", "internet-facing" },
                { "Subnets", new[] { network.SubnetA, network.SubnetB } },
                { "SecurityGroups", new[] { network.SecurityGroupId } },
            },
            CancellationToken.None);
        return result.Items("LoadBalancers").Single().Text("LoadBalancerArn")!;
    }

    private async Task<string> CreateTargetGroupAsync(string name, string vpcId)
    {
        var result = await Elb.Protocol.CallAsync(
            AwsOperation.NonIdempotent("CreateTargetGroup"),
            new AwsParameters { { "Name", name }, { "Protocol", "HTTP" }, { "Port", 80 }, { "VpcId", vpcId } },
            CancellationToken.None);
        return result.Items("TargetGroups").Single().Text("TargetGroupArn")!;
    }
}
