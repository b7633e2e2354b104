using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Health;
using DeployOps.LoadBalancers;
using DeployOps.Networking;
using DeployOps.Operations;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>-DnsServer's address: IPv4 or IPv6 with an optional port; anything else is InvalidDnsServer naming the value.</summary>
public sealed class DnsServerParsingTests
{
    [Theory]
    [InlineData("8.8.8.8", "8.8.8.8:53")]
    [InlineData(" 1.1.1.1:5353 ", "1.1.1.1:5353")]
    [InlineData("2001:4860:4860::8888", "[2001:4860:4860::8888]:53")]
    [InlineData("[2001:4860:4860::8888]:5300", "[2001:4860:4860::8888]:5300")]
    [InlineData("[::1]", "[::1]:53")]
    public void An_address_with_or_without_a_port_is_a_dns_server(string text, string expected) =>
        Assert.Equal(expected, DnsServer.Parse(text).ToString());

    [Theory]
    [InlineData("dns.google")]
    [InlineData("8.8.8")]
    [InlineData("256.1.1.1")]
    [InlineData("8.8.8.8:0")]
    [InlineData("8.8.8.8:65536")]
    [InlineData("8.8.8.8:")]
    [InlineData("2001:4860:4860::8888:53:")]
    [InlineData("[8.8.8.8]:53")]
    [InlineData("[2001:db8::1]:x")]
    public void Anything_else_is_an_error_naming_the_value_and_what_was_expected(string text)
    {
        var error = Assert.Throws<DeployOpsException>(() => DnsServer.Parse(text)).Error;

        Assert.Equal((ErrorIds.InvalidDnsServer, DeployOpsErrorKind.InvalidArgument), (error.ErrorId, error.Kind));
        Assert.StartsWith($"'{text}' is not a DNS server address; expected an IPv4 or IPv6 address", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>
/// The DNS client over real UDP against the sandbox's resolver (which knows the DNS names of moto's load balancers), and
/// Get-LoadBalancerHealth -DnsServer's DNS check and NameDoesNotResolve cause.
/// </summary>
public sealed class DnsResolverTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public DnsResolverTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private async Task<DnsServer> ResolverAsync() => DnsServer.Parse((string)(await _sandbox.DnsAsync())["server"]!);

    private Task<string> AlbDnsNameAsync() => _sandbox.LoadBalancerDnsNameAsync();

    private async Task<LoadBalancerHealthReport> InspectAsync(Aws.AwsSession session, LoadBalancerHealthRequest request) =>
        Assert.Single(await new LoadBalancerHealthInspector(new AwsFacts(session, NullOperationObserver.Instance)).InspectAsync(request, default)).Value!;

    [Fact]
    public async Task A_load_balancers_name_resolves_to_loopback_at_the_sandbox_resolver_in_any_case_with_or_without_the_root_dot()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var server = await ResolverAsync();
        var name = await AlbDnsNameAsync();
        var before = (long)(await _sandbox.DnsAsync())["answered"]!;

        var plain = await new DnsClient(server).ResolveAsync(name, default);
        var shouted = await new DnsClient(server).ResolveAsync(name.ToUpperInvariant() + ".", default);

        Assert.Equal((DnsOutcome.Resolved, IPAddress.Loopback), (plain.Outcome, Assert.Single(plain.Addresses)));
        Assert.Equal(DnsOutcome.Resolved, shouted.Outcome);
        Assert.Equal($"{name} resolves to 127.0.0.1 at {server}", plain.Describe(server));
        Assert.True((long)(await _sandbox.DnsAsync())["answered"]! >= before + 4, "each resolution asks for A and AAAA at the sandbox's resolver");
    }

    [Fact]
    public async Task A_name_the_resolver_does_not_know_is_nxdomain()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var server = await ResolverAsync();

        var gone = await new DnsClient(server).ResolveAsync("deleted-alb-1234567890.us-east-1.elb.amazonaws.com", default);
        var other = await new DnsClient(server).ResolveAsync("www.example.com", default);

        Assert.Equal((DnsOutcome.NameDoesNotExist, DnsOutcome.NameDoesNotExist), (gone.Outcome, other.Outcome));
        Assert.Empty(gone.Addresses);
        Assert.Equal($"{server} says deleted-alb-1234567890.us-east-1.elb.amazonaws.com does not exist (NXDOMAIN)", gone.Describe(server));
    }

    [Fact]
    public async Task Cnames_are_followed_to_the_load_balancers_address_and_one_to_an_unknown_name_is_nxdomain()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var server = await ResolverAsync();
        var name = await AlbDnsNameAsync();
        foreach (var (alias, target) in new[] { ("app.lightwave.test", "www.lightwave.test"), ("www.lightwave.test", name), ("old.lightwave.test", "gone-1.us-east-1.elb.amazonaws.com") })
        {
            (await _sandbox.PostControlAsync("_sandbox/dns/cname", $"{{\"name\":\"{alias}\",\"target\":\"{target}\"}}")).EnsureSuccessStatusCode();
        }

        var chained = await new DnsClient(server).ResolveAsync("app.lightwave.test", default);
        var dangling = await new DnsClient(server).ResolveAsync("old.lightwave.test", default);

        Assert.Equal((DnsOutcome.Resolved, IPAddress.Loopback), (chained.Outcome, Assert.Single(chained.Addresses)));
        Assert.Equal(new[] { "www.lightwave.test", name }, chained.CanonicalNames);
        Assert.Equal($"app.lightwave.test resolves to 127.0.0.1 (via CNAME www.lightwave.test -> {name}) at {server}", chained.Describe(server));
        Assert.Equal(DnsOutcome.NameDoesNotExist, dangling.Outcome);
    }

    [Fact]
    public async Task A_port_where_no_resolver_listens_gives_no_answer_not_a_verdict()
    {
        int port;
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        }

        var server = DnsServer.Parse($"127.0.0.1:{port}");
        var resolution = await new DnsClient(server, TimeSpan.FromMilliseconds(300)).ResolveAsync("web-alb-1.us-east-1.elb.amazonaws.com", default);

        Assert.Equal(DnsOutcome.NoAnswer, resolution.Outcome);
        Assert.StartsWith($"{server} did not answer for web-alb-1.us-east-1.elb.amazonaws.com: ", resolution.Describe(server), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_LoadBalancerHealth_with_the_sandbox_resolver_passes_dns_then_names_NameDoesNotResolve_when_the_resolver_does_not_know_the_name()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var server = await ResolverAsync();
        var name = await AlbDnsNameAsync();
        var request = new LoadBalancerHealthRequest { LoadBalancers = new[] { Lightwave.LoadBalancer }, Since = TimeSpan.FromMinutes(5), DnsServer = server.ToString() };
        using var session = SandboxSessions.Create(_sandbox);

        var known = await InspectAsync(session, request);
        var withoutResolver = await InspectAsync(session, request with { DnsServer = null });
        var denied = await _sandbox.PostControlAsync("_sandbox/dns/nxdomain", $"{{\"loadBalancer\":\"{Lightwave.LoadBalancer}\"}}");
        denied.EnsureSuccessStatusCode();
        var unknown = await InspectAsync(session, request);

        var dns = known.Reachability.Single(c => c.Name == "DNS");
        Assert.Equal((CheckOutcome.Pass, $"{name} resolves to 127.0.0.1 at {server}"), (dns.OutcomeKind, dns.Message));
        Assert.DoesNotContain(known.Causes, c => c.Cause == nameof(LoadBalancerCauseKind.NameDoesNotResolve));
        Assert.Equal(CheckOutcome.Skipped, withoutResolver.Reachability.Single(c => c.Name == "DNS").OutcomeKind);
        var cause = Assert.Single(unknown.Causes, c => c.Cause == nameof(LoadBalancerCauseKind.NameDoesNotResolve));
        Assert.Equal(name, cause.Resource);
        Assert.Equal($"{server} says {name} does not exist (NXDOMAIN)", Assert.Single(cause.Evidence));
        Assert.Contains($"aws elbv2 describe-load-balancers --names {Lightwave.LoadBalancer}", cause.Fix, StringComparison.Ordinal);
        Assert.Contains($"nslookup -port={server.Port} {name} 127.0.0.1", cause.Fix, StringComparison.Ordinal);
        Assert.Equal(CheckOutcome.Fail, unknown.Reachability.Single(c => c.Name == "DNS").OutcomeKind);
    }

    [Fact]
    public async Task A_malformed_dns_server_is_an_error_before_any_aws_call()
    {
        using var session = SandboxSessions.Create(_sandbox);
        var request = new LoadBalancerHealthRequest { LoadBalancers = new[] { Lightwave.LoadBalancer }, DnsServer = "dns.google" };

        var error = await Assert.ThrowsAsync<DeployOpsException>(() => new LoadBalancerHealthInspector(new AwsFacts(session, NullOperationObserver.Instance)).InspectAsync(request, default));

        Assert.Equal(ErrorIds.InvalidDnsServer, error.Error.ErrorId);
        Assert.Empty(session.Calls.Snapshot());
    }
}
