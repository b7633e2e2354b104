using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using DeployOps.Errors;

namespace DeployOps.Networking;

/// <summary>A DNS resolver to ask directly (Get-LoadBalancerHealth -DnsServer): an IPv4 or IPv6 address and a UDP port, 53 unless given.</summary>
public sealed class DnsServer
{
    public const int DefaultPort = 53;

    private static readonly Regex IPv4WithPort = new(@"^(?<address>\d{1,3}(\.\d{1,3}){3})(:(?<port>\d{1,5}))?$", RegexOptions.CultureInvariant);
    private static readonly Regex BracketedIPv6 = new(@"^\[(?<address>[0-9A-Fa-f:.]+)\](:(?<port>\d{1,5}))?$", RegexOptions.CultureInvariant);

    private DnsServer(IPAddress address, int port)
    {
        Address = address;
        Port = port;
    }

    public IPAddress Address { get; }

    public int Port { get; }

    public IPEndPoint EndPoint => new(Address, Port);

    /// <summary>
    /// Reads <c>8.8.8.8</c>, <c>8.8.8.8:53</c>, <c>2001:4860:4860::8888</c> or <c>[2001:4860:4860::8888]:53</c>; anything
    /// else (a host name, a port out of 1-65535, a malformed address) is an InvalidDnsServer error naming the value.
    /// </summary>
    public static DnsServer Parse(string text)
    {
        var value = text.Trim();
        var v4 = IPv4WithPort.Match(value);
        var v6 = v4.Success ? null : BracketedIPv6.Match(value);
        if (v4.Success && IPAddress.TryParse(v4.Groups["address"].Value, out var ipv4) && PortOf(v4) is { } port4)
        {
            return new DnsServer(ipv4, port4);
        }

        if (v6 is { Success: true } && IPAddress.TryParse(v6.Groups["address"].Value, out var bracketed)
            && bracketed.AddressFamily == AddressFamily.InterNetworkV6 && PortOf(v6) is { } port6)
        {
            return new DnsServer(bracketed, port6);
        }

        if (!v4.Success && value.IndexOf(':') != value.LastIndexOf(':') && value.IndexOf('[') < 0 && IPAddress.TryParse(value, out var bare)
            && bare.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return new DnsServer(bare, DefaultPort);
        }

        throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidDnsServer, DeployOpsErrorKind.InvalidArgument,
            $"'{text}' is not a DNS server address; expected an IPv4 or IPv6 address with an optional port from 1 to 65535, " +
            "e.g. 8.8.8.8, 8.8.8.8:53, 2001:4860:4860::8888 or [2001:4860:4860::8888]:53.", text));
    }

    /// <summary><c>8.8.8.8:53</c>, <c>[2001:4860:4860::8888]:53</c>.</summary>
    public override string ToString() =>
        Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}";

    private static int? PortOf(Match match)
    {
        if (!match.Groups["port"].Success)
        {
            return DefaultPort;
        }

        var port = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
        return port is >= 1 and <= 65535 ? port : null;
    }
}
