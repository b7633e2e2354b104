using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using DeployOps.Sandbox.Scenarios;
using Microsoft.Extensions.Logging;

namespace DeployOps.Sandbox.World;

/// <summary>
/// The runtime world on top of moto's control plane. moto holds configuration; the world owns
/// what moto cannot do: tasks that run, deployments that roll out or fail, service events and
/// target health from real HTTP probes. All state changes happen under one lock; network I/O
/// (moto calls, probes, listeners) happens outside it, as "effects" queued while the lock is held.
/// </summary>
public sealed partial class SandboxWorld : IAsyncDisposable
{
    public const string AccountId = "123456789012";
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(50);

    private readonly object _gate = new();
    private readonly MotoClient _moto;
    private readonly ILogger _log;
    private readonly LogSink _logs = new();
    private readonly HealthProber _prober = new();
    private readonly LoopbackAddresses _addresses = new();
    private readonly List<Func<Task>> _effects = new();
    private readonly Dictionary<string, WorldService> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorldTask> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskDefinitionSpec> _taskDefinitions = new(StringComparer.Ordinal);
    private readonly TargetHealthBook _targets = new();
    private readonly HashSet<string> _regions = new(StringComparer.Ordinal) { "us-east-1" };
    private readonly Dictionary<string, ConfigSnapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    // One refresh of the snapshots at a time (the tick, the state endpoint, a reset), so an older read of moto never
    // overwrites a newer one.
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private Task? _loop;
    private int _snapshotDirty = 1;
    private DateTime _snapshotReadAt = DateTime.MinValue;
    private IReadOnlyDictionary<string, AppProfile> _applications = new Dictionary<string, AppProfile>();
    private WorldTimings _timings = new();

    public SandboxWorld(MotoClient moto, WorldClock clock, ILogger log)
    {
        _moto = moto;
        Clock = clock;
        _log = log;
    }

    public WorldClock Clock { get; }

    public string ScenarioName { get; private set; } = "";

    public string ScenarioDescription { get; private set; } = "";

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Called for every request that changes ELB, EC2 or Logs configuration: re-read moto before the next step.</summary>
    public void InvalidateConfiguration(string region)
    {
        lock (_gate)
        {
            _regions.Add(region);
        }

        Interlocked.Exchange(ref _snapshotDirty, 1);
    }

    private ConfigSnapshot Snapshot(string region) => _snapshots.GetValueOrDefault(region) ?? ConfigSnapshot.Empty;

    /// <summary>Queues network work to run once the lock is released. Call only while holding the lock.</summary>
    private void Effect(Func<Task> effect) => _effects.Add(effect);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TickInterval, cancellationToken).ConfigureAwait(false);
                await TickAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is MotoException or HttpRequestException)
            {
                // One bad step must not stop the world; it is logged (moto's failure says all there is to say) and the next tick tries again.
                _log.LogError("World step failed: {Message}", ex.Message);
            }
            catch (Exception ex)
            {
                _log.LogError(ex, "World step failed");
            }
        }
    }

    /// <summary>One step of the world: refresh configuration if needed, advance tasks, services and probes, then do the I/O.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        await RefreshSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        List<(TargetHealthEntry Entry, TargetGroupConfig Group, bool Reachable, double StartedAt)> probes;
        lock (_gate)
        {
            var now = Clock.Now;
            _targets.PruneDrained(now);
            StepTasks(now);
            foreach (var service in _services.Values.ToList())
            {
                if (now >= service.NextScheduleAt)
                {
                    service.NextScheduleAt = now + _timings.SchedulerIntervalSeconds;
                    Schedule(service, now);
                }
            }

            probes = DueProbes(now);
        }

        foreach (var probe in probes)
        {
            _ = RunProbeAsync(probe.Entry, probe.Group, probe.Reachable, probe.StartedAt, cancellationToken);
        }

        await RunEffectsAsync().ConfigureAwait(false);
        await _logs.FlushAsync(_moto, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunEffectsAsync()
    {
        List<Func<Task>> effects;
        lock (_gate)
        {
            if (_effects.Count == 0)
            {
                return;
            }

            effects = _effects.ToList();
            _effects.Clear();
        }

        foreach (var effect in effects)
        {
            try
            {
                await effect().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MotoException or HttpRequestException or System.Net.Sockets.SocketException)
            {
                _log.LogWarning("World effect failed: {Message}", ex.Message);
            }
        }
    }

    /// <summary>Re-reads moto's configuration when a write made it stale (or it is older than <see cref="ConfigSnapshot.MaxAge"/>).</summary>
    private async Task RefreshSnapshotsAsync(CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Read under the gate: a refresh that cleared the flag has finished, so its snapshot is no older than the last write.
            var stale = DateTime.UtcNow - _snapshotReadAt > ConfigSnapshot.MaxAge;
            if (Interlocked.Exchange(ref _snapshotDirty, 0) == 0 && !stale)
            {
                return;
            }

            _snapshotReadAt = DateTime.UtcNow;
            string[] regions;
            lock (_gate)
            {
                regions = _regions.ToArray();
            }

            foreach (var region in regions)
            {
                ConfigSnapshot snapshot;
                try
                {
                    snapshot = await ConfigSnapshot.ReadAsync(_moto, region, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is MotoException or HttpRequestException)
                {
                    _log.LogWarning("Reading moto's configuration for {Region} failed: {Message}", region, ex.Message);
                    if (ex is MotoCallException)
                    {
                        // A refusal may pass: try again next step. A broken or silent moto is tried again after MaxAge (or the next write), not every step.
                        Interlocked.Exchange(ref _snapshotDirty, 1);
                    }

                    continue;
                }

                lock (_gate)
                {
                    _snapshots[region] = snapshot;
                    _targets.Reconcile(snapshot, Clock.Now);
                }

                await ReconcileLoadBalancerListenersAsync(region, snapshot).ConfigureAwait(false);
            }
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>Forgets everything (moto is reset separately) and sets the applications and timings of a new scenario.</summary>
    public async Task ResetAsync(string scenarioName, string description, string region, IReadOnlyDictionary<string, AppProfile> applications, WorldTimings timings)
    {
        // Under the refresh gate, so that no read of the old account lands after the reset.
        await _refreshGate.WaitAsync().ConfigureAwait(false);
        try
        {
            List<WorldTask> tasks;
            lock (_gate)
            {
                tasks = _tasks.Values.ToList();
                _tasks.Clear();
                _services.Clear();
                _taskDefinitions.Clear();
                _snapshots.Clear();
                _effects.Clear();
                _regions.Clear();
                _regions.Add(region);
                _targets.Clear();
                _applications = applications;
                _timings = timings;
                ScenarioName = scenarioName;
                ScenarioDescription = description;
            }

            _logs.Reset();
            foreach (var task in tasks)
            {
                await StopListenerAsync(task).ConfigureAwait(false);
            }

            await CloseLoadBalancerListenersAsync().ConfigureAwait(false);
            Interlocked.Exchange(ref _snapshotDirty, 1);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        List<WorldTask> tasks;
        lock (_gate)
        {
            tasks = _tasks.Values.ToList();
        }

        foreach (var task in tasks)
        {
            await StopListenerAsync(task).ConfigureAwait(false);
        }

        await CloseLoadBalancerListenersAsync().ConfigureAwait(false);
        _prober.Dispose();
        _stop.Dispose();
        _refreshGate.Dispose();
    }
}
