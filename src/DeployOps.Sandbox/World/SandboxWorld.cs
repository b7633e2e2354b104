using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Front;
using DeployOps.Sandbox.Moto;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.Simulators;
using Microsoft.Extensions.Logging;

namespace DeployOps.Sandbox.World;

/// <summary>
/// The runtime world on top of moto's control plane: the simulators (<see cref="SimulatorList"/>), the shared pieces
/// they use (<see cref="WorldContext"/>), the routes they answer through, and the tick that moves them: every 50 ms it
/// re-reads moto's configuration when a write made it stale, steps each simulator under its own lock, then runs the
/// network I/O each one queued.
/// </summary>
public sealed class SandboxWorld : IAsyncDisposable
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(50);

    private readonly CancellationTokenSource _stop = new();

    // One tick at a time (the loop's and the scenario loader's), and none during a reset.
    private readonly SemaphoreSlim _tickGate = new(1, 1);
    private readonly WorldContext _world;
    private readonly IReadOnlyList<Simulator> _simulators;
    private Task? _loop;

    public SandboxWorld(MotoClient moto, WorldClock clock, ILogger log)
    {
        _world = new WorldContext(moto, clock, log, _stop.Token);
        _simulators = SimulatorList.Create(_world);
        Routes = new AwsRoutes(moto);
        foreach (var service in ConfigSnapshot.SourceServices)
        {
            Routes.OnWrite(service, request => _world.Configuration.Invalidate(request.Region));
        }

        foreach (var simulator in _simulators)
        {
            simulator.Register(Routes);
        }
    }

    /// <summary>The operations the simulators answer; the AWS endpoint dispatches through it.</summary>
    public AwsRoutes Routes { get; }

    public WorldClock Clock => _world.Clock;

    /// <summary>The control-API entries the simulators add (the host maps them under <c>/_sandbox/</c>).</summary>
    public IEnumerable<ControlRoute> ControlRoutes => _simulators.SelectMany(s => s.ControlRoutes());

    public string ScenarioName { get; private set; } = "";

    public string ScenarioDescription { get; private set; } = "";

    /// <summary>The simulator of type <typeparamref name="T"/>.</summary>
    public T Simulator<T>()
        where T : Simulator => _simulators.OfType<T>().Single();

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Something in <paramref name="region"/> changed behind the routes' back (the scenario loader): re-read moto before the next step.</summary>
    public void InvalidateConfiguration(string region) => _world.Configuration.Invalidate(region);

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
                _world.Log.LogError("World step failed: {Message}", ex.Message);
            }
            catch (Exception ex)
            {
                _world.Log.LogError(ex, "World step failed");
            }
        }
    }

    /// <summary>One step of the world: refresh configuration if needed, step every simulator, then do their I/O.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        await _tickGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RefreshConfigurationAsync(cancellationToken).ConfigureAwait(false);
            foreach (var simulator in _simulators)
            {
                simulator.Step();
            }

            foreach (var simulator in _simulators)
            {
                await simulator.RunEffectsAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _tickGate.Release();
        }
    }

    private Task RefreshConfigurationAsync(CancellationToken cancellationToken) =>
        _world.Configuration.RefreshAsync((region, snapshot) =>
        {
            foreach (var simulator in _simulators)
            {
                simulator.ConfigurationRead(region, snapshot);
            }
        }, cancellationToken);

    /// <summary>
    /// Resets moto (<paramref name="resetMoto"/>), forgets everything and gives every simulator the new scenario, with no
    /// tick in between: a tick between moto's reset and the simulators' would let the old scenario's simulators write into
    /// the fresh moto (a stack's resources, a database's metrics) or read its emptiness as their resources' deletion.
    /// </summary>
    public async Task ResetAsync(ScenarioDefinition scenario, Func<Task> resetMoto)
    {
        await _tickGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await resetMoto().ConfigureAwait(false);
            await _world.Configuration.ResetAsync(scenario.Region, async () =>
            {
                ScenarioName = scenario.Name;
                ScenarioDescription = scenario.Description;
                _world.Addresses.ReleaseAll();
                foreach (var simulator in _simulators)
                {
                    await simulator.ResetAsync(scenario).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }
        finally
        {
            _tickGate.Release();
        }
    }

    /// <summary>The state, after re-reading moto's configuration if a write made it stale, so a change is visible as soon as its call returned.</summary>
    public async Task<JsonObject> DescribeStateAsync(CancellationToken cancellationToken)
    {
        await RefreshConfigurationAsync(cancellationToken).ConfigureAwait(false);
        var state = new JsonObject
        {
            ["scenario"] = ScenarioName,
            ["description"] = ScenarioDescription,
            ["motoUrl"] = _world.Moto.BaseUrl.GetLeftPart(UriPartial.Authority),
            ["clock"] = new JsonObject { ["speed"] = Clock.Speed, ["worldSeconds"] = Math.Round(Clock.Now, 3) },
            ["sharedLoopbackAddress"] = _world.Addresses.SharesOneAddress,
        };
        foreach (var simulator in _simulators)
        {
            simulator.DescribeState(state);
        }

        return state;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        foreach (var simulator in _simulators.Reverse())
        {
            await simulator.DisposeAsync().ConfigureAwait(false);
        }

        _world.Configuration.Dispose();
        _tickGate.Dispose();
        _stop.Dispose();
    }
}
