using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.Ec2;
using DeployOps.Health;

namespace DeployOps.Networking;

/// <summary>How a task in one subnet reaches one destination, or why it cannot, and the fix.</summary>
public sealed record EgressCheck(HopOutcome Outcome, string? Route, IReadOnlyList<string> Evidence, string? Fix = null, MissingIngressRule? MissingRule = null);

/// <summary>
/// Runbook 004 "NAT gateway connectivity failures" and "ECS tasks failing to start" as rules: can a task in a subnet open
/// HTTPS to a destination? Through an interface VPC endpoint of the service (private DNS on, its security groups letting
/// the task in), a gateway endpoint in the subnet's route table (S3), or the subnet's default route: an internet gateway
/// (with a public IP) or an available NAT gateway whose own subnet routes to the internet gateway. The task's security
/// groups must let it out on 443 and the network ACLs allow the request and the replies. Pure.
/// </summary>
public static class EgressRoutes
{
    private const int Https = 443;
    private const string Anywhere = "0.0.0.0/0";

    public static EgressCheck Check(NetworkPathFacts facts, string subnetId, EgressDestination destination)
    {
        var network = facts.Network;
        if (NetworkPathAnalysis.Missing(network.Subnets.Gap, network.SecurityGroups.Gap, network.RouteTables.Gap, network.NatGateways.Gap,
                network.InternetGateways.Gap, network.Endpoints.Gap, network.NetworkAcls.Gap) is { } gap)
        {
            return new EgressCheck(HopOutcome.Unknown, null, new[] { gap.ToString() }, "Run Test-EcsNetworkPath again, or allow more attempts with AWS_MAX_ATTEMPTS.");
        }

        if (network.Subnet(subnetId) is not { CidrBlock: { } cidr } subnet)
        {
            return new EgressCheck(HopOutcome.Fail, null, new[] { $"Subnet {subnetId} of the service does not exist" },
                $"Give the service existing subnets: aws ecs update-service --cluster {facts.Cluster} --service {facts.Service.Name} --network-configuration ...");
        }

        var where = NetworkPathAnalysis.Named(subnet.Id, subnet.Name);
        var task = new NetworkSide("the service's tasks", facts.Service.NetworkConfiguration?.SecurityGroups ?? Array.Empty<string>(), new[] { cidr });
        var groups = network.SecurityGroups.Value;
        var endpoints = network.Endpoints.Value.Where(e => e.ServiceName == destination.EndpointService && e.State == "available").ToList();
        if (endpoints.FirstOrDefault(e => e.Type == "Interface") is { } endpoint)
        {
            return ThroughInterfaceEndpoint(facts, where, subnetId, task, endpoint);
        }

        var table = network.RouteTableOf(subnetId);
        if (table is not null && endpoints.FirstOrDefault(e => e.Type == "Gateway" && e.RouteTableIds.Contains(table.Id)) is { } gateway)
        {
            var route = $"gateway endpoint {gateway.Id} (route table {NetworkPathAnalysis.Named(table.Id, table.Name)})";
            var out443 = task.SecurityGroupIds.Select(id => groups.FirstOrDefault(g => g.Id == id)).Where(g => g is not null)
                .SelectMany(g => g!.Egress).Any(rule => SecurityGroupPath.CoversTcpPort(rule, Https) && (rule.PrefixListIds.Count > 0 || rule.Ipv4Ranges.Contains(Anywhere)));
            var denied = out443 ? null : new SecurityGroupGap(false, task.SecurityGroupIds, Array.Empty<string>(), Https,
                $"Security group {SecurityGroupPath.Describe(groups, task.SecurityGroupIds)} of the service's tasks allows no outbound TCP 443 to {Anywhere} or the service's prefix list");
            return Judge(where, route, denied is null ? Array.Empty<SecurityGroupGap>() : new[] { denied },
                NetworkAcls.Conversation(network.NetworkAclOf(subnetId), cidr, null, Anywhere, Https), groups);
        }

        if (DefaultRoute(facts, table, where, destination) is { } noRoute)
        {
            return noRoute;
        }

        var viaRoute = RouteText(facts, table!);
        var egress = SecurityGroupPath.Gaps(groups, task, new NetworkSide(destination.Host, Array.Empty<string>(), new[] { Anywhere }), Https).Where(g => !g.Inbound).ToList();
        return Judge(where, viaRoute, egress, NetworkAcls.Conversation(network.NetworkAclOf(subnetId), cidr, null, Anywhere, Https), groups);
    }

    private static EgressCheck ThroughInterfaceEndpoint(NetworkPathFacts facts, string where, string subnetId, NetworkSide task, Ec2VpcEndpoint endpoint)
    {
        var network = facts.Network;
        var groups = network.SecurityGroups.Value;
        var route = $"VPC endpoint {endpoint.Id} (interface, private DNS {(endpoint.PrivateDnsEnabled ? "on" : "off")})";
        if (!endpoint.PrivateDnsEnabled)
        {
            return new EgressCheck(HopOutcome.Fail, null,
                new[] { $"From {where}: VPC endpoint {endpoint.Id} for {endpoint.ServiceName} has private DNS off, so the task still dials the public name" },
                $"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {endpoint.Id} --private-dns-enabled");
        }

        // An interface endpoint without groups of its own has the VPC's default group.
        var endpointGroups = endpoint.SecurityGroupIds.Count > 0
            ? endpoint.SecurityGroupIds
            : groups.Where(g => g.Name == "default").Select(g => g.Id).Take(1).ToList();
        var side = new NetworkSide($"VPC endpoint {endpoint.Id}", endpointGroups, network.CidrsOf(endpoint.SubnetIds));
        var gaps = SecurityGroupPath.Gaps(groups, task, side, Https);
        var cidr = task.SubnetCidrs[0];
        var blocks = endpoint.SubnetIds.Where(id => network.Subnet(id)?.CidrBlock is not null)
            .SelectMany(id => NetworkAcls.Conversation(network.NetworkAclOf(subnetId), cidr, network.NetworkAclOf(id), network.Subnet(id)!.CidrBlock!, Https))
            .Distinct().ToList();
        return Judge(where, route, gaps, blocks, groups);
    }

    /// <summary>Null when the subnet's default route leads out; otherwise the failing check, naming what is missing and the fix.</summary>
    internal static EgressCheck? DefaultRoute(NetworkPathFacts facts, Ec2RouteTable? table, string where, EgressDestination destination)
    {
        var network = facts.Network;
        var route = table?.Routes.FirstOrDefault(r => r.DestinationCidrBlock == Anywhere);
        var tableName = table is null ? "none" : NetworkPathAnalysis.Named(table.Id, table.Name);
        if (table is null || route is null || route.State == "blackhole")
        {
            var why = table is null ? $"Subnet {where} has no route table"
                : route is null ? $"Route table {tableName} of subnet {where} has no route to {Anywhere}"
                : $"The route to {Anywhere} in {tableName} is a blackhole (its target {route.Target} is gone)";
            return new EgressCheck(HopOutcome.Fail, null, new[] { $"{why}: the tasks cannot reach {destination.Host}" }, RouteFix(facts, table, destination));
        }

        if (route.NatGatewayId is { } natId)
        {
            var nat = network.NatGateways.Value.FirstOrDefault(n => n.Id == natId);
            if (nat?.State != "available")
            {
                return new EgressCheck(HopOutcome.Fail, null,
                    new[] { $"Route table {tableName} sends {Anywhere} to NAT gateway {natId}, which is {nat?.State ?? "gone"}" }, RouteFix(facts, table, destination));
            }

            var natTable = nat.SubnetId is null ? null : network.RouteTableOf(nat.SubnetId);
            if (nat.ConnectivityType == "private" || !ToInternetGateway(network, natTable))
            {
                return new EgressCheck(HopOutcome.Fail, null,
                    new[] { $"NAT gateway {natId} sits in subnet {nat.SubnetId}, whose route table {(natTable is null ? "(none)" : NetworkPathAnalysis.Named(natTable.Id, natTable.Name))} has no route to an internet gateway" },
                    $"Route the NAT gateway's subnet to the internet gateway: aws ec2 create-route --route-table-id {natTable?.Id ?? "<its route table>"} " +
                    $"--destination-cidr-block {Anywhere} --gateway-id {InternetGatewayOf(network) ?? "<the VPC's internet gateway>"}");
            }

            return null;
        }

        if (route.GatewayId is { } gatewayId && gatewayId.StartsWith("igw-", StringComparison.Ordinal))
        {
            if (!ToInternetGateway(network, table))
            {
                return new EgressCheck(HopOutcome.Fail, null, new[] { $"Route table {tableName} sends {Anywhere} to {gatewayId}, which is not attached to {network.VpcId}" },
                    $"aws ec2 attach-internet-gateway --internet-gateway-id {gatewayId} --vpc-id {network.VpcId}");
            }

            if (facts.Service.NetworkConfiguration?.AssignPublicIp != "ENABLED")
            {
                var configuration = facts.Service.NetworkConfiguration;
                return new EgressCheck(HopOutcome.Fail, null,
                    new[] { $"Subnet {where} routes {Anywhere} to internet gateway {gatewayId}, but the tasks get no public IP (assignPublicIp {configuration?.AssignPublicIp ?? "DISABLED"})" },
                    $"aws ecs update-service --cluster {facts.Cluster} --service {facts.Service.Name} --network-configuration " +
                    $"'awsvpcConfiguration={{subnets=[{string.Join(",", configuration?.Subnets ?? Array.Empty<string>())}],securityGroups=[{string.Join(",", configuration?.SecurityGroups ?? Array.Empty<string>())}],assignPublicIp=ENABLED}}' " +
                    "(or route the subnet through a NAT gateway)");
            }

            return null;
        }

        return new EgressCheck(HopOutcome.Unknown, null,
            new[] { $"Route table {tableName} sends {Anywhere} to {route.Target ?? "a target"} (a kind DeployOps does not follow: transit gateway, peering, an instance)" });
    }

    private static string RouteText(NetworkPathFacts facts, Ec2RouteTable table)
    {
        var route = table.Routes.First(r => r.DestinationCidrBlock == Anywhere);
        var via = route.NatGatewayId is { } nat ? $"NAT gateway {nat}" : $"internet gateway {route.GatewayId} with a public IP";
        return $"{via} (route table {NetworkPathAnalysis.Named(table.Id, table.Name)})";
    }

    private static bool ToInternetGateway(VpcNetwork network, Ec2RouteTable? table) =>
        table?.Routes.FirstOrDefault(r => r.DestinationCidrBlock == Anywhere && r.State != "blackhole")?.GatewayId is { } id &&
        network.InternetGateways.Value.Any(g => g.Id == id && g.AttachedVpcIds.Contains(network.VpcId ?? ""));

    private static string? InternetGatewayOf(VpcNetwork network) => network.InternetGateways.Value.FirstOrDefault()?.Id;

    /// <summary>The fix for a missing way out: a route to a NAT gateway that works (when the VPC has one), or VPC endpoints.</summary>
    private static string RouteFix(NetworkPathFacts facts, Ec2RouteTable? table, EgressDestination destination)
    {
        var network = facts.Network;
        var usable = network.NatGateways.Value.FirstOrDefault(n => n.State == "available" && n.SubnetId is not null && ToInternetGateway(network, network.RouteTableOf(n.SubnetId)));
        var route = usable is null
            ? $"Create a NAT gateway in a public subnet (aws ec2 create-nat-gateway --subnet-id <public subnet> --allocation-id <EIP>) and route {Anywhere} to it from {table?.Id ?? "the subnet's route table"}"
            : $"aws ec2 {(table?.Routes.Any(r => r.DestinationCidrBlock == Anywhere) == true ? "replace-route" : "create-route")} --route-table-id {table?.Id ?? "<route table>"} " +
              $"--destination-cidr-block {Anywhere} --nat-gateway-id {usable.Id}";
        if (destination.EndpointService is not { } service)
        {
            return route;
        }

        var endpoint = destination.HasGatewayEndpoint
            ? $"aws ec2 create-vpc-endpoint --vpc-id {network.VpcId} --vpc-endpoint-type Gateway --service-name {service} --route-table-ids {table?.Id}"
            : $"aws ec2 create-vpc-endpoint --vpc-id {network.VpcId} --vpc-endpoint-type Interface --service-name {service} " +
              $"--subnet-ids {string.Join(" ", NetworkPathAnalysis.TaskSubnets(facts.Service))} --security-group-ids <a group admitting the tasks on 443> --private-dns-enabled";
        return $"{route}; or without the internet: {endpoint}";
    }

    private static EgressCheck Judge(string where, string route, IReadOnlyList<SecurityGroupGap> gaps, IReadOnlyList<NetworkAcls.Block> blocks, IReadOnlyList<Ec2SecurityGroup> groups)
    {
        if (gaps.Count == 0 && blocks.Count == 0)
        {
            return new EgressCheck(HopOutcome.Pass, route, new[] { $"From {where}: through {route}" });
        }

        var hop = NetworkPathAnalysis.Fail("egress", HopKind.Egress, "", gaps, blocks, groups);
        return new EgressCheck(HopOutcome.Fail, null, hop.Evidence.Select(e => $"From {where} through {route}: {e}").ToList(), hop.Fix, hop.MissingRule);
    }
}
