using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Sandbox.Tests;

/// <summary>
/// The world's network: tasks reach what they need to start only through the routing moto stores (route tables, NAT and
/// internet gateways, VPC endpoints, network ACLs), and their interfaces use their subnets' addresses. The aws CLI is the
/// independent oracle of what AWS holds.
/// </summary>
public sealed class NetworkRealismTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public NetworkRealismTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private MotoClient Aws => _sandbox.Aws;

    private Task<JsonElement> CliAsync(params string[] arguments) => AwsCli.RunJsonAsync(_sandbox.Url, arguments);

    [Fact]
    public async Task Healthy_routes_the_private_subnets_through_the_nat_gateway_and_each_task_holds_an_address()
    {
        await _sandbox.LoadScenarioAsync("healthy");

        var tables = await CliAsync("ec2", "describe-route-tables", "--filters", $"Name=tag:Name,Values={Lightwave.Network.PrivateRouteTable}");
        var routes = tables.GetProperty("RouteTables")[0].GetProperty("Routes").EnumerateArray().ToList();
        Assert.Contains(routes, r => r.GetProperty("DestinationCidrBlock").GetString() == "0.0.0.0/0" && r.GetProperty("NatGatewayId").GetString()!.StartsWith("nat-", StringComparison.Ordinal));

        // Two /24s: 251 usable each, less one task interface each (the two tasks spread over both subnets).
        var free = await CliAsync("ec2", "describe-subnets", "--filters", $"Name=tag:Name,Values={Lightwave.Network.PrivateSubnetA},{Lightwave.Network.PrivateSubnetB}",
            "--query", "Subnets[].AvailableIpAddressCount");
        Assert.Equal([250, 250], free.EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(2, (int)(await Aws.ServiceAsync())["runningCount"]!);
    }

    [Fact]
    public async Task Private_no_egress_stops_tasks_with_an_image_pull_timeout_and_a_restored_route_lets_them_start()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.PrivateNoEgress.Scenario);

        var stopped = await NetworkChecks.StoppedTaskAsync(Aws);
        Assert.Equal("TaskFailedToStart", (string?)stopped["stopCode"]);
        Assert.StartsWith("CannotPullContainerError: pull image manifest has been retried", (string?)stopped["stoppedReason"], StringComparison.Ordinal);
        Assert.Contains("registry-1.docker.io", (string?)stopped["stoppedReason"], StringComparison.Ordinal);
        Assert.EndsWith("i/o timeout", (string?)stopped["stoppedReason"], StringComparison.Ordinal);
        Assert.Equal((string?)stopped["stoppedReason"], (string?)stopped["containers"]![0]!["reason"]);
        await NetworkChecks.WaitForRolloutAsync(Aws, "FAILED");

        // Put the default route back (through the NAT gateway) and deploy again: the tasks start.
        var table = await NetworkChecks.IdByNameAsync(_sandbox, "describe-route-tables", "RouteTables[].RouteTableId", Lightwave.Network.PrivateRouteTable);
        var nat = await NetworkChecks.IdByNameAsync(_sandbox, "describe-nat-gateways", "NatGateways[].NatGatewayId", Lightwave.Network.NatGateway);
        await AwsCli.RunAsync(_sandbox.Url, "ec2", "create-route", "--route-table-id", table, "--destination-cidr-block", "0.0.0.0/0", "--nat-gateway-id", nat);
        await AwsCli.RunAsync(_sandbox.Url, "ecs", "update-service", "--cluster", Lightwave.Cluster, "--service", Lightwave.Service, "--force-new-deployment");
        var done = await NetworkChecks.WaitForRolloutAsync(Aws, "COMPLETED");
        Assert.Equal(2, (int)done["runningCount"]!);
    }

    [Fact]
    public async Task Subnet_exhausted_leaves_no_free_address_and_the_deployment_cannot_place_a_task()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.SubnetExhausted.Scenario);

        var free = await CliAsync("ec2", "describe-subnets", "--filters", $"Name=tag:Name,Values={Lightwave.Network.PrivateSubnetA},{Lightwave.Network.PrivateSubnetB}",
            "--query", "Subnets[].AvailableIpAddressCount");
        Assert.Equal([0, 0], free.EnumerateArray().Select(e => e.GetInt32()));

        var service = await Eventually.WaitForAsync(async () =>
        {
            var current = await Aws.ServiceAsync();
            return current.EventMessages().Any(m => m.Contains(Lightwave.SubnetExhausted.PlacementEvent, StringComparison.Ordinal)) ? current : null;
        }, "the service event saying no task can be placed");
        var placement = service.EventMessages().Where(m => m.Contains(Lightwave.SubnetExhausted.PlacementEvent, StringComparison.Ordinal)).ToList();
        Assert.Single(placement);
        Assert.Contains("InsufficientFreeAddressesInSubnet", placement[0], StringComparison.Ordinal);
        Assert.Equal("IN_PROGRESS", (string?)service.Primary()["rolloutState"]);
        Assert.Equal(0, (int)service.Primary()["runningCount"]! + (int)service.Primary()["pendingCount"]!);
        Assert.Equal(2, (int)service["runningCount"]!);
    }
}

/// <summary>VPC endpoints and network ACLs (a test scenario, <c>private-endpoints</c>, whose tasks pull from ECR with no default route).</summary>
public sealed class VpcEndpointTests : IClassFixture<TestScenariosSandbox>
{
    private readonly TestScenariosSandbox _sandbox;

    public VpcEndpointTests(TestScenariosSandbox sandbox) => _sandbox = sandbox;

    private MotoClient Aws => _sandbox.Aws;

    private Task<JsonElement> CliAsync(params string[] arguments) => AwsCli.RunJsonAsync(_sandbox.Url, arguments);

    [Fact]
    public async Task Private_endpoints_pull_from_ecr_without_a_default_route_and_a_missing_endpoint_names_its_step()
    {
        await _sandbox.LoadScenarioAsync("private-endpoints");
        await NetworkChecks.WaitForRolloutAsync(Aws, "COMPLETED");

        // Without the logs endpoint the task cannot create its log stream.
        var logs = await NetworkChecks.IdByNameAsync(_sandbox, "describe-vpc-endpoints", "VpcEndpoints[].VpcEndpointId", "lightwave-dev-logs-vpce");
        await AwsCli.RunAsync(_sandbox.Url, "ec2", "delete-vpc-endpoints", "--vpc-endpoint-ids", logs);
        await AwsCli.RunAsync(_sandbox.Url, "ecs", "update-service", "--cluster", Lightwave.Cluster, "--service", Lightwave.Service, "--force-new-deployment");
        var stopped = await NetworkChecks.StoppedTaskAsync(Aws);
        Assert.StartsWith("ResourceInitializationError: failed to validate logger args", (string?)stopped["stoppedReason"], StringComparison.Ordinal);
        Assert.Contains("https://logs.us-east-1.amazonaws.com/", (string?)stopped["stoppedReason"], StringComparison.Ordinal);

        // A network ACL with no entries (the implicit deny) on the private subnets stops the registry auth first.
        var vpc = (await CliAsync("ec2", "describe-vpcs", "--filters", "Name=cidr,Values=10.20.0.0/16", "--query", "Vpcs[].VpcId")).EnumerateArray().Single().GetString()!;
        var acl = (await CliAsync("ec2", "create-network-acl", "--vpc-id", vpc)).GetProperty("NetworkAcl").GetProperty("NetworkAclId").GetString()!;
        var subnet = await NetworkChecks.IdByNameAsync(_sandbox, "describe-subnets", "Subnets[].SubnetId", Lightwave.Network.PrivateSubnetA);
        var association = (await CliAsync("ec2", "describe-network-acls", "--filters", $"Name=association.subnet-id,Values={subnet}",
            "--query", $"NetworkAcls[].Associations[?SubnetId=='{subnet}'].NetworkAclAssociationId[]")).EnumerateArray().Single().GetString()!;
        await AwsCli.RunAsync(_sandbox.Url, "ec2", "replace-network-acl-association", "--association-id", association, "--network-acl-id", acl);
        await Eventually.WaitUntilAsync(async () => (await Aws.TasksAsync("STOPPED")).Any(t =>
                ((string?)t["stoppedReason"])?.Contains("unable to retrieve ecr registry auth", StringComparison.Ordinal) == true),
            "a task in the blocked subnet to stop for the registry auth");
    }
}

/// <summary>What the network tests wait for and look up.</summary>
internal static class NetworkChecks
{
    public static async Task<JsonObject> StoppedTaskAsync(MotoClient aws) =>
        await Eventually.WaitForAsync(async () => (await aws.TasksAsync("STOPPED")).FirstOrDefault(), "a task of the service to stop");

    public static async Task<JsonObject> WaitForRolloutAsync(MotoClient aws, string state) =>
        await Eventually.WaitForAsync(async () =>
        {
            var service = await aws.ServiceAsync();
            return (string?)service.Primary()["rolloutState"] == state ? service : null;
        }, $"the rollout to be {state}");

    /// <summary>The id of the EC2 resource tagged Name=<paramref name="name"/>, through the aws CLI.</summary>
    public static async Task<string> IdByNameAsync(SandboxFixture sandbox, string describe, string query, string name)
    {
        // The EC2 model names this one member Filter, not Filters (botocore: DescribeNatGatewaysRequest).
        var filters = describe == "describe-nat-gateways" ? "--filter" : "--filters";
        return (await AwsCli.RunJsonAsync(sandbox.Url, "ec2", describe, filters, $"Name=tag:Name,Values={name}", "--query", query)).EnumerateArray().Single().GetString()!;
    }
}
