using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.TargetHealth;

/// <summary>
/// ALB target health: every registered target with ALB's health-check state machine, driven by real HTTP probes with
/// each group's interval, timeout, thresholds, path, port and matcher. Probes wait out their timeout when the security
/// groups do not let the group's load balancers reach the target. The ECS runtime registers and deregisters its tasks'
/// targets here and reads their states; the ALB listeners ask for healthy targets. Target health calls no other
/// simulator.
/// </summary>
public sealed partial class TargetHealthSimulator : Simulator
{
    private const string Service = "elasticloadbalancing";

    private readonly TargetHealthBook _book = new();
    private readonly HealthProber _prober = new();

    /// <summary>ModifyTargetGroup calls applied, by target group ARN: what a test counts to prove a change was not applied twice.</summary>
    private readonly ConcurrentDictionary<string, int> _modifications = new(StringComparer.Ordinal);

    public TargetHealthSimulator(WorldContext world)
        : base(world)
    {
    }

    // ---------------------------------------------------------------- what the ECS runtime and the ALB listeners ask

    /// <summary>Registers a task's target: in the book at once, in moto as an effect. A steady target starts healthy.</summary>
    public void RegisterTaskTarget(string region, string targetGroupArn, string address, int port, string availabilityZone, bool startHealthy)
    {
        lock (Gate)
        {
            var group = World.Configuration.Snapshot(region).TargetGroups.GetValueOrDefault(targetGroupArn);
            var entry = _book.Register(targetGroupArn, address, port, availabilityZone, World.Clock.Now, startHealthy, group?.HealthyThreshold ?? 5);
            entry.OwnedByWorld = true;
            Effect(() => World.Moto.ElbAsync("RegisterTargets", TargetParameters(targetGroupArn, address, port), region, World.Stopping));
        }
    }

    /// <summary>Starts draining a task's target (and deregisters it in moto as an effect); returns the group's deregistration delay in world seconds.</summary>
    public int DeregisterTaskTarget(string region, string targetGroupArn, string address, int port)
    {
        lock (Gate)
        {
            var delay = World.Configuration.Snapshot(region).TargetGroups.GetValueOrDefault(targetGroupArn)?.DeregistrationDelaySeconds ?? 300;
            _book.Deregister(targetGroupArn, address, port, World.Clock.Now, delay);
            Effect(() => World.Moto.ElbAsync("DeregisterTargets", TargetParameters(targetGroupArn, address, port), region, World.Stopping));
            return delay;
        }
    }

    /// <summary>The state (healthy, unhealthy, initial, draining, ...) of each of an address's targets, in order; null for one the book does not hold.</summary>
    public IReadOnlyList<string?> StatesOf(string address, IEnumerable<(string TargetGroupArn, int Port)> targets)
    {
        lock (Gate)
        {
            return targets.Select(t => _book.Find(t.TargetGroupArn, address, t.Port)?.State).ToList();
        }
    }

    /// <summary>The group's healthy targets that are not draining: where a load balancer sends requests.</summary>
    public IReadOnlyList<(string Id, int Port)> HealthyTargets(string targetGroupArn)
    {
        lock (Gate)
        {
            return _book.ForGroup(targetGroupArn).Where(e => e.IsHealthy && !e.IsDraining).Select(e => (e.Id, e.Port)).ToList();
        }
    }

    /// <summary>How many of the group's targets are healthy and how many unhealthy (ALB's HealthyHostCount and UnHealthyHostCount).</summary>
    public (int Healthy, int Unhealthy) HostCounts(string targetGroupArn)
    {
        lock (Gate)
        {
            var entries = _book.ForGroup(targetGroupArn);
            return (entries.Count(e => e.IsHealthy), entries.Count(e => e.State == "unhealthy"));
        }
    }

    private static KeyValuePair<string, string>[] TargetParameters(string targetGroupArn, string id, int port) =>
    [
        new("TargetGroupArn", targetGroupArn),
        new("Targets.member.1.Id", id),
        new("Targets.member.1.Port", port.ToString(CultureInfo.InvariantCulture)),
    ];

    // ---------------------------------------------------------------- the world's clock and moto's configuration

    /// <summary>Drops drained targets and starts the probes that are due.</summary>
    protected override void Step(double now)
    {
        _book.PruneDrained(now);
        foreach (var entry in _book.All)
        {
            if (entry.IsDraining || entry.ProbeInFlight || now < entry.NextProbeAt)
            {
                continue;
            }

            var snapshot = World.Configuration.Snapshot(RegionOf(entry.TargetGroupArn));
            if (!snapshot.TargetGroups.TryGetValue(entry.TargetGroupArn, out var group) || group.LoadBalancerArns.Count == 0 || !group.HealthCheckEnabled)
            {
                entry.NextProbeAt = now + 5;
                continue;
            }

            entry.ProbeInFlight = true;
            entry.NextProbeAt = now + group.IntervalSeconds;
            var port = group.ProbePort(entry.Port);
            var reachable = Reachability.FromLoadBalancers(snapshot, group, World.Addresses.PlacementAt(entry.Id, entry.Port), port);
            Effect(() =>
            {
                // Probes run on their own; the step does not wait for them.
                _ = ProbeAsync(entry, group, port, reachable);
                return Task.CompletedTask;
            });
        }
    }

    private async Task ProbeAsync(TargetHealthEntry entry, TargetGroupConfig group, int port, bool reachable)
    {
        var timeout = World.Clock.ToWall(group.TimeoutSeconds);
        ProbeResult result;
        try
        {
            if (reachable)
            {
                result = await _prober.ProbeAsync(group, entry.Id, port, timeout, World.Stopping).ConfigureAwait(false);
            }
            else
            {
                // The security group drops the packets: the probe waits out its timeout.
                await Task.Delay(timeout, World.Stopping).ConfigureAwait(false);
                result = ProbeResult.Timeout;
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (Gate)
        {
            TargetHealthBook.Apply(entry, group, result);
        }
    }

    /// <summary>Brings the book in line with the targets moto lists.</summary>
    protected override void OnConfigurationRead(string region, ConfigSnapshot snapshot) => _book.Reconcile(snapshot, World.Clock.Now);

    private static string RegionOf(string arn) => arn.Split(':') is { Length: > 3 } parts ? parts[3] : "us-east-1";

    // ---------------------------------------------------------------- the world's life

    protected override void Forget(ScenarioDefinition? next)
    {
        _book.Clear();
        _modifications.Clear();
    }

    /// <summary>Adds <c>targetGroups</c>: each group moto has, its health check, its targets' health and the ModifyTargetGroup calls applied to it.</summary>
    public override void DescribeState(JsonObject state)
    {
        lock (Gate)
        {
            state["targetGroups"] = new JsonArray(World.Configuration.All.SelectMany(snapshot => snapshot.TargetGroups.Values).Select(g => (JsonNode)new JsonObject
            {
                ["name"] = g.Name,
                ["arn"] = g.Arn,
                ["healthCheckPath"] = g.HealthCheckPath,
                ["matcher"] = g.Matcher,
                ["modifications"] = _modifications.GetValueOrDefault(g.Arn),
                ["targets"] = new JsonArray(_book.ForGroup(g.Arn).Select(e =>
                {
                    var (current, reason, description) = TargetHealthBook.Report(e, g);
                    return (JsonNode)new JsonObject { ["id"] = e.Id, ["port"] = e.Port, ["state"] = current, ["reason"] = reason, ["description"] = description };
                }).ToArray()),
            }).ToArray());
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        _prober.Dispose();
    }
}
