using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.World;
using Microsoft.Extensions.Logging;

namespace DeployOps.Sandbox.Simulators.Dns;

/// <summary>
/// A DNS resolver on a loopback UDP port (not an AWS service: it registers no AWS route), so a client can ask it for a
/// load balancer's name as it would ask 8.8.8.8: an ELB DNS name (<c>*.&lt;region&gt;.elb.amazonaws.com</c>) of a load
/// balancer moto knows at the moment of the question gets <c>A 127.0.0.1</c> (AAAA and other types: no data, as an
/// IPv4-only ALB answers); any other name gets NXDOMAIN, and a question moto cannot answer SERVFAIL. Its address is in
/// <c>GET /_sandbox/dns</c> and in the state's <c>dns</c>, with the count of questions answered.
/// <c>POST /_sandbox/dns/nxdomain</c> <c>{"loadBalancer": "web-alb"}</c> makes it answer NXDOMAIN for that load balancer's name
/// until the next scenario (a resolver that does not know the name: a stale negative cache after the load balancer was
/// re-created, a resolver that cannot see the zone). <c>POST /_sandbox/dns/cname</c> <c>{"name": "app.example.test", "target":
/// "&lt;load balancer DNS name&gt;"}</c> adds a CNAME until the next scenario (a custom domain pointing at the load balancer):
/// it answers as a recursive resolver does, the CNAMEs followed (8 at most) and then the target's A record, or NXDOMAIN
/// with the CNAMEs when the target is unknown.
/// </summary>
public sealed partial class DnsResponderSimulator : Simulator
{
    private const ushort TypeA = 1;
    private const ushort TypeAny = 255;
    private const ushort TypeCname = 5;
    private const int TtlSeconds = 60;
    private const int MaxCnames = 8;

    private readonly UdpClient _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private long _answered;
    private HashSet<string> _unknownLoadBalancers = new(StringComparer.Ordinal);
    private Dictionary<string, string> _cnames = new(StringComparer.Ordinal);

    public DnsResponderSimulator(WorldContext world)
        : base(world)
    {
        _socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        _serving = Task.Run(() => ServeAsync(_stop.Token));
    }

    /// <summary>The address clients ask, e.g. <c>127.0.0.1:53124</c>.</summary>
    public string Server => $"127.0.0.1:{((IPEndPoint)_socket.Client.LocalEndPoint!).Port}";

    [GeneratedRegex(@"^[a-z0-9-]+\.(?<region>[a-z]{2}(-[a-z]+)+-\d+)\.elb\.amazonaws\.com$", RegexOptions.CultureInvariant)]
    private static partial Regex ElbName();

    /// <summary>The load balancers are moto's, read at each question; only the names it was told to deny are its own.</summary>
    protected override void Forget(ScenarioDefinition? next)
    {
        _unknownLoadBalancers = new HashSet<string>(StringComparer.Ordinal);
        _cnames = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    public override void DescribeState(JsonObject state) => state["dns"] = Describe();

    public override IEnumerable<ControlRoute> ControlRoutes() =>
    [
        new("GET", "dns", _ => ControlAnswer.Ok(Describe())),
        new("POST", "dns/nxdomain", body =>
        {
            if ((body?["loadBalancer"] as JsonValue)?.TryGetValue<string>(out var name) != true || string.IsNullOrWhiteSpace(name))
            {
                return ControlAnswer.Problem("expected {\"loadBalancer\": \"<name>\"}: the load balancer whose DNS name gets NXDOMAIN");
            }

            lock (Gate)
            {
                _unknownLoadBalancers.Add(name!);
            }

            return ControlAnswer.Ok(Describe());
        }),
        new("POST", "dns/cname", body =>
        {
            var name = (body?["name"] as JsonValue)?.TryGetValue<string>(out var n) == true ? n.TrimEnd('.').ToLowerInvariant() : "";
            var target = (body?["target"] as JsonValue)?.TryGetValue<string>(out var t) == true ? t.TrimEnd('.').ToLowerInvariant() : "";
            if (!IsDnsName(name) || !IsDnsName(target) || name == target)
            {
                return ControlAnswer.Problem("expected {\"name\": \"<DNS name>\", \"target\": \"<another DNS name>\"}: a CNAME from name to target");
            }

            lock (Gate)
            {
                _cnames[name] = target;
            }

            return ControlAnswer.Ok(Describe());
        }),
    ];

    private static bool IsDnsName(string name) =>
        name.Length is > 0 and <= 253 && name.Split('.').All(l => l.Length is > 0 and <= 63 && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));

    private JsonObject Describe()
    {
        lock (Gate)
        {
            return new JsonObject
            {
                ["server"] = Server,
                ["answered"] = Interlocked.Read(ref _answered),
                ["nxdomain"] = new JsonArray(_unknownLoadBalancers.Order(StringComparer.Ordinal).Select(n => (JsonNode)n).ToArray()),
                ["cnames"] = new JsonObject(_cnames.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
            };
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        try
        {
            await _serving.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            UdpReceiveResult question;
            try
            {
                question = await _socket.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                continue; // an ICMP error from an earlier client that went away
            }

            _ = AnswerAsync(question, cancellationToken);
        }
    }

    private async Task AnswerAsync(UdpReceiveResult question, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await AnswerAsync(question.Buffer, cancellationToken).ConfigureAwait(false);
            if (answer is not null)
            {
                await _socket.SendAsync(answer, question.RemoteEndPoint, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _answered);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    /// <summary>The response to one query datagram, or null for what is not a standard query (dropped, as resolvers do).</summary>
    private async Task<byte[]?> AnswerAsync(byte[] query, CancellationToken cancellationToken)
    {
        if (query.Length < 12 || (query[2] & 0x80) != 0 || (query[2] & 0x78) != 0)
        {
            return null;
        }

        if (((query[4] << 8) | query[5]) != 1 || ReadQuestion(query) is not { } parsed)
        {
            return Response(query, query.Length, rcode: 1, []); // FORMERR
        }

        var (name, type, end) = parsed;
        var records = new List<(string? Owner, ushort Type, byte[] Data)>();
        var target = name;
        lock (Gate)
        {
            while (records.Count < MaxCnames && _cnames.TryGetValue(target, out var next))
            {
                records.Add((records.Count == 0 ? null : target, TypeCname, EncodeName(next)));
                target = next;
            }
        }

        int rcode;
        try
        {
            var known = ElbName().Match(target) is { Success: true } match
                        && (await LoadBalancerNamesAsync(match.Groups["region"].Value, cancellationToken).ConfigureAwait(false)).Contains(target);
            rcode = known ? 0 : 3;
            if (known && type is TypeA or TypeAny)
            {
                records.Add((records.Count == 0 ? null : target, TypeA, IPAddress.Loopback.GetAddressBytes()));
            }
        }
        catch (MotoException ex)
        {
            World.Log.LogWarning("DNS: could not read the load balancers for {Name}: {Message}", target, ex.Message);
            rcode = 2; // SERVFAIL
            records.Clear();
        }

        return Response(query, end, rcode, records);
    }

    /// <summary>The DNS names of the load balancers moto knows in <paramref name="region"/> (lower case), less those told to get NXDOMAIN.</summary>
    private async Task<HashSet<string>> LoadBalancerNamesAsync(string region, CancellationToken cancellationToken)
    {
        var answer = await World.Moto.ElbAsync("DescribeLoadBalancers", [], region, cancellationToken).ConfigureAwait(false);
        HashSet<string> unknown;
        lock (Gate)
        {
            unknown = new HashSet<string>(_unknownLoadBalancers, StringComparer.Ordinal);
        }

        return answer.ListBelow("LoadBalancers").Where(lb => !unknown.Contains(lb.Text("LoadBalancerName") ?? ""))
            .Select(lb => lb.Text("DNSName")?.ToLowerInvariant()).Where(n => n is not null).Select(n => n!)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The question's name (lower case, no trailing dot), type, and where it ends; null when it cannot be read.</summary>
    private static (string Name, ushort Type, int End)? ReadQuestion(byte[] query)
    {
        var labels = new List<string>();
        var at = 12;
        while (at < query.Length && query[at] != 0)
        {
            var length = query[at];
            if (length > 63 || at + 1 + length >= query.Length)
            {
                return null;
            }

            labels.Add(Encoding.ASCII.GetString(query, at + 1, length));
            at += 1 + length;
        }

        if (at + 5 > query.Length)
        {
            return null;
        }

        return (string.Join('.', labels).ToLowerInvariant(), (ushort)((query[at + 1] << 8) | query[at + 2]), at + 5);
    }

    /// <summary>
    /// A response to <paramref name="query"/>: its id and question (up to <paramref name="questionEnd"/>), the code, and the
    /// answer records, each owned by the question's name (a pointer to it, null owner) or by a name written out.
    /// </summary>
    private static byte[] Response(byte[] query, int questionEnd, int rcode, IReadOnlyList<(string? Owner, ushort Type, byte[] Data)> records)
    {
        var bytes = new List<byte>(questionEnd + 64)
        {
            query[0], query[1],
            (byte)(0x80 | (query[2] & 0x01)), // QR, opcode 0, RD copied
            (byte)(0x80 | rcode), // RA
            0, (byte)(rcode == 1 ? 0 : 1), 0, (byte)records.Count, 0, 0, 0, 0,
        };
        if (rcode != 1)
        {
            bytes.AddRange(query.Skip(12).Take(questionEnd - 12));
        }

        foreach (var (owner, type, data) in records)
        {
            bytes.AddRange(owner is null ? [0xC0, 0x0C] : EncodeName(owner));
            bytes.AddRange([0, (byte)type, 0, 1, 0, 0, 0, TtlSeconds, (byte)(data.Length >> 8), (byte)data.Length]);
            bytes.AddRange(data);
        }

        return bytes.ToArray();
    }

    /// <summary>A name as length-prefixed labels ending with the root (written out, no compression).</summary>
    private static byte[] EncodeName(string name) =>
        name.Split('.').SelectMany(label => new[] { (byte)label.Length }.Concat(Encoding.ASCII.GetBytes(label))).Append((byte)0).ToArray();
}
