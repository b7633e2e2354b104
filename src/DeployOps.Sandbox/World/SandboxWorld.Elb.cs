using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Http;

namespace DeployOps.Sandbox.World;

/// <summary>The world's Elastic Load Balancing: target registration, health checks and ALB listeners on loopback.</summary>
public sealed partial class SandboxWorld
{
    private readonly Dictionary<string, LoadBalancerListener> _listeners = new(StringComparer.Ordinal);
    private readonly HttpClient _proxyClient = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.Zero })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private int _roundRobin;

    /// <summary>An ALB listener served on 127.0.0.1.</summary>
    private sealed record LoadBalancerListener(string ListenerArn, string LoadBalancerArn, string Region, int Port, MiniHttpServer Server);

    private static string RegionOf(string arn) => arn.Split(':') is { Length: > 3 } parts ? parts[3] : "us-east-1";

    // ---------------------------------------------------------------- registration

    /// <summary>Registers a RUNNING task in the target groups its service maps, when the mapping matches a container port.</summary>
    private void RegisterTargets(WorldTask task, double now, bool startHealthy)
    {
        var snapshot = Snapshot(task.Region);
        foreach (var mapping in task.Service.LoadBalancers)
        {
            var container = task.TaskDefinition.Containers.FirstOrDefault(c => c.Name == mapping.ContainerName && c.ContainerPorts.Contains(mapping.ContainerPort));
            if (container is null)
            {
                // ECS registers nothing when the service's container name or port matches no container port.
                continue;
            }

            var port = _addresses.SharesOneAddress ? task.ListenPort : mapping.ContainerPort;
            var group = snapshot.TargetGroups.GetValueOrDefault(mapping.TargetGroupArn);
            var entry = _targets.Register(mapping.TargetGroupArn, task.IpAddress, port, task.AvailabilityZone, now, startHealthy, group?.HealthyThreshold ?? 5);
            entry.OwnedByWorld = true;
            task.Registrations.Add((mapping.TargetGroupArn, port));
            var (region, arn, ip) = (task.Region, mapping.TargetGroupArn, task.IpAddress);
            Effect(() => _moto.ElbAsync("RegisterTargets", TargetParameters(arn, ip, port), region, _stop.Token));
            if (!startHealthy)
            {
                task.Service.AddEvent($"registered 1 targets in (target-group {arn})", DateTimeOffset.UtcNow);
            }
        }
    }

    /// <summary>Starts draining the task's targets; returns the longest deregistration delay (world seconds).</summary>
    private int DeregisterTargets(WorldTask task, double now, bool graceful)
    {
        var snapshot = Snapshot(task.Region);
        var longest = 0;
        foreach (var (arn, port) in task.Registrations)
        {
            var delay = snapshot.TargetGroups.GetValueOrDefault(arn)?.DeregistrationDelaySeconds ?? 300;
            longest = Math.Max(longest, delay);
            _targets.Deregister(arn, task.IpAddress, port, now, delay);
            var (region, ip) = (task.Region, task.IpAddress);
            Effect(() => _moto.ElbAsync("DeregisterTargets", TargetParameters(arn, ip, port), region, _stop.Token));
            task.Service.AddEvent($"deregistered 1 targets in (target-group {arn})", DateTimeOffset.UtcNow);
        }

        if (graceful && task.Registrations.Count > 0 && task.Phase == TaskPhase.Running)
        {
            task.Service.AddEvent("has begun draining connections on 1 tasks.", DateTimeOffset.UtcNow);
        }

        task.Registrations.Clear();
        return longest;
    }

    private static KeyValuePair<string, string>[] TargetParameters(string targetGroupArn, string id, int port) =>
    [
        new("TargetGroupArn", targetGroupArn),
        new("Targets.member.1.Id", id),
        new("Targets.member.1.Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    /// <summary>Someone deregistered targets through the API: they drain like the world's own.</summary>
    public void OnTargetsDeregistered(string targetGroupArn, IEnumerable<(string Id, int? Port)> targets)
    {
        lock (_gate)
        {
            var snapshot = Snapshot(RegionOf(targetGroupArn));
            var group = snapshot.TargetGroups.GetValueOrDefault(targetGroupArn);
            foreach (var (id, port) in targets)
            {
                _targets.Deregister(targetGroupArn, id, port ?? group?.Port ?? 80, Clock.Now, group?.DeregistrationDelaySeconds ?? 300);
            }
        }

        InvalidateConfiguration(RegionOf(targetGroupArn));
    }

    // ---------------------------------------------------------------- health checks

    /// <summary>The network endpoints of a group's load balancers (probes come from the ALB's nodes).</summary>
    private List<NetworkEndpoint> LoadBalancerEndpoints(ConfigSnapshot snapshot, TargetGroupConfig group) =>
        group.LoadBalancerArns
            .Select(arn => snapshot.LoadBalancers.GetValueOrDefault(arn))
            .Where(lb => lb is not null)
            .Select(lb => new NetworkEndpoint(lb!.SecurityGroups, lb.SubnetIds.Select(s => snapshot.Subnets.GetValueOrDefault(s)?.Cidr ?? "").Where(c => c.Length > 0).ToList()))
            .ToList();

    /// <summary>Whether a group's load balancer may reach the target under the security groups (unknown targets are reachable).</summary>
    private bool CanReach(ConfigSnapshot snapshot, TargetGroupConfig group, string targetId, int port)
    {
        var task = _tasks.Values.FirstOrDefault(t => t.IpAddress == targetId && t.Phase != TaskPhase.Stopped);
        if (task is null)
        {
            return true;
        }

        var subnet = snapshot.Subnets.GetValueOrDefault(task.SubnetId)?.Cidr;
        var destination = new NetworkEndpoint(task.Service.SecurityGroups, subnet is null ? [] : [subnet]);
        return LoadBalancerEndpoints(snapshot, group).Any(source => Reachability.Allows(snapshot, source, destination, port));
    }

    private List<(TargetHealthEntry Entry, TargetGroupConfig Group, bool Reachable, double StartedAt)> DueProbes(double now)
    {
        var due = new List<(TargetHealthEntry, TargetGroupConfig, bool, double)>();
        foreach (var entry in _targets.All)
        {
            if (entry.IsDraining || entry.ProbeInFlight || now < entry.NextProbeAt)
            {
                continue;
            }

            var snapshot = Snapshot(RegionOf(entry.TargetGroupArn));
            if (!snapshot.TargetGroups.TryGetValue(entry.TargetGroupArn, out var group) || group.LoadBalancerArns.Count == 0 || !group.HealthCheckEnabled)
            {
                entry.NextProbeAt = now + 5;
                continue;
            }

            entry.ProbeInFlight = true;
            entry.NextProbeAt = now + group.IntervalSeconds;
            due.Add((entry, group, CanReach(snapshot, group, entry.Id, group.ProbePort(entry.Port)), now));
        }

        return due;
    }

    private async Task RunProbeAsync(TargetHealthEntry entry, TargetGroupConfig group, bool reachable, double startedAt, CancellationToken cancellationToken)
    {
        var timeout = Clock.ToWall(group.TimeoutSeconds);
        ProbeResult result;
        try
        {
            if (reachable)
            {
                result = await _prober.ProbeAsync(group, entry.Id, group.ProbePort(entry.Port), timeout, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // The security group drops the packets: the probe waits out its timeout.
                await Task.Delay(timeout, cancellationToken).ConfigureAwait(false);
                result = ProbeResult.Timeout;
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            TargetHealthBook.Apply(entry, group, result);
        }
    }

    // ---------------------------------------------------------------- ALB listeners on loopback

    private async Task ReconcileLoadBalancerListenersAsync(string region, ConfigSnapshot snapshot)
    {
        var wanted = snapshot.LoadBalancers.Values.SelectMany(lb => lb.Listeners.Select(l => (LoadBalancer: lb, Listener: l)))
            .Where(x => x.Listener.Protocol is "HTTP" or "HTTPS").ToList();
        var retired = new List<LoadBalancerListener>();
        lock (_gate)
        {
            foreach (var (arn, listener) in _listeners.ToList())
            {
                if (listener.Region == region && wanted.All(w => w.Listener.Arn != arn))
                {
                    _listeners.Remove(arn);
                    retired.Add(listener);
                }
            }

            foreach (var (lb, listener) in wanted.Where(w => !_listeners.ContainsKey(w.Listener.Arn)))
            {
                var listenerArn = listener.Arn;
                var server = MiniHttpServer.Start(new IPEndPoint(IPAddress.Loopback, 0), (request, token) => ProxyAsync(region, listenerArn, request, token));
                _listeners[listener.Arn] = new LoadBalancerListener(listener.Arn, lb.Arn, region, listener.Port, server);
            }
        }

        foreach (var listener in retired)
        {
            await listener.Server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task CloseLoadBalancerListenersAsync()
    {
        List<LoadBalancerListener> listeners;
        lock (_gate)
        {
            listeners = _listeners.Values.ToList();
            _listeners.Clear();
        }

        foreach (var listener in listeners)
        {
            await listener.Server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Routes a request arriving at an ALB listener to a healthy target of its default target group.</summary>
    private async Task<MiniHttpResponse> ProxyAsync(string region, string listenerArn, MiniHttpRequest request, CancellationToken cancellationToken)
    {
        TargetHealthEntry? target;
        bool reachable;
        lock (_gate)
        {
            var snapshot = Snapshot(region);
            var listener = snapshot.LoadBalancers.Values.SelectMany(lb => lb.Listeners).FirstOrDefault(l => l.Arn == listenerArn);
            var group = listener?.DefaultTargetGroupArn is { } arn ? snapshot.TargetGroups.GetValueOrDefault(arn) : null;
            var healthy = group is null ? [] : _targets.ForGroup(group.Arn).Where(e => e.IsHealthy && !e.IsDraining).ToList();
            target = healthy.Count == 0 ? null : healthy[(int)((uint)Interlocked.Increment(ref _roundRobin) % healthy.Count)];
            reachable = target is not null && CanReach(snapshot, group!, target.Id, target.Port);
        }

        if (target is null)
        {
            return MiniHttpResponse.Text(503, "<html><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>", "text/html");
        }

        if (!reachable)
        {
            await Task.Delay(Clock.ToWall(10), cancellationToken).ConfigureAwait(false);
            return MiniHttpResponse.Text(504, "<html><body><center><h1>504 Gateway Time-out</h1></center></body></html>", "text/html");
        }

        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), $"http://{target.Id}:{target.Port}{request.Target}");
        foreach (var (name, value) in request.Headers)
        {
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                forward.Headers.TryAddWithoutValidation(name, value);
            }
        }

        forward.Headers.TryAddWithoutValidation("X-Forwarded-For", request.Remote.Address.ToString());
        forward.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "http");
        if (request.Body.Length > 0)
        {
            forward.Content = new ByteArrayContent(request.Body);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Clock.ToWall(60));
        try
        {
            using var response = await _proxyClient.SendAsync(forward, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            var headers = response.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)))
                .Where(h => !h.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase)).ToList();
            return new MiniHttpResponse((int)response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream", body, headers);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return MiniHttpResponse.Text(504, "<html><body><center><h1>504 Gateway Time-out</h1></center></body></html>", "text/html");
        }
        catch (HttpRequestException)
        {
            return MiniHttpResponse.Text(502, "<html><body><center><h1>502 Bad Gateway</h1></center></body></html>", "text/html");
        }
    }

    /// <summary>The loopback URL that serves each ALB listener, keyed by the load balancer's DNS name and listener port.</summary>
    public IReadOnlyList<(string LoadBalancerName, string DnsName, int ListenerPort, string Url)> LoadBalancerUrls()
    {
        lock (_gate)
        {
            return _listeners.Values.Select(l =>
            {
                var lb = Snapshot(l.Region).LoadBalancers.GetValueOrDefault(l.LoadBalancerArn);
                return (lb?.Name ?? "", lb?.DnsName ?? "", l.Port, $"http://127.0.0.1:{l.Server.EndPoint.Port}");
            }).OrderBy(x => x.Item1, StringComparer.Ordinal).ThenBy(x => x.Port).ToList();
        }
    }
}
