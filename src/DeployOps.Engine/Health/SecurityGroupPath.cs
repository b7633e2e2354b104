using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.Ec2;
using DeployOps.Networking;

namespace DeployOps.Health;

/// <summary>One end of a network path: who it is, its security groups and its subnets' CIDR blocks.</summary>
public sealed record NetworkSide(string Who, IReadOnlyList<string> SecurityGroupIds, IReadOnlyList<string> SubnetCidrs);

/// <summary>A rule a path lacks: inbound on <see cref="GroupIds"/> from <see cref="PeerGroupIds"/>, or outbound to them, on TCP <see cref="Port"/>.</summary>
/// <param name="Inbound">True for a missing ingress rule of the destination, false for a missing egress rule of the source.</param>
/// <param name="GroupIds">The groups that lack the rule.</param>
/// <param name="PeerGroupIds">The other side's groups.</param>
/// <param name="Sentence">The finding as a report says it.</param>
public sealed record SecurityGroupGap(bool Inbound, IReadOnlyList<string> GroupIds, IReadOnlyList<string> PeerGroupIds, int Port, string Sentence);

/// <summary>
/// Runbook 000 step 3C ("security group should allow port 8000 from ALB"): whether security groups
/// let TCP traffic on a port from one side to the other, and if not, which rule is missing.
/// A rule admits the peer when it names one of the peer's groups, or a CIDR block that contains
/// every subnet the peer uses.
/// </summary>
public static class SecurityGroupPath
{
    /// <summary>Empty when the path is open; otherwise one sentence per missing rule, naming the groups and the port.</summary>
    public static IReadOnlyList<string> Explain(IReadOnlyList<Ec2SecurityGroup> groups, NetworkSide source, NetworkSide destination, int port) =>
        Gaps(groups, source, destination, port).Select(gap => gap.Sentence).ToList();

    /// <summary>Empty when the path is open; otherwise the missing rules: the destination's inbound one first, then the source's outbound one.</summary>
    public static IReadOnlyList<SecurityGroupGap> Gaps(IReadOnlyList<Ec2SecurityGroup> groups, NetworkSide source, NetworkSide destination, int port)
    {
        var byId = groups.GroupBy(g => g.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var gaps = new List<SecurityGroupGap>();
        if (!Admits(byId, destination.SecurityGroupIds, g => g.Ingress, source, port))
        {
            gaps.Add(new SecurityGroupGap(true, destination.SecurityGroupIds, source.SecurityGroupIds, port,
                $"Security group {Describe(byId, destination.SecurityGroupIds)} of {destination.Who} allows no inbound TCP {port} " +
                $"from {source.Who}'s security group {Describe(byId, source.SecurityGroupIds)}"));
        }

        if (!Admits(byId, source.SecurityGroupIds, g => g.Egress, destination, port))
        {
            gaps.Add(new SecurityGroupGap(false, source.SecurityGroupIds, destination.SecurityGroupIds, port,
                $"Security group {Describe(byId, source.SecurityGroupIds)} of {source.Who} allows no outbound TCP {port} " +
                $"to {destination.Who}{(destination.SecurityGroupIds.Count == 0 ? "" : $"'s security group {Describe(byId, destination.SecurityGroupIds)}")}"));
        }

        return gaps;
    }

    /// <summary>"sg-1 (name), sg-2": the groups as reports name them.</summary>
    public static string Describe(IReadOnlyList<Ec2SecurityGroup> groups, IReadOnlyList<string> ids) =>
        Describe(groups.GroupBy(g => g.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal), ids);

    private static bool Admits(Dictionary<string, Ec2SecurityGroup> byId, IReadOnlyList<string> groupIds, Func<Ec2SecurityGroup, IReadOnlyList<Ec2Permission>> rules,
        NetworkSide peer, int port) =>
        groupIds.Where(byId.ContainsKey).SelectMany(id => rules(byId[id])).Any(rule =>
            CoversTcpPort(rule, port) &&
            (rule.SecurityGroupIds.Any(peer.SecurityGroupIds.Contains) ||
             rule.Ipv4Ranges.Any(cidr => peer.SubnetCidrs.Count > 0 ? peer.SubnetCidrs.All(subnet => Ipv4Cidr.Contains(cidr, subnet)) : cidr == "0.0.0.0/0")));

    /// <summary>True when the rule covers TCP <paramref name="port"/> (all traffic, TCP with every port, or a TCP range holding it).</summary>
    public static bool CoversTcpPort(Ec2Permission rule, int port) =>
        rule.Protocol == "-1" ||
        (rule.Protocol is "tcp" or "6" && (rule.FromPort is null or -1 || (port >= rule.FromPort && port <= (rule.ToPort ?? rule.FromPort))));

    private static string Describe(Dictionary<string, Ec2SecurityGroup> byId, IReadOnlyList<string> ids) =>
        string.Join(", ", ids.Select(id => byId.TryGetValue(id, out var group) && group.Name is { } name ? $"{id} ({name})" : id));
}
