using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Networking;

namespace DeployOps.Sandbox.World;

/// <summary>Where a task's network interface sits: its subnet, its security groups, and whether it has a public IP.</summary>
public sealed record TaskNetwork(string SubnetId, IReadOnlyList<string> SecurityGroupIds, bool PublicIp);

/// <summary>
/// Decides, from the routing moto stores, whether a task can open HTTPS connections to what it needs before its
/// containers start: an AWS service endpoint (Secrets Manager, SSM, ECR, S3, CloudWatch Logs) or the public internet (an
/// image registry such as Docker Hub). A connection goes through an interface VPC endpoint of the service in the VPC
/// (private DNS), a gateway endpoint in the subnet's route table (S3), or the default route: an internet gateway with a
/// public IP, or an available NAT gateway whose own subnet routes to the internet gateway. The task's security groups must
/// let it out on 443 (and the endpoint's groups let it in), and the subnet's network ACL must allow 443 out and the
/// replies back in on ephemeral ports. The sandbox's own reading, independent of the engine's (the oracle).
/// </summary>
public static class Egress
{
    private const int Https = 443;
    private const string Anywhere = "0.0.0.0/0";

    // Return traffic comes back on an ephemeral port: the ACL must let in all of 1024-65535 (checked at its ends and middle).
    private static readonly int[] EphemeralPorts = [1024, 32768, 65535];

    /// <summary>
    /// Null when <paramref name="task"/> can reach <paramref name="service"/> (an endpoint prefix such as
    /// <c>secretsmanager</c>, <c>ecr.api</c>, <c>s3</c>; null for the public internet) on 443; otherwise what stops it.
    /// A task in a subnet moto does not know is not judged.
    /// </summary>
    public static string? Blocked(ConfigSnapshot snapshot, string region, TaskNetwork task, string? service)
    {
        if (!snapshot.Subnets.TryGetValue(task.SubnetId, out var subnet))
        {
            return null;
        }

        var routing = snapshot.Routing;
        var acl = routing.NetworkAclOf(subnet.Id);
        var serviceName = service is null ? null : $"com.amazonaws.{region}.{service}";
        var endpoint = routing.Endpoints.FirstOrDefault(e => e.VpcId == subnet.VpcId && e.ServiceName == serviceName && e.Type == "Interface" && e.State == "available");
        if (endpoint is not null)
        {
            var cidrs = endpoint.SubnetIds.Select(id => snapshot.Subnets.GetValueOrDefault(id)?.Cidr).Where(c => c is not null).Select(c => c!).ToList();
            var groups = endpoint.SecurityGroupIds.Count > 0
                ? endpoint.SecurityGroupIds
                : snapshot.SecurityGroups.Values.Where(g => g.VpcId == subnet.VpcId && g.Name == "default").Select(g => g.Id).ToList();
            if (!Reachability.Allows(snapshot, new NetworkEndpoint(task.SecurityGroupIds, [subnet.Cidr]), new NetworkEndpoint(groups, cidrs), Https))
            {
                return $"the security groups do not let the task reach VPC endpoint {endpoint.Id} on 443";
            }

            return cidrs.All(cidr => AclAllowsHttps(acl, cidr)) ? null : $"network ACL {acl?.Id} blocks 443 to VPC endpoint {endpoint.Id}";
        }

        var table = routing.RouteTableOf(subnet.Id, subnet.VpcId);
        var gatewayEndpoint = routing.Endpoints.FirstOrDefault(e => e.ServiceName == serviceName && e.Type == "Gateway" && e.State == "available" &&
                                                                   table is not null && e.RouteTableIds.Contains(table.Id));
        if (gatewayEndpoint is not null)
        {
            var allowed = task.SecurityGroupIds.Select(id => snapshot.SecurityGroups.GetValueOrDefault(id)).Where(g => g is not null)
                .SelectMany(g => g!.Egress).Any(rule => rule.CoversTcpPort(Https) && (rule.PrefixListIds?.Count > 0 || rule.Cidrs.Contains(Anywhere)));
            return !allowed ? $"the security groups do not let the task out on 443 to gateway endpoint {gatewayEndpoint.Id}"
                : AclAllowsHttps(acl, Anywhere) ? null : $"network ACL {acl?.Id} blocks 443 out";
        }

        if (RouteOut(snapshot, table, task.PublicIp) is { } noRoute)
        {
            return noRoute;
        }

        if (!Reachability.AllowsOut(snapshot, task.SecurityGroupIds, new NetworkEndpoint([], [Anywhere]), Https))
        {
            return "the security groups do not let the task out on 443";
        }

        return AclAllowsHttps(acl, Anywhere) ? null : $"network ACL {acl?.Id} blocks 443 out or the replies";
    }

    /// <summary>Null when the route table's default route leads to the internet for this task; otherwise why not.</summary>
    internal static string? RouteOut(ConfigSnapshot snapshot, RouteTableConfig? table, bool publicIp)
    {
        var route = DefaultRoute(table);
        if (route is null)
        {
            return $"route table {table?.Id} has no route to {Anywhere}";
        }

        if (route.NatGatewayId is { } natId)
        {
            var nat = snapshot.Routing.NatGateways.GetValueOrDefault(natId);
            if (nat?.State != "available")
            {
                return $"NAT gateway {natId} is {nat?.State ?? "missing"}";
            }

            var natSubnet = snapshot.Subnets.GetValueOrDefault(nat.SubnetId);
            var natRoute = DefaultRoute(natSubnet is null ? null : snapshot.Routing.RouteTableOf(natSubnet.Id, natSubnet.VpcId));
            return IsAttachedInternetGateway(snapshot, natRoute?.GatewayId, nat.VpcId) ? null : $"the subnet of NAT gateway {natId} has no route to an internet gateway";
        }

        if (!IsAttachedInternetGateway(snapshot, route.GatewayId, table!.VpcId))
        {
            return $"the default route of {table.Id} goes to {route.GatewayId}, not an attached internet gateway";
        }

        return publicIp ? null : "the task has no public IP to use the internet gateway";
    }

    private static RouteConfig? DefaultRoute(RouteTableConfig? table) =>
        table?.Routes.FirstOrDefault(r => r.Destination == Anywhere && r.State == "active");

    private static bool IsAttachedInternetGateway(ConfigSnapshot snapshot, string? gatewayId, string vpcId) =>
        gatewayId is not null && snapshot.Routing.InternetGateways.TryGetValue(gatewayId, out var gateway) && gateway.VpcIds.Contains(vpcId);

    /// <summary>The ACL lets HTTPS out to <paramref name="peer"/> and the replies back in (no ACL known: allowed).</summary>
    private static bool AclAllowsHttps(NetworkAclConfig? acl, string peer) =>
        acl is null || (AclAllows(acl, egress: true, Https, peer) && EphemeralPorts.All(port => AclAllows(acl, egress: false, port, peer)));

    /// <summary>The first entry (by rule number) that matches decides; none matching is the implicit deny.</summary>
    private static bool AclAllows(NetworkAclConfig acl, bool egress, int port, string peer) =>
        acl.Entries.Where(e => e.Egress == egress).OrderBy(e => e.Rule)
            .FirstOrDefault(e => e.Protocol is "-1" or "6" or "tcp" && (e.FromPort < 0 || (port >= e.FromPort && port <= e.ToPort)) && Ipv4Cidr.Contains(e.Cidr, peer))
            ?.Allow ?? false;
}
