using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeployOps.Errors;
using DeployOps.Notifications;
using DeployOps.Storage;

namespace DeployOps.Monitoring;

/// <summary>Whether a monitor is at work.</summary>
public enum MonitorState
{
    /// <summary>Its heartbeat is recent (and its process runs, when it is on this machine).</summary>
    Running,

    /// <summary>Its heartbeat stopped (or its process is gone) before the deployment ended: restart it, it resumes.</summary>
    Dead,

    /// <summary>It ended: the deployment completed or failed, or its wait timed out.</summary>
    Finished,
}

/// <summary>One monitor as Get-DeploymentMonitor sees it (runbook 001: "check if monitor is running").</summary>
public sealed class DeploymentMonitorStatus
{
    public string CorrelationId { get; init; } = string.Empty;

    public string StackName { get; init; } = string.Empty;

    /// <summary>Running, Dead or Finished.</summary>
    public string State => StateKind.ToString();

    public DateTimeOffset LastHeartbeat { get; init; }

    /// <summary>How long ago the last heartbeat was.</summary>
    public TimeSpan HeartbeatAge { get; init; }

    public DateTimeOffset? LastEventAt { get; init; }

    /// <summary>The last stack event the monitor processed.</summary>
    public string? LastEvent { get; init; }

    public string? StackStatus { get; init; }

    /// <summary>How it ended (Completed, Failed, TimedOut), once Finished.</summary>
    public string? Outcome { get; init; }

    /// <summary>Its notifications still waiting in the outbox.</summary>
    public int PendingNotifications { get; init; }

    public int ProcessId { get; init; }

    public string Host { get; init; } = string.Empty;

    /// <summary>What to do: for a dead monitor, the command that restarts it.</summary>
    public string? RecommendedAction { get; init; }

    /// <summary>The registry folder (binds -RegistryPath down the pipeline).</summary>
    public string? RegistryPath { get; init; }

    internal MonitorState StateKind { get; init; }

    public override string ToString() => $"{CorrelationId} {State}";
}

/// <summary>Reads the monitors' heartbeats (Get-DeploymentMonitor).</summary>
public static class DeploymentMonitors
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Every monitor of the store (or the one of <paramref name="correlationId"/>), newest heartbeat first. A monitor is
    /// Dead when its heartbeat is older than three poll intervals (and a minute) or its process on this machine is gone.
    /// </summary>
    public static IReadOnlyList<DeploymentMonitorStatus> Read(DeploymentStore store, string? correlationId, DateTimeOffset now)
    {
        var folder = store.PathOf(DeploymentMonitor.FolderName);
        var files = correlationId is not null
            ? new[] { DeploymentMonitor.HeartbeatPath(store, correlationId) }.Where(File.Exists).ToArray()
            : Directory.Exists(folder) ? Directory.GetFiles(folder, "*.heartbeat.json") : Array.Empty<string>();
        if (correlationId is not null && files.Length == 0)
        {
            throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.MonitorNotFound,
                $"No monitor has watched deployment '{correlationId}' with the store at {store.Folder} (no heartbeat file). Start one with Watch-Deployment.", correlationId));
        }

        var outbox = new NotificationOutbox(store);
        var pending = outbox.Items(OutboxState.Pending, OutboxState.InFlight).GroupBy(i => i.CorrelationId ?? "").ToDictionary(g => g.Key, g => g.Count());
        return files.Select(file => new LockedJsonFile<MonitorHeartbeat>(file, Json).Read())
            .Select(beat => Status(beat, now, pending.TryGetValue(beat.CorrelationId, out var count) ? count : 0, store))
            .OrderByDescending(s => s.LastHeartbeat).ToList();
    }

    /// <summary>Running, Dead or Finished, by the heartbeat.</summary>
    public static MonitorState StateOf(MonitorHeartbeat beat, DateTimeOffset now)
    {
        if (beat.FinishedAt is not null)
        {
            return MonitorState.Finished;
        }

        var allowed = TimeSpan.FromSeconds(Math.Max(1, beat.PollIntervalSeconds) * 3) + TimeSpan.FromMinutes(1);
        return now - beat.LastHeartbeat > allowed || !ProcessLiveness.MayBeRunning(beat.Host, beat.ProcessId)
            ? MonitorState.Dead
            : MonitorState.Running;
    }

    private static DeploymentMonitorStatus Status(MonitorHeartbeat beat, DateTimeOffset now, int pending, DeploymentStore store)
    {
        var state = StateOf(beat, now);
        return new DeploymentMonitorStatus
        {
            CorrelationId = beat.CorrelationId,
            StackName = beat.StackName,
            StateKind = state,
            LastHeartbeat = beat.LastHeartbeat,
            HeartbeatAge = now - beat.LastHeartbeat,
            LastEventAt = beat.LastEventAt,
            LastEvent = beat.LastEvent,
            StackStatus = beat.StackStatus,
            Outcome = beat.Outcome,
            PendingNotifications = pending,
            ProcessId = beat.ProcessId,
            Host = beat.Host,
            RegistryPath = store.Folder,
            RecommendedAction = state == MonitorState.Dead
                ? $"Restart it (it resumes from its checkpoint): Watch-Deployment -StackName {beat.StackName} -CorrelationId {beat.CorrelationId}"
                : pending > 0 && state == MonitorState.Finished ? "Send what it left queued: Invoke-NotificationQueue" : null,
        };
    }
}
