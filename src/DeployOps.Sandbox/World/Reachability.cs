using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Networking;

namespace DeployOps.Sandbox.World;

/// <summary>One end of a network path: its security groups and the CIDR blocks of its subnets.</summary>
public sealed record NetworkEndpoint(IReadOnlyList<string> SecurityGroupIds, IReadOnlyList<string> SubnetCidrs);

/// <summary>
/// Decides whether traffic on a TCP port may flow from one endpoint to another under the
/// security groups stored in moto: the source's groups must allow it out and the destination's
/// groups must allow it in, either from one of the source's groups or from a CIDR block that
/// covers the source's subnets.
/// </summary>
public static class Reachability
{
    /// <summary>
    /// Whether any of a target group's load balancers may reach a target placed at <paramref name="target"/> on
    /// <paramref name="port"/> (health checks and requests come from the ALB's nodes). A target no task of the world
    /// placed is reachable.
    /// </summary>
    public static bool FromLoadBalancers(ConfigSnapshot snapshot, TargetGroupConfig group, NetworkPlacement? target, int port)
    {
        if (target is null)
        {
            return true;
        }

        var subnet = snapshot.Subnets.GetValueOrDefault(target.SubnetId)?.Cidr;
        var destination = new NetworkEndpoint(target.SecurityGroupIds, subnet is null ? [] : [subnet]);
        return group.LoadBalancerArns
            .Select(arn => snapshot.LoadBalancers.GetValueOrDefault(arn))
            .Where(lb => lb is not null)
            .Select(lb => new NetworkEndpoint(lb!.SecurityGroups, lb.SubnetIds.Select(s => snapshot.Subnets.GetValueOrDefault(s)?.Cidr ?? "").Where(c => c.Length > 0).ToList()))
            .Any(source => Allows(snapshot, source, destination, port));
    }

    public static bool Allows(ConfigSnapshot snapshot, NetworkEndpoint source, NetworkEndpoint destination, int port) =>
        AnyPermits(snapshot, destination.SecurityGroupIds, g => g.Ingress, source, port) &&
        AnyPermits(snapshot, source.SecurityGroupIds, g => g.Egress, destination, port);

    /// <summary>
    /// Null when clients on the internet reach the load balancer's <paramref name="port"/>: it is internet-facing, one of its
    /// subnets routes 0.0.0.0/0 to an attached internet gateway, and its security groups let the port in from anywhere;
    /// otherwise why not (the client's connection times out, as with a real ALB).
    /// </summary>
    public static string? FromInternet(ConfigSnapshot snapshot, LoadBalancerConfig loadBalancer, int port)
    {
        if (loadBalancer.Scheme != "internet-facing")
        {
            return $"load balancer {loadBalancer.Name} is {loadBalancer.Scheme}";
        }

        // Clients come in only through an internet gateway: a default route to a NAT gateway lets tasks out, not clients in.
        var routes = loadBalancer.SubnetIds.Select(id => snapshot.Subnets.GetValueOrDefault(id))
            .Select(subnet => subnet is null ? "its subnet is missing"
                : snapshot.Routing.RouteTableOf(subnet.Id, subnet.VpcId) is { } table && table.Routes.FirstOrDefault(r => r.Destination == "0.0.0.0/0" && r.State == "active") is { NatGatewayId: null } route
                    ? Egress.RouteOut(snapshot, table, publicIp: true)
                    : $"subnet {subnet.Id} has no default route to an internet gateway").ToList();
        if (routes.All(why => why is not null))
        {
            return $"no subnet of load balancer {loadBalancer.Name} routes to an internet gateway ({string.Join("; ", routes.Distinct())})";
        }

        var internet = new NetworkEndpoint([], ["0.0.0.0/0"]);
        return AnyPermits(snapshot, loadBalancer.SecurityGroups, g => g.Ingress, internet, port) ? null
            : $"the security groups of load balancer {loadBalancer.Name} do not let TCP {port} in from 0.0.0.0/0";
    }

    /// <summary>Whether the security groups <paramref name="groupIds"/> let TCP traffic on <paramref name="port"/> out to <paramref name="destination"/>.</summary>
    public static bool AllowsOut(ConfigSnapshot snapshot, IReadOnlyList<string> groupIds, NetworkEndpoint destination, int port) =>
        AnyPermits(snapshot, groupIds, g => g.Egress, destination, port);

    private static bool AnyPermits(ConfigSnapshot snapshot, IReadOnlyList<string> groupIds, Func<SecurityGroupConfig, IReadOnlyList<PermissionConfig>> rules,
        NetworkEndpoint peer, int port)
    {
        foreach (var groupId in groupIds)
        {
            if (!snapshot.SecurityGroups.TryGetValue(groupId, out var group))
            {
                continue;
            }

            foreach (var permission in rules(group))
            {
                if (!permission.CoversTcpPort(port))
                {
                    continue;
                }

                if (permission.GroupIds.Any(peer.SecurityGroupIds.Contains) ||
                    permission.Cidrs.Any(cidr => peer.SubnetCidrs.Count > 0 && peer.SubnetCidrs.All(subnet => Ipv4Cidr.Contains(cidr, subnet))))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
