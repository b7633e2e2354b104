using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Http;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.Simulators.Metrics;
using DeployOps.Sandbox.Simulators.TargetHealth;
using DeployOps.Sandbox.Simulators.Waf;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.AlbListeners;

/// <summary>
/// Serves each HTTP listener of moto's load balancers on a 127.0.0.1 port and answers like ALB: the listener's path rules
/// (lowest priority first, then the default action) pick the target group, a healthy target of it gets the request (which
/// it asks target health for), and the ALB answers itself 503 when the group has no healthy target, 502 when the target
/// resets or closes the connection (also when the target's keep-alive ran out on a connection the ALB still pooled), 504
/// when the target is slower than the load balancer's <c>idle_timeout.timeout_seconds</c> or cannot be reached (ALB's
/// fail-open is not modelled). An internet-facing load balancer that clients on the internet cannot reach (no subnet
/// routing to an internet gateway, no inbound rule on the port) never answers. Each request is counted into AWS/ApplicationELB
/// metrics (RequestCount, HTTPCode_ELB_502/503/504_Count, HTTPCode_Target_5XX_Count, TargetResponseTime), and each world
/// minute every routed group's HealthyHostCount and UnHealthyHostCount; a scenario's <c>traffic</c> sends users' requests.
/// Listeners follow moto's configuration: they open and close as it is read again.
/// </summary>
public sealed class AlbListenersSimulator : Simulator
{
    private const string MetricNamespace = "AWS/ApplicationELB";

    private readonly TargetHealthSimulator _targets;
    private readonly WafSimulator _waf;
    private readonly MetricsSimulator _metrics;
    private readonly Dictionary<string, LoadBalancerListener> _listeners = new(StringComparer.Ordinal);
    private readonly HttpForwarder _forwarder = new();
    private readonly HttpClient _users = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(130) };

    /// <summary>Per target (address and port): when the ALB last used a connection to it (world seconds) and the keep-alive the target announced.</summary>
    private readonly ConcurrentDictionary<(string Id, int Port), (double LastUsed, double? KeepAliveSeconds)> _connections = new();

    private readonly Dictionary<string, IReadOnlyList<TrafficDefinition>> _traffic = new(StringComparer.Ordinal);
    private readonly Dictionary<(string LoadBalancer, string Path), double> _trafficDue = new();

    private int _roundRobin;
    private double? _lastStep;

    /// <summary>The listeners whose users have come: from the first moment their default target group had a healthy target (a scenario's users arrive once it runs).</summary>
    private readonly HashSet<string> _trafficStarted = new(StringComparer.Ordinal);
    private long _publishedMinute = -1;

    public AlbListenersSimulator(WorldContext world, TargetHealthSimulator targets, MetricsSimulator metrics, WafSimulator waf)
        : base(world)
    {
        _targets = targets;
        _metrics = metrics;
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

    /// <summary>Routes a request arriving at an ALB listener as ALB does, and counts it into the load balancer's metrics.</summary>
    private async Task<MiniHttpResponse> ProxyAsync(string region, string listenerArn, MiniHttpRequest request, CancellationToken cancellationToken)
    {
        var snapshot = World.Configuration.Snapshot(region);
        var lb = snapshot.LoadBalancers.Values.FirstOrDefault(b => b.Listeners.Any(l => l.Arn == listenerArn));
        var listener = lb?.Listeners.First(l => l.Arn == listenerArn);
        if (lb is null || listener is null)
        {
            return ErrorPage(503, "Service Temporarily Unavailable");
        }

        if (lb.Scheme == "internet-facing" && Reachability.FromInternet(snapshot, lb, listener.Port) is not null)
        {
            // Clients on the internet never get an answer: the connection times out (the server gives up after its own timeout).
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }

        // The web ACL in front of the load balancer decides before any routing (a rate-based rule answers 403).
        if (_waf.Inspect(region, listenerArn, request) is { } blocked)
        {
            return blocked;
        }

        Count(region, lb, "RequestCount", 1, "Count");
        var group = listener.TargetGroupFor(request.Path) is { } arn ? snapshot.TargetGroups.GetValueOrDefault(arn) : null;
        var healthy = group is null ? [] : _targets.HealthyTargets(group.Arn);
        if (healthy.Count == 0)
        {
            return AlbAnswers(region, lb, 503, "Service Temporarily Unavailable");
        }

        var target = healthy[(int)((uint)Interlocked.Increment(ref _roundRobin) % healthy.Count)];
        if (!Reachability.FromLoadBalancers(snapshot, group!, World.Addresses.PlacementAt(target.Id, target.Port), target.Port))
        {
            await Task.Delay(World.Clock.ToWall(10), cancellationToken).ConfigureAwait(false);
            return AlbAnswers(region, lb, 504, "Gateway Time-out");
        }

        var sentAt = World.Clock.Now;
        if (_connections.TryGetValue(target, out var pooled) && pooled.KeepAliveSeconds is { } keepAlive &&
            sentAt - pooled.LastUsed > keepAlive && sentAt - pooled.LastUsed < lb.IdleTimeoutSeconds)
        {
            // The ALB reuses a connection it keeps for the idle timeout; the target closed it after its shorter keep-alive.
            _connections[target] = (sentAt, keepAlive);
            return AlbAnswers(region, lb, 502, "Bad Gateway");
        }

        int? albStatus = null;
        var response = await _forwarder.ForwardAsync(request, target.Id, target.Port, World.Clock.ToWall(lb.IdleTimeoutSeconds),
            status =>
            {
                albStatus = status == 504 ? 504 : 502;
                return albStatus == 504 ? ErrorPage(504, "Gateway Time-out") : ErrorPage(502, "Bad Gateway");
            }, cancellationToken).ConfigureAwait(false);
        _connections[target] = (World.Clock.Now, KeepAliveOf(response));
        if (albStatus is { } status)
        {
            Count(region, lb, $"HTTPCode_ELB_{status}_Count", 1, "Count");
            return response;
        }

        Count(region, lb, "TargetResponseTime", Math.Round(World.Clock.Now - sentAt, 3), "Seconds");
        if (response.Status >= 500)
        {
            Count(region, lb, "HTTPCode_Target_5XX_Count", 1, "Count");
        }

        return response;
    }

    /// <summary>The seconds of a target's <c>Keep-Alive: timeout=N</c> header, or null.</summary>
    private static double? KeepAliveOf(MiniHttpResponse response) =>
        response.Headers.Where(h => h.Key.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(',', StringSplitOptions.TrimEntries))
            .Where(p => p.StartsWith("timeout=", StringComparison.OrdinalIgnoreCase))
            .Select(p => double.TryParse(p["timeout=".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : (double?)null)
            .FirstOrDefault(s => s is not null);

    /// <summary>The load balancer answers itself, counted as its own HTTPCode_ELB_ code.</summary>
    private MiniHttpResponse AlbAnswers(string region, LoadBalancerConfig lb, int status, string title)
    {
        Count(region, lb, $"HTTPCode_ELB_{status}_Count", 1, "Count");
        return ErrorPage(status, title);
    }

    /// <summary>The page an ALB answers itself with when it cannot route a request.</summary>
    private static MiniHttpResponse ErrorPage(int status, string title) =>
        MiniHttpResponse.Text(status, $"<html><body><center><h1>{status} {title}</h1></center></body></html>", "text/html");

    private void Count(string region, LoadBalancerConfig lb, string metricName, double value, string unit) =>
        _metrics.Publish(new MetricValue(region, MetricNamespace, metricName, [new("LoadBalancer", LoadBalancerDimension(lb.Arn))], value, unit, DateTimeOffset.UtcNow));

    /// <summary>The <c>LoadBalancer</c> dimension: the ARN's resource after <c>loadbalancer/</c>, e.g. <c>app/lightwave-dev-alb/50dc6c495c0c9188</c>.</summary>
    private static string LoadBalancerDimension(string arn) => arn[(arn.IndexOf(":loadbalancer/", StringComparison.Ordinal) + ":loadbalancer/".Length)..];

    /// <summary>The <c>TargetGroup</c> dimension: <c>targetgroup/name/id</c>.</summary>
    private static string TargetGroupDimension(string arn) => arn[(arn.LastIndexOf(':') + 1)..];

    /// <summary>Sends the scenario's users' requests that are due, and each world minute the routed groups' host counts.</summary>
    protected override void Step(double now)
    {
        var elapsed = _lastStep is { } last ? Math.Max(0, now - last) : 0;
        _lastStep = now;
        foreach (var listener in _listeners.Values)
        {
            var lb = World.Configuration.Snapshot(listener.Region).LoadBalancers.GetValueOrDefault(listener.LoadBalancerArn);
            if (!_trafficStarted.Contains(listener.ListenerArn))
            {
                if (lb?.Listeners.FirstOrDefault(l => l.Arn == listener.ListenerArn)?.DefaultTargetGroupArn is not { } group || _targets.HostCounts(group).Healthy == 0)
                {
                    continue;
                }

                _trafficStarted.Add(listener.ListenerArn);
            }

            foreach (var traffic in lb is null ? [] : _traffic.GetValueOrDefault(lb.Name) ?? [])
            {
                var key = (listener.ListenerArn, traffic.Path);
                var due = _trafficDue.GetValueOrDefault(key) + (traffic.PerMinute * elapsed / 60);
                for (; due >= 1; due--)
                {
                    var url = $"http://127.0.0.1:{listener.Server.EndPoint.Port}{traffic.Path}";
                    Effect(() =>
                    {
                        _ = SendUserRequestAsync(url);
                        return Task.CompletedTask;
                    });
                }

                _trafficDue[key] = due;
            }
        }

        // The minute the scenario loads is skipped: its steady targets are still being registered.
        var minute = (long)Math.Floor(now / 60);
        if (_publishedMinute == -1)
        {
            _publishedMinute = minute;
        }
        else if (minute != _publishedMinute)
        {
            _publishedMinute = minute;
            PublishHostCounts();
        }
    }

    private async Task SendUserRequestAsync(string url)
    {
        try
        {
            using var response = await _users.GetAsync(url, World.Stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // A user who got no answer; the load balancer's metrics tell the story.
        }
    }

    private void PublishHostCounts()
    {
        var at = DateTimeOffset.UtcNow;
        foreach (var byRegion in _listeners.Values.GroupBy(l => l.Region))
        {
            var snapshot = World.Configuration.Snapshot(byRegion.Key);
            foreach (var lb in byRegion.Select(l => snapshot.LoadBalancers.GetValueOrDefault(l.LoadBalancerArn)).Where(lb => lb is not null).Distinct())
            {
                var groups = lb!.Listeners.SelectMany(l => l.Rules.Select(r => r.TargetGroupArn).Append(l.DefaultTargetGroupArn))
                    .Where(arn => arn is not null).Distinct(StringComparer.Ordinal);
                foreach (var group in groups)
                {
                    var (healthy, unhealthy) = _targets.HostCounts(group!);
                    KeyValuePair<string, string>[] dimensions = [new("TargetGroup", TargetGroupDimension(group!)), new("LoadBalancer", LoadBalancerDimension(lb.Arn))];
                    _metrics.Publish(new MetricValue(byRegion.Key, MetricNamespace, "HealthyHostCount", dimensions, healthy, "Count", at));
                    _metrics.Publish(new MetricValue(byRegion.Key, MetricNamespace, "UnHealthyHostCount", dimensions, unhealthy, "Count", at));
                }
            }
        }
    }

    protected override void Forget(ScenarioDefinition? next)
    {
        foreach (var listener in _listeners.Values.ToList())
        {
            Close(listener);
        }

        _connections.Clear();
        _traffic.Clear();
        _trafficDue.Clear();
        _lastStep = null;
        _trafficStarted.Clear();
        _publishedMinute = -1;
        foreach (var lb in next?.LoadBalancers ?? [])
        {
            _traffic[lb.Name] = lb.Traffic;
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
        _users.Dispose();
    }
}
