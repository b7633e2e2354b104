using System;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Networking;
using DeployOps.Operations;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>
/// Test-EcsNetworkPath's and Repair-EcsNetworkPath's engine against the sandbox's network: each scenario fails the hop
/// the world really blocks, from configuration alone (no resource is created to probe), and the repair adds the one rule.
/// </summary>
public sealed class NetworkPathTests : IClassFixture<SandboxFixture>
{
    private static readonly NetworkPathRequest Backend = new() { Cluster = Lightwave.Cluster, Service = Lightwave.Service };

    private readonly SandboxFixture _sandbox;

    public NetworkPathTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private static NetworkHop Hop(NetworkPathReport report, string name) => report.Hops.Single(h => h.Name == name);

    private async Task<(NetworkPathReport Report, Aws.AwsCallCounter Calls)> InspectAsync(string scenario, NetworkPathRequest? request = null)
    {
        await _sandbox.LoadScenarioAsync(scenario);
        using var session = SandboxSessions.Create(_sandbox);
        var report = await new NetworkPathInspector(new AwsFacts(session, NullOperationObserver.Instance)).InspectAsync(request ?? Backend, default);
        return (report, session.Calls);
    }

    [Fact]
    public async Task Healthy_passes_every_hop_through_the_NAT_gateway_and_only_reads()
    {
        var (report, calls) = await InspectAsync("healthy");

        Assert.Equal("Pass", report.Status);
        Assert.True(report.Complete);
        Assert.Null(report.FailingHop);
        Assert.Contains("NAT gateway nat-", Hop(report, "Egress to Image registry docker.io").Route);
        Assert.All(calls.Snapshot(), c => Assert.Matches("^(Describe|List|Get)", c.Operation));
    }

    [Fact]
    public async Task Private_no_egress_fails_the_image_registry_hop_with_the_route_to_add()
    {
        var (report, _) = await InspectAsync(Lightwave.PrivateNoEgress.Scenario);

        Assert.Equal("Fail", report.Status);
        Assert.Equal("Egress to Image registry docker.io", report.FailingHop);
        var hop = Hop(report, "Egress to Image registry docker.io");
        Assert.Contains(hop.Evidence, e => e.Contains($"({Lightwave.Network.PrivateRouteTable}) of subnet", StringComparison.Ordinal) && e.Contains("has no route to 0.0.0.0/0", StringComparison.Ordinal));
        Assert.StartsWith("aws ec2 create-route --route-table-id rtb-", hop.Fix, StringComparison.Ordinal);
        Assert.Contains("--nat-gateway-id nat-", hop.Fix, StringComparison.Ordinal);
        Assert.Null(hop.MissingRule);
    }

    [Fact]
    public async Task Subnet_exhausted_fails_the_subnet_IPs_hop_with_free_addresses_against_the_deployment()
    {
        var (report, _) = await InspectAsync(Lightwave.SubnetExhausted.Scenario);

        Assert.Equal("Subnet IPs", report.FailingHop);
        var hop = Hop(report, "Subnet IPs");
        Assert.Contains(hop.Evidence, e => e.Contains($"({Lightwave.Network.PrivateSubnetA}) (us-east-1a, 10.20.10.0/28): 0 free IP address", StringComparison.Ordinal));
        Assert.Contains(hop.Evidence, e => e.Contains("desired 2 x maximumPercent 200%", StringComparison.Ordinal));
        Assert.Equal("Pass", Hop(report, "ALB to task").Outcome);
    }

    [Fact]
    public async Task The_database_hop_passes_on_the_engine_port_and_names_the_rule_missing_on_another()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        using var session = SandboxSessions.Create(_sandbox);
        var facts = new AwsFacts(session, NullOperationObserver.Instance);
        var database = (await AwsCli.RunAsync(_sandbox.Url, "ec2", "describe-security-groups", "--filters", $"Name=group-name,Values={Lightwave.Network.DatabaseSecurityGroup}",
            "--query", "SecurityGroups[0].GroupId", "--output", "text")).Trim();
        var inspector = new NetworkPathInspector(facts);

        var open = await inspector.InspectAsync(Backend with { Database = new DatabaseTarget("db", new[] { database }, Lightwave.Network.DatabasePort, "test") }, default);
        var closed = await inspector.InspectAsync(Backend with { Database = new DatabaseTarget("db", new[] { database }, 3306, "test") }, default);

        Assert.Equal("Pass", Hop(open, "Task to database").Outcome);
        var hop = Hop(closed, "Task to database");
        Assert.Equal("Fail", hop.Outcome);
        Assert.Equal((database, 3306), (hop.MissingRule!.GroupId, hop.MissingRule.Port));
    }

    [Fact]
    public async Task A_database_port_without_its_security_group_is_refused_before_any_call()
    {
        using var session = SandboxSessions.Create(_sandbox);
        var inspector = new NetworkPathInspector(new AwsFacts(session, NullOperationObserver.Instance));

        var thrown = await Assert.ThrowsAsync<DeployOpsException>(() =>
            inspector.InspectAsync(Backend with { Database = new DatabaseTarget("db", Array.Empty<string>(), 5432, "test") }, default));

        Assert.Equal(ErrorIds.InvalidSecurityGroupId, thrown.Error.ErrorId);
        Assert.Equal(0, session.Calls.TotalCalls);
    }

    [Fact]
    public async Task Repair_adds_the_one_missing_ingress_rule_and_then_has_nothing_to_add()
    {
        await _sandbox.LoadScenarioAsync("network-timeout");
        using var session = SandboxSessions.Create(_sandbox);
        var repairer = new NetworkPathRepairer(new AwsFacts(session, NullOperationObserver.Instance));

        var (report, plans) = await repairer.PlanAsync(Backend, default);
        var plan = Assert.Single(plans);
        var change = await repairer.ApplyAsync(plan, default);
        var again = await repairer.ApplyAsync(plan, default);
        var (after, nothing) = await repairer.PlanAsync(Backend, default);

        Assert.Equal("ALB to task", report.FailingHop);
        Assert.Equal(("ALB to task", 8000, true), (change.Hop, change.Port, change.Added));
        Assert.False(again.Added);
        Assert.Equal("Pass", after.Status);
        Assert.Empty(nothing);
        Assert.Equal(2, session.Calls.Snapshot().Where(c => c.Operation == "AuthorizeSecurityGroupIngress").Sum(c => c.Calls));
    }
}
