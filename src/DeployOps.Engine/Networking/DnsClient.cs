using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Networking;

/// <summary>How a name fared at a resolver.</summary>
public enum DnsOutcome
{
    /// <summary>At least one A or AAAA address.</summary>
    Resolved,

    /// <summary>The name exists but has no A or AAAA record (NOERROR, no data).</summary>
    NoAddress,

    /// <summary>The resolver says the name does not exist (NXDOMAIN).</summary>
    NameDoesNotExist,

    /// <summary>The resolver refused or failed (SERVFAIL, REFUSED, ...), or answered what cannot be read.</summary>
    Failed,

    /// <summary>No answer within the timeout (or nothing listens there).</summary>
    NoAnswer,
}

/// <summary>What a resolver said about a name: its addresses, the CNAMEs followed to them, or why there are none.</summary>
public sealed record DnsResolution(string Name, DnsOutcome Outcome, IReadOnlyList<IPAddress> Addresses, IReadOnlyList<string> CanonicalNames, string? Problem)
{
    /// <summary>One line: "x resolves to 1.2.3.4 (via CNAME y)", "x does not exist (NXDOMAIN)", ...</summary>
    public string Describe(DnsServer server)
    {
        var via = CanonicalNames.Count == 0 ? "" : $" (via CNAME {string.Join(" -> ", CanonicalNames)})";
        return Outcome switch
        {
            DnsOutcome.Resolved => $"{Name} resolves to {string.Join(", ", Addresses)}{via} at {server}",
            DnsOutcome.NoAddress => $"{Name} has no A or AAAA record{via} at {server}",
            DnsOutcome.NameDoesNotExist => $"{server} says {Name}{via} does not exist (NXDOMAIN)",
            DnsOutcome.NoAnswer => $"{server} did not answer for {Name}: {Problem}",
            _ => $"{server} could not resolve {Name}: {Problem}",
        };
    }
}

/// <summary>
/// A small DNS client over UDP (RFC 1035) that asks one resolver for a name's A and AAAA records, following CNAMEs the
/// answer does not resolve itself (up to <see cref="MaxCnameHops"/>), each query retried once after its timeout. It
/// asks with recursion desired, as a stub resolver does; it never falls back to the system's resolver.
/// </summary>
public sealed class DnsClient
{
    public const int MaxCnameHops = 8;
    private const ushort TypeA = 1;
    private const ushort TypeCname = 5;
    private const ushort TypeAaaa = 28;
    private const ushort ClassIn = 1;
    private const int Attempts = 2;

    private readonly DnsServer _server;
    private readonly TimeSpan _timeout;

    /// <param name="server">The resolver to ask.</param>
    /// <param name="timeout">How long to wait for each answer (two attempts per query); 2 seconds unless given.</param>
    public DnsClient(DnsServer server, TimeSpan? timeout = null)
    {
        _server = server;
        _timeout = timeout ?? TimeSpan.FromSeconds(2);
    }

    /// <summary>Asks for <paramref name="name"/>'s A and AAAA records at once and combines the answers.</summary>
    public async Task<DnsResolution> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        var trimmed = name.TrimEnd('.');
        if (Encode(trimmed) is null)
        {
            return new DnsResolution(name, DnsOutcome.Failed, Array.Empty<IPAddress>(), Array.Empty<string>(), $"'{name}' is not a DNS name (labels of 1 to 63 ASCII characters, 253 in all)");
        }

        var a = FollowAsync(trimmed, TypeA, cancellationToken);
        var aaaa = FollowAsync(trimmed, TypeAaaa, cancellationToken);
        await Task.WhenAll(a, aaaa).ConfigureAwait(false);
        var (first, second) = (a.Result, aaaa.Result);
        var addresses = first.Addresses.Concat(second.Addresses).ToList();
        var chain = first.CanonicalNames.Count >= second.CanonicalNames.Count ? first.CanonicalNames : second.CanonicalNames;
        if (addresses.Count > 0)
        {
            return new DnsResolution(trimmed, DnsOutcome.Resolved, addresses, chain, null);
        }

        // The A answer decides; the AAAA one only when the A query got nothing usable.
        var decisive = first.Outcome is DnsOutcome.NoAnswer or DnsOutcome.Failed && second.Outcome is not (DnsOutcome.NoAnswer or DnsOutcome.Failed) ? second : first;
        return decisive with { Name = trimmed, CanonicalNames = chain };
    }

    private async Task<DnsResolution> FollowAsync(string name, ushort type, CancellationToken cancellationToken)
    {
        var chain = new List<string>();
        var target = name;
        for (var hop = 0; hop <= MaxCnameHops; hop++)
        {
            var answer = await QueryAsync(target, type, cancellationToken).ConfigureAwait(false);
            if (answer.Outcome is not null)
            {
                return new DnsResolution(name, answer.Outcome.Value, Array.Empty<IPAddress>(), chain, answer.Problem);
            }

            // Walk the answer's own chain first: a recursive resolver returns the CNAMEs and the final addresses together.
            var owners = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { target };
            while (answer.Records.FirstOrDefault(r => r.Type == TypeCname && owners.Contains(r.Owner) && !owners.Contains(r.Target!)) is { } cname)
            {
                chain.Add(cname.Target!);
                owners.Add(cname.Target!);
                target = cname.Target!;
            }

            var addresses = answer.Records.Where(r => r.Type == type && owners.Contains(r.Owner)).Select(r => r.Address!).ToList();
            if (addresses.Count > 0)
            {
                return new DnsResolution(name, DnsOutcome.Resolved, addresses, chain, null);
            }

            if (owners.Count == 1 || hop == MaxCnameHops)
            {
                return new DnsResolution(name, DnsOutcome.NoAddress, Array.Empty<IPAddress>(), chain, null);
            }

            // The chain ends at a name this answer does not resolve: ask for it.
        }

        return new DnsResolution(name, DnsOutcome.Failed, Array.Empty<IPAddress>(), chain, $"more than {MaxCnameHops} CNAMEs");
    }

    private async Task<DnsAnswer> QueryAsync(string name, ushort type, CancellationToken cancellationToken)
    {
        var problem = "";
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var id = (ushort)RandomId();
            var query = Query(id, name, type);
            using var udp = new UdpClient(_server.Address.AddressFamily);
            try
            {
                udp.Connect(_server.EndPoint);
                await udp.SendAsync(query, query.Length).ConfigureAwait(false);
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(_timeout);
                while (true)
                {
                    var receive = udp.ReceiveAsync();
                    var finished = await Task.WhenAny(receive, Task.Delay(Timeout.Infinite, deadline.Token)).ConfigureAwait(false);
                    if (finished != receive)
                    {
                        // The socket is closed below, which ends the pending receive with an error nobody needs.
                        _ = receive.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                        cancellationToken.ThrowIfCancellationRequested();
                        problem = $"no answer within {_timeout.TotalSeconds:0.#} s after {attempt} attempt{(attempt == 1 ? "" : "s")}";
                        break;
                    }

                    var datagram = await receive.ConfigureAwait(false);
                    if (Read(datagram.Buffer, id) is { } answer)
                    {
                        return answer;
                    }
                }
            }
            catch (SocketException ex)
            {
                problem = $"nothing answers at {_server} ({ex.SocketErrorCode})";
            }
        }

        return new DnsAnswer(DnsOutcome.NoAnswer, problem, Array.Empty<DnsRecord>());
    }

    private static int RandomId()
    {
        var bytes = Guid.NewGuid().ToByteArray();
        return (bytes[0] << 8) | bytes[1];
    }

    /// <summary>A query: header (id, RD), one question (name, type, IN).</summary>
    private static byte[] Query(ushort id, string name, ushort type)
    {
        var bytes = new List<byte> { (byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        bytes.AddRange(Encode(name)!);
        bytes.AddRange(new[] { (byte)(type >> 8), (byte)type, (byte)(ClassIn >> 8), (byte)ClassIn });
        return bytes.ToArray();
    }

    /// <summary>The name as length-prefixed labels ending with the root, or null when it is no DNS name.</summary>
    private static byte[]? Encode(string name)
    {
        if (name.Length == 0 || name.Length > 253 || name.Any(c => c > 127))
        {
            return null;
        }

        var bytes = new List<byte>();
        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63)
            {
                return null;
            }

            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return bytes.ToArray();
    }

    /// <summary>
    /// The answer to query <paramref name="id"/>, or null for a datagram that is not one (another id, not a response):
    /// the caller keeps waiting. An answer that cannot be read is Failed.
    /// </summary>
    private static DnsAnswer? Read(byte[] message, ushort id)
    {
        if (message.Length < 12 || ((message[0] << 8) | message[1]) != id || (message[2] & 0x80) == 0)
        {
            return null;
        }

        var code = message[3] & 0x0F;
        if (code == 3)
        {
            return new DnsAnswer(DnsOutcome.NameDoesNotExist, null, Array.Empty<DnsRecord>());
        }

        if (code != 0)
        {
            return new DnsAnswer(DnsOutcome.Failed, $"response code {ResponseCode(code)}", Array.Empty<DnsRecord>());
        }

        try
        {
            var questions = (message[4] << 8) | message[5];
            var answers = (message[6] << 8) | message[7];
            var at = 12;
            for (var q = 0; q < questions; q++)
            {
                ReadName(message, ref at);
                at += 4;
            }

            var records = new List<DnsRecord>();
            for (var r = 0; r < answers; r++)
            {
                var owner = ReadName(message, ref at);
                var type = (ushort)((message[at] << 8) | message[at + 1]);
                var length = (message[at + 8] << 8) | message[at + 9];
                at += 10;
                if (at + length > message.Length)
                {
                    throw new IndexOutOfRangeException();
                }

                var data = at;
                records.Add(type switch
                {
                    TypeA when length == 4 => new DnsRecord(owner, type, new IPAddress(message.Skip(data).Take(4).ToArray()), null),
                    TypeAaaa when length == 16 => new DnsRecord(owner, type, new IPAddress(message.Skip(data).Take(16).ToArray()), null),
                    TypeCname => new DnsRecord(owner, type, null, ReadName(message, ref data)),
                    _ => new DnsRecord(owner, 0, null, null),
                });
                at += length;
            }

            var truncated = (message[2] & 0x02) != 0;
            return truncated && records.Count == 0
                ? new DnsAnswer(DnsOutcome.Failed, "the answer was truncated (too large for UDP)", records)
                : new DnsAnswer(null, null, records);
        }
        catch (IndexOutOfRangeException)
        {
            return new DnsAnswer(DnsOutcome.Failed, "an answer that is not a DNS message", Array.Empty<DnsRecord>());
        }
    }

    /// <summary>A name at <paramref name="at"/> (labels, or a pointer to earlier ones), moving <paramref name="at"/> past it.</summary>
    private static string ReadName(byte[] message, ref int at)
    {
        var labels = new List<string>();
        var position = at;
        var jumped = false;
        for (var steps = 0; steps < 128; steps++)
        {
            var length = message[position];
            if (length == 0)
            {
                if (!jumped)
                {
                    at = position + 1;
                }

                return string.Join(".", labels);
            }

            if ((length & 0xC0) == 0xC0)
            {
                if (!jumped)
                {
                    at = position + 2;
                }

                position = ((length & 0x3F) << 8) | message[position + 1];
                jumped = true;
                continue;
            }

            if (position + 1 + length > message.Length)
            {
                throw new IndexOutOfRangeException();
            }

            labels.Add(Encoding.ASCII.GetString(message, position + 1, length));
            position += 1 + length;
        }

        throw new IndexOutOfRangeException();
    }

    private static string ResponseCode(int code) => code switch
    {
        1 => "FORMERR",
        2 => "SERVFAIL",
        4 => "NOTIMP",
        5 => "REFUSED",
        _ => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>An answer: an outcome that ends the query (NXDOMAIN, a failure), or the records to read (Outcome null).</summary>
    private sealed record DnsAnswer(DnsOutcome? Outcome, string? Problem, IReadOnlyList<DnsRecord> Records);

    private sealed record DnsRecord(string Owner, ushort Type, IPAddress? Address, string? Target);
}
