using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Front;
using DeployOps.Sandbox.Moto;
using DeployOps.Sandbox.Scenarios;
using Microsoft.Extensions.Logging;

namespace DeployOps.Sandbox.World;

/// <summary>
/// One simulated service of the world: its own state behind its own lock (<see cref="Gate"/>), its own step each world
/// tick, the AWS operations it answers (<see cref="Register"/>) and its part of <c>GET /_sandbox/state</c>. State changes
/// only under the lock; network I/O (moto calls, probes, listeners) never runs under it but is queued as an
/// <see cref="Effect"/> and runs once the step is over. A simulator may call another's methods while it holds its own
/// lock only in the order ARCHITECTURE.md gives (ECS runtime, then target health or logs), so two locks are never taken
/// in opposite orders.
/// </summary>
public abstract class Simulator : IAsyncDisposable
{
    private readonly List<Func<Task>> _effects = [];

    protected Simulator(WorldContext world)
    {
        World = world;
    }

    protected WorldContext World { get; }

    /// <summary>The simulator's one lock.</summary>
    protected object Gate { get; } = new();

    /// <summary>Registers the operations this simulator answers and the writes it must hear about.</summary>
    public virtual void Register(AwsRoutes routes)
    {
    }

    /// <summary>Advances the simulator to the world's current time, under its lock.</summary>
    public void Step()
    {
        lock (Gate)
        {
            Step(World.Clock.Now);
        }
    }

    /// <summary>One step at world time <paramref name="now"/>; called under <see cref="Gate"/>.</summary>
    protected virtual void Step(double now)
    {
    }

    /// <summary>Runs the network I/O queued so far, outside the lock. A failed effect is logged; the others still run.</summary>
    public async Task RunEffectsAsync()
    {
        Func<Task>[] effects;
        lock (Gate)
        {
            if (_effects.Count == 0)
            {
                return;
            }

            effects = _effects.ToArray();
            _effects.Clear();
        }

        foreach (var effect in effects)
        {
            try
            {
                await effect().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MotoException or HttpRequestException or SocketException)
            {
                World.Log.LogWarning("{Simulator} effect failed: {Message}", GetType().Name, ex.Message);
            }
        }
    }

    /// <summary>Queues network work to run once the lock is released. Call only while holding <see cref="Gate"/>.</summary>
    protected void Effect(Func<Task> effect)
    {
        Debug.Assert(Monitor.IsEntered(Gate), "Effects are queued under the simulator's lock.");
        _effects.Add(effect);
    }

    /// <summary>moto's configuration of <paramref name="region"/> was read again.</summary>
    public void ConfigurationRead(string region, ConfigSnapshot snapshot)
    {
        lock (Gate)
        {
            OnConfigurationRead(region, snapshot);
        }
    }

    /// <summary>Brings the state in line with moto's configuration; called under <see cref="Gate"/> (closing what is gone is an effect).</summary>
    protected virtual void OnConfigurationRead(string region, ConfigSnapshot snapshot)
    {
    }

    /// <summary>Forgets everything (moto is reset separately), takes what it needs of the new scenario, and closes what it had open.</summary>
    public Task ResetAsync(ScenarioDefinition scenario) => ForgetAsync(scenario);

    /// <summary>
    /// Clears the simulator's state, under <see cref="Gate"/>, for the <paramref name="next"/> scenario (null when the world
    /// stops); what it had open (listeners) it closes as effects.
    /// </summary>
    protected abstract void Forget(ScenarioDefinition? next);

    /// <summary>The control-API entries this simulator adds under <c>/_sandbox/</c> (most add none).</summary>
    public virtual IEnumerable<ControlRoute> ControlRoutes() => [];

    /// <summary>Adds this simulator's part to the state <c>GET /_sandbox/state</c> reports.</summary>
    public virtual void DescribeState(JsonObject state)
    {
    }

    /// <summary>Forgets everything and closes what it had open; a simulator that owns more (HTTP clients) disposes it after this.</summary>
    public virtual ValueTask DisposeAsync() => new(ForgetAsync(next: null));

    private async Task ForgetAsync(ScenarioDefinition? next)
    {
        lock (Gate)
        {
            // Work queued for the old account is dropped; what Forget queues (closing listeners) runs next.
            _effects.Clear();
            Forget(next);
        }

        await RunEffectsAsync().ConfigureAwait(false);
    }
}
