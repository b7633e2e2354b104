using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeployOps.Aws.Ec2;

namespace DeployOps.Networking;

/// <summary>
/// Network ACLs as EC2 applies them: stateless, so a TCP conversation needs the request's port allowed one way and the
/// replies' ephemeral ports (1024-65535) the other, in both subnets' ACLs; the entry with the lowest rule number that
/// matches decides, and none matching is the implicit deny (<c>*</c>).
/// </summary>
public static class NetworkAcls
{
    /// <summary>The ports replies come back on, checked at the ends and the middle of 1024-65535.</summary>
    private static readonly int[] EphemeralPorts = { 1024, 32768, 65535 };

    /// <summary>One direction an ACL blocks, and the entry that would open it.</summary>
    /// <param name="Sentence">What is blocked, naming the ACL, the direction, the ports and the peer.</param>
    /// <param name="Fix">The aws CLI command that adds an allow entry ahead of what blocks it.</param>
    public sealed record Block(string Sentence, string Fix);

    /// <summary>
    /// What blocks a TCP conversation on <paramref name="port"/> from <paramref name="initiatorCidr"/> to
    /// <paramref name="responderCidr"/>: the initiator's ACL must let the request out and the replies in, the responder's
    /// (null when it is outside the VPC) the request in and the replies out. Empty when nothing does.
    /// </summary>
    public static IReadOnlyList<Block> Conversation(Ec2NetworkAcl? initiator, string initiatorCidr, Ec2NetworkAcl? responder, string responderCidr, int port)
    {
        var blocks = new List<Block>();
        Check(blocks, initiator, egress: true, new[] { port }, responderCidr);
        Check(blocks, initiator, egress: false, EphemeralPorts, responderCidr);
        Check(blocks, responder, egress: false, new[] { port }, initiatorCidr);
        Check(blocks, responder, egress: true, EphemeralPorts, initiatorCidr);
        return blocks;
    }

    /// <summary>The entry that decides traffic on <paramref name="port"/> to or from <paramref name="peerCidr"/>, or null for the implicit deny.</summary>
    public static Ec2NetworkAclEntry? Deciding(Ec2NetworkAcl acl, bool egress, int port, string peerCidr) =>
        acl.Entries.Where(e => e.Egress == egress).OrderBy(e => e.RuleNumber).FirstOrDefault(e =>
            (e.Protocol is "-1" or "6" or "tcp" or "all") &&
            (e.FromPort is null || (port >= e.FromPort && port <= (e.ToPort ?? e.FromPort))) &&
            e.CidrBlock is { } cidr && Ipv4Cidr.Contains(cidr, peerCidr));

    private static void Check(List<Block> blocks, Ec2NetworkAcl? acl, bool egress, IReadOnlyList<int> ports, string peerCidr)
    {
        if (acl is null)
        {
            return;
        }

        var denied = ports.Select(port => (port, entry: Deciding(acl, egress, port, peerCidr))).FirstOrDefault(p => p.entry?.Allow != true);
        if (denied == default)
        {
            return;
        }

        var range = ports.Count == 1 ? $"{ports[0]}" : "1024-65535";
        var direction = egress ? $"outbound TCP {range} to" : $"inbound TCP {range} from";
        var by = denied.entry is { } entry ? $"rule {entry.RuleNumber} denies it" : "no rule allows it (the implicit deny)";
        var rule = FreeRuleNumber(acl, egress, denied.entry?.RuleNumber);
        var (from, to) = ports.Count == 1 ? (ports[0], ports[0]) : (1024, 65535);
        blocks.Add(new Block(
            $"Network ACL {acl.Id} blocks {direction} {peerCidr}: {by}",
            string.Format(CultureInfo.InvariantCulture,
                "aws ec2 create-network-acl-entry --network-acl-id {0} {1} --rule-number {2} --protocol 6 --port-range From={3},To={4} --cidr-block {5} --rule-action allow",
                acl.Id, egress ? "--egress" : "--ingress", rule, from, to, peerCidr)));
    }

    /// <summary>A rule number below the denying entry (so the allow wins), or after the last entry for the implicit deny.</summary>
    private static int FreeRuleNumber(Ec2NetworkAcl acl, bool egress, int? denying)
    {
        var taken = new HashSet<int>(acl.Entries.Where(e => e.Egress == egress).Select(e => e.RuleNumber));
        if (denying is { } below)
        {
            for (var candidate = below - 1; candidate > 0; candidate--)
            {
                if (!taken.Contains(candidate))
                {
                    return candidate;
                }
            }
        }

        var last = taken.Where(n => n < 32767).DefaultIfEmpty(0).Max();
        return last + 10 <= 32766 ? last + 10 : 32766;
    }
}
