using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

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
    public static bool Allows(ConfigSnapshot snapshot, NetworkEndpoint source, NetworkEndpoint destination, int port) =>
        AnyPermits(snapshot, destination.SecurityGroupIds, g => g.Ingress, source, port) &&
        AnyPermits(snapshot, source.SecurityGroupIds, g => g.Egress, destination, port);

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
                    permission.Cidrs.Any(cidr => peer.SubnetCidrs.Count > 0 && peer.SubnetCidrs.All(subnet => CidrContains(cidr, subnet))))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when IPv4 block <paramref name="outer"/> contains block <paramref name="inner"/>.</summary>
    public static bool CidrContains(string outer, string inner)
    {
        if (!TryParse(outer, out var outerAddress, out var outerBits) || !TryParse(inner, out var innerAddress, out var innerBits) || innerBits < outerBits)
        {
            return false;
        }

        var mask = outerBits == 0 ? 0u : uint.MaxValue << (32 - outerBits);
        return (outerAddress & mask) == (innerAddress & mask);
    }

    private static bool TryParse(string cidr, out uint address, out int bits)
    {
        address = 0;
        bits = 0;
        var parts = cidr.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var ip) || !int.TryParse(parts[1], out bits) || bits is < 0 or > 32)
        {
            return false;
        }

        var bytes = ip.GetAddressBytes();
        if (bytes.Length != 4)
        {
            return false;
        }

        address = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        return true;
    }
}
