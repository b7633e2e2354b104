using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.TargetHealth;

/// <summary>The outcome of one health-check probe, in ELB's terms.</summary>
public readonly record struct ProbeResult(bool Passed, string? Reason, string? Description)
{
    public static readonly ProbeResult Pass = new(true, null, null);

    public static readonly ProbeResult Timeout = new(false, "Target.Timeout", "Request timed out");

    public static readonly ProbeResult Failed = new(false, "Target.FailedHealthChecks", "Health checks failed");

    public static ProbeResult CodeMismatch(int status) => new(false, "Target.ResponseCodeMismatch", $"Health checks failed with these codes: [{status}]");
}

/// <summary>The health of one registered target, tracked with ALB's rules.</summary>
public sealed class TargetHealthEntry
{
    public TargetHealthEntry(string targetGroupArn, string id, int port, string? availabilityZone)
    {
        TargetGroupArn = targetGroupArn;
        Id = id;
        Port = port;
        AvailabilityZone = availabilityZone;
    }

    public string TargetGroupArn { get; }

    public string Id { get; }

    public int Port { get; }

    public string? AvailabilityZone { get; }

    public string State { get; set; } = "initial";

    public string? Reason { get; set; } = "Elb.RegistrationInProgress";

    public string? Description { get; set; } = "Target registration is in progress";

    public int ConsecutivePasses { get; set; }

    public int ConsecutiveFailures { get; set; }

    public double NextProbeAt { get; set; }

    public bool ProbeInFlight { get; set; }

    /// <summary>World time at which a draining target leaves the group; null while registered.</summary>
    public double? DrainingUntil { get; set; }

    public bool IsDraining => DrainingUntil is not null;

    /// <summary>
    /// True for targets the world registered for its own tasks: only the world deregisters them,
    /// so a snapshot read before moto saw the registration cannot make them vanish.
    /// </summary>
    public bool OwnedByWorld { get; set; }

    public bool IsHealthy => State == "healthy";
}

/// <summary>
/// Every registered target the world knows, with ALB's state machine: <c>initial</c> until the
/// healthy or unhealthy threshold is reached, <c>healthy</c>/<c>unhealthy</c> thereafter,
/// <c>draining</c> for the deregistration delay, <c>unused</c> when the group has no load balancer.
/// </summary>
public sealed class TargetHealthBook
{
    private readonly Dictionary<(string TargetGroup, string Id, int Port), TargetHealthEntry> _entries = new();

    public IEnumerable<TargetHealthEntry> All => _entries.Values;

    public void Clear() => _entries.Clear();

    public TargetHealthEntry? Find(string targetGroupArn, string id, int port) => _entries.GetValueOrDefault((targetGroupArn, id, port));

    public IReadOnlyList<TargetHealthEntry> ForGroup(string targetGroupArn) =>
        _entries.Values.Where(e => e.TargetGroupArn == targetGroupArn).OrderBy(e => e.Id, StringComparer.Ordinal).ThenBy(e => e.Port).ToList();

    /// <summary>Adds a target; a steady target starts healthy, as if it had passed its checks for a while.</summary>
    public TargetHealthEntry Register(string targetGroupArn, string id, int port, string? availabilityZone, double now, bool startHealthy, int healthyThreshold)
    {
        if (_entries.TryGetValue((targetGroupArn, id, port), out var existing) && !existing.IsDraining)
        {
            return existing;
        }

        var entry = new TargetHealthEntry(targetGroupArn, id, port, availabilityZone) { NextProbeAt = now + 1 };
        if (startHealthy)
        {
            entry.State = "healthy";
            entry.Reason = null;
            entry.Description = null;
            entry.ConsecutivePasses = healthyThreshold;
        }

        _entries[(targetGroupArn, id, port)] = entry;
        return entry;
    }

    /// <summary>Starts draining a target; it leaves the group after the deregistration delay.</summary>
    public void Deregister(string targetGroupArn, string id, int port, double now, int delaySeconds)
    {
        if (_entries.TryGetValue((targetGroupArn, id, port), out var entry) && !entry.IsDraining)
        {
            entry.DrainingUntil = now + delaySeconds;
            entry.State = "draining";
            entry.Reason = "Target.DeregistrationInProgress";
            entry.Description = "Target deregistration is in progress";
        }
    }

    /// <summary>Drops targets whose deregistration delay is over.</summary>
    public void PruneDrained(double now)
    {
        foreach (var (key, entry) in _entries.Where(e => e.Value.DrainingUntil <= now).ToList())
        {
            _entries.Remove(key);
        }
    }

    /// <summary>
    /// Brings the book in line with moto's registrations: targets registered by someone else are
    /// added, targets moto no longer has (and the world did not register itself) leave. Drained
    /// targets leave with <see cref="PruneDrained"/>, every world step.
    /// </summary>
    public void Reconcile(ConfigSnapshot snapshot, double now)
    {
        foreach (var group in snapshot.TargetGroups.Values)
        {
            foreach (var target in group.Targets)
            {
                Register(group.Arn, target.Id, target.Port, target.AvailabilityZone, now, startHealthy: false, group.HealthyThreshold);
            }
        }

        foreach (var (key, entry) in _entries.ToList())
        {
            var group = snapshot.TargetGroups.GetValueOrDefault(entry.TargetGroupArn);
            var registered = group?.Targets.Any(t => t.Id == entry.Id && t.Port == entry.Port) == true;
            if (group is null || (!registered && !entry.IsDraining && !entry.OwnedByWorld))
            {
                _entries.Remove(key);
            }
        }
    }

    /// <summary>Applies one probe's outcome with the group's thresholds.</summary>
    public static void Apply(TargetHealthEntry entry, TargetGroupConfig group, ProbeResult result)
    {
        entry.ProbeInFlight = false;
        if (entry.IsDraining)
        {
            return;
        }

        if (result.Passed)
        {
            entry.ConsecutivePasses++;
            entry.ConsecutiveFailures = 0;
            if (entry.ConsecutivePasses >= group.HealthyThreshold)
            {
                entry.State = "healthy";
                entry.Reason = null;
                entry.Description = null;
            }
            else if (entry.State == "initial")
            {
                entry.Reason = "Elb.InitialHealthChecking";
                entry.Description = "Initial health checks in progress";
            }

            return;
        }

        entry.ConsecutiveFailures++;
        entry.ConsecutivePasses = 0;
        if (entry.ConsecutiveFailures >= group.UnhealthyThreshold || entry.State == "unhealthy")
        {
            entry.State = "unhealthy";
            entry.Reason = result.Reason;
            entry.Description = result.Description;
        }
        else if (entry.State == "initial")
        {
            entry.Reason = "Elb.InitialHealthChecking";
            entry.Description = "Initial health checks in progress";
        }
    }

    /// <summary>What DescribeTargetHealth reports for an entry (state, reason, description).</summary>
    public static (string State, string? Reason, string? Description) Report(TargetHealthEntry entry, TargetGroupConfig? group)
    {
        if (entry.IsDraining)
        {
            return (entry.State, entry.Reason, entry.Description);
        }

        if (group is { LoadBalancerArns.Count: 0 })
        {
            return ("unused", "Target.NotInUse", "Target group is not configured to receive traffic from the load balancer");
        }

        if (group is { HealthCheckEnabled: false })
        {
            return ("unavailable", "Target.HealthCheckDisabled", "Health checks are disabled");
        }

        return (entry.State, entry.Reason, entry.Description);
    }
}

/// <summary>Sends real HTTP health-check requests, as an ALB node (or Lightsail's health checker) does.</summary>
public sealed class HealthProber : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.Zero,
        SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    /// <summary>Probes a target as the group's health check says (protocol, path, matcher).</summary>
    public Task<ProbeResult> ProbeAsync(TargetGroupConfig group, string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var scheme = group.HealthCheckProtocol.Equals("HTTPS", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
        return ProbeAsync($"{scheme}://{host}:{port}{group.HealthCheckPath}", group.Accepts, "ELB-HealthChecker/2.0", timeout, cancellationToken);
    }

    /// <summary>One GET of <paramref name="url"/>: passed when an answer came in time with a status <paramref name="accepts"/> takes.</summary>
    public async Task<ProbeResult> ProbeAsync(string url, Func<int, bool> accepts, string userAgent, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return accepts(status) ? ProbeResult.Pass : ProbeResult.CodeMismatch(status);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Timeout;
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut })
        {
            return ProbeResult.Timeout;
        }
        catch (HttpRequestException)
        {
            return ProbeResult.Failed;
        }
    }

    public void Dispose() => _http.Dispose();
}
