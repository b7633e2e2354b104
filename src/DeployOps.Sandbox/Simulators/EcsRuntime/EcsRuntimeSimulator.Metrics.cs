using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Sandbox.Simulators.Metrics;

namespace DeployOps.Sandbox.Simulators.EcsRuntime;

/// <summary>
/// What ECS reports to CloudWatch: each world minute, every RUNNING task's CPUUtilization and MemoryUtilization under its
/// service (namespace AWS/ECS, dimensions ClusterName and ServiceName), so a period's Average and Maximum are across the
/// service's tasks as in CloudWatch. A task that runs out of memory climbs towards 100% and reports 100% when it is killed.
/// </summary>
public sealed partial class EcsRuntimeSimulator
{
    private const string EcsNamespace = "AWS/ECS";

    /// <summary>The last world minute whose utilization was published.</summary>
    private long _publishedMinute = -1;

    private void PublishUtilization(double now)
    {
        var minute = (long)Math.Floor(now / 60);
        if (minute == _publishedMinute)
        {
            return;
        }

        _publishedMinute = minute;
        var at = DateTimeOffset.UtcNow;
        foreach (var task in _tasks.Values.Where(t => t.Phase == TaskPhase.Running && t.DesiredStatus == "RUNNING"))
        {
            var (cpu, memory) = Utilization(task, now);
            Publish(task, "CPUUtilization", cpu, at);
            Publish(task, "MemoryUtilization", memory, at);
        }
    }

    /// <summary>A task killed for memory reports what it reached: all of it.</summary>
    private void PublishExit(WorldTask task, (int ExitCode, string? Reason, IReadOnlyList<string> Logs) exit)
    {
        if (exit.Reason is { } reason && reason.StartsWith("OutOfMemoryError", StringComparison.Ordinal))
        {
            Publish(task, "MemoryUtilization", 100, DateTimeOffset.UtcNow);
        }
    }

    /// <summary>
    /// A task's CPU and memory (percent of what its task definition reserves): steady, a little different per task; memory
    /// of a task that will be killed for it climbs from there to 100% at the kill.
    /// </summary>
    private static (double Cpu, double Memory) Utilization(WorldTask task, double now)
    {
        var spread = (Math.Abs(task.Id.GetHashCode(StringComparison.Ordinal)) % 100) / 10.0;
        var cpu = 12 + spread;
        var memory = 38 + (spread / 2);
        if (task.PendingExit is { Reason: { } reason } && reason.StartsWith("OutOfMemoryError", StringComparison.Ordinal) &&
            task.FailsAt is { } killedAt && task.StartedAtWorld is { } startedAt && killedAt > startedAt)
        {
            var progress = Math.Clamp((now - startedAt) / (killedAt - startedAt), 0, 1);
            memory += (100 - memory) * progress;
        }

        return (Math.Round(cpu, 1), Math.Round(memory, 1));
    }

    private void Publish(WorldTask task, string metricName, double value, DateTimeOffset at) =>
        _metrics.Publish(new MetricValue(task.Region, EcsNamespace, metricName,
            [new("ClusterName", task.ClusterName), new("ServiceName", task.Service.Name)], value, "Percent", at));
}
