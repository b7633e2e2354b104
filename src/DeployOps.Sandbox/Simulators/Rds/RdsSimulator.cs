using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.Simulators.Metrics;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.Rds;

/// <summary>
/// RDS at run time, which moto does not do (its instances are available the moment they are asked for): DB instances
/// that are <c>creating</c> for world minutes (about 15 by default; a scenario's <c>databases</c> may make one slower,
/// stuck or failing), <c>deleting</c> for five, and RDS events on the world timeline (<see cref="WorldTimeline"/>). moto
/// keeps the configuration (instances, subnet groups); this simulator overlays the status and answers DescribeEvents.
/// CloudFormation creates its instances through <see cref="InstanceCreated"/> and reads their status back. Aurora
/// clusters (<c>auroraClusters</c>) and the scenario's stoppable DB instances (<c>dbInstances</c>) live in <c>RdsSimulator.Servers.cs</c>.
/// </summary>
public sealed partial class RdsSimulator : Simulator
{
    private const string Service = "rds";
    private const string InstanceSourceType = "db-instance";

    private readonly Dictionary<(string Region, string Identifier), DatabaseLife> _instances = new();
    private readonly MetricsSimulator _metrics;
    private IReadOnlyDictionary<string, DatabaseBehaviour> _behaviours = new Dictionary<string, DatabaseBehaviour>();

    public RdsSimulator(WorldContext world, MetricsSimulator metrics)
        : base(world)
    {
        _metrics = metrics;
    }

    /// <summary>Starts the life of an instance created at world time <paramref name="at"/> (CreateDBInstance, or a stack's); returns its ARN.</summary>
    public string InstanceCreated(string region, string identifier, double at)
    {
        lock (Gate)
        {
            return Track(region, identifier, at).Arn;
        }
    }

    /// <summary>The instance's status at world time <paramref name="at"/> (creating, available, modifying, deleting, failed), or null when gone or unknown.</summary>
    public string? InstanceStatus(string region, string identifier, double at)
    {
        lock (Gate)
        {
            return _instances.GetValueOrDefault((region, identifier))?.StatusAt(at);
        }
    }

    /// <summary>When the instance's creation ends (null: never, it is stuck) and, when it fails, why.</summary>
    public (double? DoneAt, string? Failure) CreationOutcome(string region, string identifier)
    {
        lock (Gate)
        {
            var life = _instances[(region, identifier)];
            return life.Behaviour.FailureReason is { } reason ? (life.CreatedAt + life.Behaviour.CreateSeconds, reason) : (life.AvailableAt, null);
        }
    }

    /// <summary>A modification of <paramref name="what"/> starts at <paramref name="at"/> and lasts <paramref name="seconds"/>.</summary>
    public void InstanceModified(string region, string identifier, double at, double seconds, string what)
    {
        lock (Gate)
        {
            _instances.GetValueOrDefault((region, identifier))?.Modify(at, seconds, what);
        }
    }

    /// <summary>The instance's deletion starts at <paramref name="at"/>; moto forgets it when the deletion is over.</summary>
    public void InstanceDeleted(string region, string identifier, double at)
    {
        lock (Gate)
        {
            Track(region, identifier, at - 3600).Delete(at);
        }
    }

    /// <summary>Tells moto to forget the instances whose deletion is over; steps the databases with endpoints.</summary>
    protected override void Step(double now)
    {
        StepServers(now);
        foreach (var life in _instances.Values.Where(l => l.GoneAt <= now && !l.RemovedFromMoto))
        {
            life.RemovedFromMoto = true;
            var (region, identifier) = (life.Region, life.Identifier);
            Effect(() => World.Moto.RdsAsync("DeleteDBInstance", [new("DBInstanceIdentifier", identifier), new("SkipFinalSnapshot", "true")], region, World.Stopping));
        }
    }

    protected override void Forget(ScenarioDefinition? next)
    {
        _instances.Clear();
        _behaviours = next?.Databases ?? _behaviours;
        ForgetServers(next);
    }

    /// <summary>Adds <c>databases</c>: each instance's identifier, status and region.</summary>
    public override void DescribeState(JsonObject state)
    {
        lock (Gate)
        {
            var now = World.Clock.Now;
            state["databases"] = new JsonArray(_instances.Values.OrderBy(l => l.Identifier, StringComparer.Ordinal).Select(l => (JsonNode)new JsonObject
            {
                ["identifier"] = l.Identifier,
                ["region"] = l.Region,
                ["status"] = l.StatusAt(now) ?? "deleted",
            }).ToArray());
            state["auroraClusters"] = DescribeClusters(now);
            state["dbInstances"] = DescribeDbInstances(now);
        }
    }

    /// <summary>The life of an instance, started at <paramref name="createdAt"/> when it is new; under the lock.</summary>
    private DatabaseLife Track(string region, string identifier, double createdAt)
    {
        if (!_instances.TryGetValue((region, identifier), out var life) || (life.StatusAt(World.Clock.Now) is null && life.RemovedFromMoto))
        {
            var behaviour = _behaviours.GetValueOrDefault(identifier) ?? new DatabaseBehaviour { Identifier = identifier };
            var arn = $"arn:aws:rds:{region}:{WorldContext.AccountId}:db:{identifier}";
            _instances[(region, identifier)] = life = new DatabaseLife(region, InstanceSourceType, identifier, arn, createdAt, behaviour);
        }

        return life;
    }
}
