using System;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Sandbox;
using DeployOps.Sandbox.Moto;
using DeployOps.Sandbox.Scenarios;
using Xunit;

namespace DeployOps.Testing;

/// <summary>
/// A DeployOps sandbox (its own moto included) on a free port for one test class or collection.
/// Loading a scenario resets the whole account, so tests that share a fixture run one at a time.
/// </summary>
public class SandboxFixture : IAsyncLifetime
{
    private SandboxHost? _host;

    public SandboxHost Host => _host ?? throw new InvalidOperationException("The sandbox is not started.");

    public Uri Url => Host.Url;

    /// <summary>The scenario loaded when the fixture starts.</summary>
    protected virtual string InitialScenario => "healthy";

    /// <summary>The folder the sandbox reads scenarios from.</summary>
    protected virtual string ScenariosDirectory => ScenarioReader.DefaultDirectory;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// Unsigned AWS calls against the sandbox. The sandbox speaks moto's dialect (moto does not
    /// check signatures), so the sandbox's own moto client talks to it as well.
    /// </summary>
    public MotoClient Aws { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync(new SandboxOptions { Port = 0, Scenario = InitialScenario, ScenariosDirectory = ScenariosDirectory });
        Aws = new MotoClient(_host.Url);
    }

    public Task LoadScenarioAsync(string name) => Host.LoadScenarioAsync(name, default);

    public async Task<JsonObject> StateAsync() =>
        JsonNode.Parse(await Http.GetStringAsync(new Uri(Url, "_sandbox/state")))!.AsObject();

    public async Task<HttpResponseMessage> PostControlAsync(string path, string json) =>
        await Http.PostAsync(new Uri(Url, path), new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>
    /// Sets the fault rules (<c>POST /_sandbox/faults</c>, e.g. <c>{"seed": 1, "rules": [...]}</c>) until the returned
    /// handle is disposed, which clears them: <c>await using (await _sandbox.FaultsAsync(rules)) { ... }</c>.
    /// </summary>
    public async Task<IAsyncDisposable> FaultsAsync(string rules)
    {
        using var response = await PostControlAsync("_sandbox/faults", rules);
        response.EnsureSuccessStatusCode();
        return new FaultsCleared(this);
    }

    /// <summary>The sandbox's DNS resolver (<c>GET /_sandbox/dns</c>): <c>server</c> (127.0.0.1:port), <c>answered</c>, <c>nxdomain</c>.</summary>
    public async Task<JsonObject> DnsAsync() =>
        JsonNode.Parse(await Http.GetStringAsync(new Uri(Url, "_sandbox/dns")))!.AsObject();

    /// <summary>The DNS name moto gave load balancer <paramref name="name"/>, read with the aws CLI.</summary>
    public async Task<string> LoadBalancerDnsNameAsync(string name = Lightwave.LoadBalancer) =>
        (await AwsCli.RunAsync(Url, "elbv2", "describe-load-balancers", "--names", name, "--query", "LoadBalancers[0].DNSName", "--output", "text")).Trim();

    public async Task DisposeAsync()
    {
        Http.Dispose();
        Aws?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

/// <summary>Clears the sandbox's fault rules when disposed (<see cref="SandboxFixture.FaultsAsync"/>).</summary>
internal sealed class FaultsCleared(SandboxFixture sandbox) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => (await sandbox.Http.DeleteAsync(new Uri(sandbox.Url, "_sandbox/faults"))).Dispose();
}

/// <summary>A sandbox that starts with runbook 003's <c>lightsail-stale-config</c> (no ECS to build, so it loads fast).</summary>
public sealed class LightsailSandboxFixture : SandboxFixture
{
    protected override string InitialScenario => Lightwave.Lightsail.StaleConfig.Scenario;
}
