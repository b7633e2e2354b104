using System.Net;

namespace DeployOps.Networking;

/// <summary>
/// IPv4 CIDR arithmetic, shared as source by the engine (to explain why a load balancer cannot
/// reach a task) and the sandbox (to decide whether its probes get through). Only this arithmetic is
/// shared: each side keeps its own reading of security groups.
/// </summary>
internal static class Ipv4Cidr
{
    /// <summary>True when block <paramref name="outer"/> contains block <paramref name="inner"/> (an address is a /32).</summary>
    public static bool Contains(string outer, string inner)
    {
        if (!TryParse(outer, out var outerAddress, out var outerBits) || !TryParse(inner, out var innerAddress, out var innerBits) || innerBits < outerBits)
        {
            return false;
        }

        var mask = outerBits == 0 ? 0u : uint.MaxValue << (32 - outerBits);
        return (outerAddress & mask) == (innerAddress & mask);
    }

    /// <summary>Reads "10.0.1.0/24" (or a plain address, as a /32).</summary>
    public static bool TryParse(string cidr, out uint address, out int bits)
    {
        address = 0;
        bits = 32;
        var slash = cidr.IndexOf('/');
        var host = slash < 0 ? cidr : cidr.Substring(0, slash);
        if ((slash >= 0 && (!int.TryParse(cidr.Substring(slash + 1), out bits) || bits < 0 || bits > 32)) || !IPAddress.TryParse(host, out var ip))
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
