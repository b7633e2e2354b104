using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Http;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.Simulators.TargetHealth;
using DeployOps.Sandbox.Simulators.Waf;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.AlbListeners;

/// <summary>
/// Serves each HTTP listener of moto's load balancers on a 127.0.0.1 port and routes its requests to a healthy target of
/// the listener's default target group (503 with none; ALB's fail-open is not modelled), which it asks target health for.
/// Listeners follow moto's configuration: they open and close as it is read again.
/// </summary>
public sealed class AlbListenersSimulator : Simulator
{
    private readonly TargetHealthSimulator _targets;
    private readonly WafSimulator _waf;
    private readonly Dictionary<string, LoadBalancerListener> _listeners = new(StringComparer.Ordinal);
    private readonly HttpForwarder _forwarder = new();

    private int _roundRobin;

    public AlbListenersSimulator(WorldContext world, TargetHealthSimulator targets, WafSimulator waf)
        : base(world)
    {
        _targets = targets;
        _waf = waf;
    }

    /// <summary>An ALB listener served on 127.0.0.1.</summary>
    private sealed record LoadBalancerListener(string ListenerArn, string LoadBalancerArn, string Region, int Port, MiniHttpServer Server);

    /// <summary>The loopback URL that serves each ALB listener, keyed by the load balancer's name, DNS name and listener port.</summary>
    public IReadOnlyList<(string LoadBalancerName, string DnsName, int ListenerPort, string Url)> Urls()
    {
        lock (Gate)
        {
            return _listeners.Values.Select(l =>
            {
                var lb = World.Configuration.Snapshot(l.Region).LoadBalancers.GetValueOrDefault(l.LoadBalancerArn);
                return (lb?.Name ?? "", lb?.DnsName ?? "", l.Port, $"http://127.0.0.1:{l.Server.EndPoint.Port}");
            }).OrderBy(x => x.Item1, StringComparer.Ordinal).ThenBy(x => x.Port).ToList();
        }
    }

    /// <summary>Opens a loopback listener for each HTTP listener moto has in the region and closes (as an effect) those moto no longer has.</summary>
    protected override void OnConfigurationRead(string region, ConfigSnapshot snapshot)
    {
        var wanted = snapshot.LoadBalancers.Values.SelectMany(lb => lb.Listeners.Select(l => (LoadBalancer: lb, Listener: l)))
            .Where(x => x.Listener.Protocol is "HTTP" or "HTTPS").ToList();
        foreach (var (arn, listener) in _listeners.ToList())
        {
            if (listener.Region == region && wanted.All(w => w.Listener.Arn != arn))
            {
                Close(listener);
            }
        }

        foreach (var (lb, listener) in wanted.Where(w => !_listeners.ContainsKey(w.Listener.Arn)))
        {
            var listenerArn = listener.Arn;
            var server = MiniHttpServer.Start(new IPEndPoint(IPAddress.Loopback, 0), (request, token) => ProxyAsync(region, listenerArn, request, token));
            _listeners[listener.Arn] = new LoadBalancerListener(listener.Arn, lb.Arn, region, listener.Port, server);
        }
    }

    /// <summary>Stops serving a listener: it leaves the state now, its port closes as an effect. Under <see cref="Simulator.Gate"/>.</summary>
    private void Close(LoadBalancerListener listener)
    {
        _listeners.Remove(listener.ListenerArn);
        Effect(() => listener.Server.DisposeAsync().AsTask());
    }

    /// <summary>Routes a request arriving at an ALB listener to a healthy target of its default target group.</summary>
    private async Task<MiniHttpResponse> ProxyAsync(string region, string listenerArn, MiniHttpRequest request, CancellationToken cancellationToken)
    {
        if (_waf.Inspect(region, listenerArn, request) is { } blocked)
        {
            return blocked;
        }

        var snapshot = World.Configuration.Snapshot(region);
        var listener = snapshot.LoadBalancers.Values.SelectMany(lb => lb.Listeners).FirstOrDefault(l => l.Arn == listenerArn);
        var group = listener?.DefaultTargetGroupArn is { } arn ? snapshot.TargetGroups.GetValueOrDefault(arn) : null;
        var healthy = group is null ? [] : _targets.HealthyTargets(group.Arn);
        if (healthy.Count == 0)
        {
            return ErrorPage(503, "Service Temporarily Unavailable");
        }

        var (id, port) = healthy[(int)((uint)Interlocked.Increment(ref _roundRobin) % healthy.Count)];
        if (!Reachability.FromLoadBalancers(snapshot, group!, World.Addresses.PlacementAt(id, port), port))
        {
            await Task.Delay(World.Clock.ToWall(10), cancellationToken).ConfigureAwait(false);
            return ErrorPage(504, "Gateway Time-out");
        }

        return await _forwarder.ForwardAsync(request, id, port, World.Clock.ToWall(60),
            status => status == 504 ? ErrorPage(504, "Gateway Time-out") : ErrorPage(502, "Bad Gateway"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The page an ALB answers itself with when it cannot route a request.</summary>
    private static MiniHttpResponse ErrorPage(int status, string title) =>
        MiniHttpResponse.Text(status, $"<html><body><center><h1>{status} {title}</h1></center></body></html>", "text/html");

    protected override void Forget(ScenarioDefinition? next)
    {
        foreach (var listener in _listeners.Values.ToList())
        {
            Close(listener);
        }
    }

    /// <summary>Adds <c>loadBalancers</c>: each ALB listener's load balancer name, DNS name, port and loopback URL.</summary>
    public override void DescribeState(JsonObject state) =>
        state["loadBalancers"] = new JsonArray(Urls().Select(l => (JsonNode)new JsonObject
        {
            ["name"] = l.LoadBalancerName,
            ["dnsName"] = l.DnsName,
            ["listenerPort"] = l.ListenerPort,
            ["url"] = l.Url,
        }).ToArray());

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        _forwarder.Dispose();
    }
}
