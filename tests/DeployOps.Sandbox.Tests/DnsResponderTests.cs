using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Sandbox.Tests;

/// <summary>
/// The sandbox's DNS resolver, asked with datagrams written here byte by byte (RFC 1035), the load balancers' names read
/// with the aws CLI: A 127.0.0.1 for a load balancer moto knows, no data for AAAA, NXDOMAIN for other names and for a load
/// balancer it was told not to know, FORMERR for a query without a question.
/// </summary>
public sealed class DnsResponderTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public DnsResponderTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private async Task<IPEndPoint> ResolverAsync() => IPEndPoint.Parse((string)(await _sandbox.DnsAsync())["server"]!);

    private Task<string> AlbDnsNameAsync() => _sandbox.LoadBalancerDnsNameAsync();

    private static byte[] Query(ushort id, string name, ushort type, ushort questions = 1)
    {
        var bytes = new System.Collections.Generic.List<byte> { (byte)(id >> 8), (byte)id, 0x01, 0x00, (byte)(questions >> 8), (byte)questions, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.AddRange(new byte[] { 0, (byte)(type >> 8), (byte)type, 0, 1 });
        return bytes.ToArray();
    }

    private static async Task<byte[]> AskAsync(IPEndPoint resolver, byte[] query)
    {
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(resolver);
        await udp.SendAsync(query);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return (await udp.ReceiveAsync(timeout.Token)).Buffer;
    }

    private static (int Id, int Code, int Questions, int Answers) Header(byte[] answer) =>
        ((answer[0] << 8) | answer[1], answer[3] & 0x0F, (answer[4] << 8) | answer[5], (answer[6] << 8) | answer[7]);

    [Fact]
    public async Task A_load_balancers_name_gets_one_A_record_127_0_0_1_and_no_AAAA()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var resolver = await ResolverAsync();
        var name = await AlbDnsNameAsync();

        var a = await AskAsync(resolver, Query(0x1234, name, 1));
        var aaaa = await AskAsync(resolver, Query(0x4321, name, 28));

        Assert.Equal((0x1234, 0, 1, 1), Header(a));
        Assert.True((a[2] & 0x80) != 0, "QR is set on a response");
        Assert.Equal(new byte[] { 0xC0, 0x0C, 0, 1, 0, 1 }, a.Skip(a.Length - 16).Take(6).ToArray());
        Assert.Equal(new byte[] { 127, 0, 0, 1 }, a.Skip(a.Length - 4).ToArray());
        Assert.Equal((0x4321, 0, 1, 0), Header(aaaa));
    }

    [Fact]
    public async Task Other_names_and_a_load_balancer_it_was_told_not_to_know_get_NXDOMAIN_until_the_next_scenario()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var resolver = await ResolverAsync();
        var name = await AlbDnsNameAsync();

        var other = await AskAsync(resolver, Query(7, "www.example.com", 1));
        var denied = await _sandbox.PostControlAsync("_sandbox/dns/nxdomain", $"{{\"loadBalancer\":\"{Lightwave.LoadBalancer}\"}}");
        var unknown = await AskAsync(resolver, Query(8, name, 1));
        var bad = await _sandbox.PostControlAsync("_sandbox/dns/nxdomain", "{}");
        await _sandbox.LoadScenarioAsync("healthy");
        var again = await AskAsync(resolver, Query(9, await AlbDnsNameAsync(), 1));

        Assert.Equal((7, 3, 1, 0), Header(other));
        Assert.True(denied.IsSuccessStatusCode);
        Assert.Equal((8, 3, 1, 0), Header(unknown));
        Assert.Equal(400, (int)bad.StatusCode);
        Assert.Equal((9, 0, 1, 1), Header(again));
    }

    [Fact]
    public async Task A_cname_to_a_load_balancer_is_answered_with_the_cname_then_its_A_record()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var resolver = await ResolverAsync();
        var name = await AlbDnsNameAsync();
        (await _sandbox.PostControlAsync("_sandbox/dns/cname", $"{{\"name\":\"App.Lightwave.test.\",\"target\":\"{name}\"}}")).EnsureSuccessStatusCode();
        var bad = await _sandbox.PostControlAsync("_sandbox/dns/cname", "{\"name\":\"a b\",\"target\":\"x.test\"}");

        var answer = await AskAsync(resolver, Query(21, "app.lightwave.test", 1));

        Assert.Equal((21, 0, 1, 2), Header(answer));
        var first = 12 + "app.lightwave.test".Length + 2 + 4;
        Assert.Equal(new byte[] { 0xC0, 0x0C, 0, 5, 0, 1 }, answer.Skip(first).Take(6).ToArray()); // CNAME owned by the question's name
        Assert.All(name.Split('.'), label => Assert.Contains((char)label.Length + label, Encoding.ASCII.GetString(answer), StringComparison.Ordinal)); // the target, label by label
        Assert.Equal(new byte[] { 127, 0, 0, 1 }, answer.Skip(answer.Length - 4).ToArray());
        Assert.Equal(400, (int)bad.StatusCode);
    }

    [Fact]
    public async Task A_query_without_a_question_is_a_format_error()
    {
        var resolver = await ResolverAsync();

        var answer = await AskAsync(resolver, Query(0xBEEF, "x.example", 1, questions: 0));

        Assert.Equal((0xBEEF, 1, 0, 0), Header(answer));
    }
}
