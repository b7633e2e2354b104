using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Sandbox.Scenarios;

namespace DeployOps.Sandbox.Simulators.Rds;

/// <summary>An RDS event as DescribeEvents reports it, at a world time.</summary>
public sealed record DatabaseEvent(string SourceIdentifier, string SourceType, string SourceArn, double At, string Message, string Category);

/// <summary>
/// The life of one RDS resource on the world clock: created at a world time, <c>creating</c> until its behaviour says it is
/// available (never, when it is stuck; <c>failed</c> when it fails), then <c>modifying</c> or <c>deleting</c> for a while.
/// Every transition happens at a known world time, so a life started in the past (a scenario's history) answers for any
/// moment. <see cref="SourceType"/> is RDS's: <c>db-instance</c> today; Aurora clusters (<c>db-cluster</c>) fit the same
/// shape when the load-balancer and database issue adds them.
/// </summary>
public sealed class DatabaseLife
{
    /// <summary>How long RDS takes to delete an instance, in world seconds.</summary>
    public const double DeleteSeconds = 300;

    private readonly List<DatabaseEvent> _events = [];

    public DatabaseLife(string region, string sourceType, string identifier, string arn, double createdAt, DatabaseBehaviour behaviour)
    {
        Region = region;
        SourceType = sourceType;
        Identifier = identifier;
        Arn = arn;
        CreatedAt = createdAt;
        Behaviour = behaviour;
        AvailableAt = behaviour.Stuck || behaviour.FailureReason is not null ? null : createdAt + behaviour.CreateSeconds;
        foreach (var scripted in behaviour.Events)
        {
            _events.Add(new DatabaseEvent(identifier, sourceType, arn, createdAt + scripted.AfterSeconds, scripted.Message, scripted.Category));
        }

        if (behaviour.FailureReason is { } reason)
        {
            _events.Add(new DatabaseEvent(identifier, sourceType, arn, createdAt + behaviour.CreateSeconds, reason, "failure"));
        }
        else if (AvailableAt is { } available)
        {
            _events.Add(new DatabaseEvent(identifier, sourceType, arn, available, "DB instance created", "creation"));
            _events.Add(new DatabaseEvent(identifier, sourceType, arn, available + 60, "Backing up DB instance", "backup"));
            _events.Add(new DatabaseEvent(identifier, sourceType, arn, available + 240, "Finished DB instance backup", "backup"));
        }
    }

    public string Region { get; }

    public string SourceType { get; }

    public string Identifier { get; }

    public string Arn { get; }

    public DatabaseBehaviour Behaviour { get; }

    /// <summary>World time CreateDBInstance was accepted.</summary>
    public double CreatedAt { get; }

    /// <summary>World time it becomes available; null while it never will (stuck or failed).</summary>
    public double? AvailableAt { get; }

    /// <summary>World time a modification ends, when one is under way.</summary>
    public double? ModifyingUntil { get; private set; }

    /// <summary>World time DeleteDBInstance was accepted, or null.</summary>
    public double? DeletingSince { get; private set; }

    /// <summary>True once moto was told to delete it (the deletion is over).</summary>
    public bool RemovedFromMoto { get; set; }

    /// <summary>The world time the deletion is over, or null.</summary>
    public double? GoneAt => DeletingSince + DeleteSeconds;

    /// <summary>RDS's status at world time <paramref name="at"/>; null once it is gone.</summary>
    public string? StatusAt(double at)
    {
        if (GoneAt is { } gone && at >= gone)
        {
            return null;
        }

        if (DeletingSince is { } deleting && at >= deleting)
        {
            return "deleting";
        }

        if (Behaviour.FailureReason is not null && at >= CreatedAt + Behaviour.CreateSeconds)
        {
            return "failed";
        }

        if (AvailableAt is not { } available || at < available)
        {
            return "creating";
        }

        return ModifyingUntil is { } until && at < until ? "modifying" : "available";
    }

    /// <summary>Starts a modification (ModifyDBInstance, a stack update) at <paramref name="at"/> lasting <paramref name="seconds"/>.</summary>
    public void Modify(double at, double seconds, string what)
    {
        ModifyingUntil = at + seconds;
        _events.Add(new DatabaseEvent(Identifier, SourceType, Arn, at + seconds, $"Finished applying modification to {what}", "configuration change"));
    }

    /// <summary>Starts the deletion at <paramref name="at"/> (again no-op when it is already deleting).</summary>
    public void Delete(double at)
    {
        if (DeletingSince is not null)
        {
            return;
        }

        DeletingSince = at;
        _events.Add(new DatabaseEvent(Identifier, SourceType, Arn, at + DeleteSeconds, "DB instance deleted", "deletion"));
    }

    /// <summary>The events that happened by world time <paramref name="now"/>, oldest first (none a deletion cut short).</summary>
    public IEnumerable<DatabaseEvent> EventsBy(double now) =>
        _events.Where(e => e.At <= now && (DeletingSince is not { } deleting || e.At <= deleting || e.Category == "deletion")).OrderBy(e => e.At);
}
