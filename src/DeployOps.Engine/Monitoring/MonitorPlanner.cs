using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeployOps.Coordination;
using DeployOps.Notifications;

namespace DeployOps.Monitoring;

/// <summary>How the monitor reports.</summary>
public sealed record MonitorSettings
{
    /// <summary>A progress notification every this long since the deployment started; zero for none.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Also a progress notification each time every resource of a group (RDS, ECS, EC2...) is done.</summary>
    public bool ProgressPerResourceGroup { get; init; }

    /// <summary>No stack event for this long while in progress: a stuck notification (runbook 001: 15+ minutes).</summary>
    public TimeSpan StuckAfter { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Also wait for this ECS service's rollout (cluster, service) once the stack is done.</summary>
    public bool FollowsEcsService { get; init; }
}

/// <summary>An ECS service's rollout as the monitor read it.</summary>
/// <param name="RolloutState">The PRIMARY deployment's rolloutState (IN_PROGRESS, COMPLETED, FAILED); null when unknown.</param>
public sealed record EcsRolloutObservation(string Service, string? RolloutState, int Running, int Desired, string? Reason)
{
    public override string ToString() => $"service {Service} rollout {RolloutState ?? "unknown"}, {Running}/{Desired} running";
}

/// <summary>What one poll produced: the notifications to queue, and whether the deployment is over.</summary>
public sealed record MonitorPlan(IReadOnlyList<OutboxEntry> Notifications, bool Finished);

/// <summary>
/// The monitor's rules without AWS, files or Slack: from its checkpoint, the stack as read now, the events not seen yet
/// (oldest first) and the ECS rollout, what to notify: started (once); progress every N minutes (each slot as of its
/// own time, so a restarted monitor sends the slots it missed) or per resource group; stuck (no event for a while, once
/// per quiet period); completed, or failed with the first failure's reason. It updates the checkpoint in place. Each
/// notification's key derives from what it is about, so planning the same moment twice queues nothing twice.
/// </summary>
public static class MonitorPlanner
{
    public static MonitorPlan Plan(MonitorCheckpoint checkpoint, StackProgress stack, IReadOnlyList<StackProgressEvent> newEvents, EcsRolloutObservation? ecs,
        DateTimeOffset now, MonitorSettings settings)
    {
        var notes = new List<OutboxEntry>();
        var cid = checkpoint.CorrelationId;
        if (!checkpoint.StartedNotified)
        {
            var every = settings.ProgressInterval > TimeSpan.Zero ? $" Progress every {Minutes(settings.ProgressInterval)} min." : "";
            notes.Add(Note(checkpoint, NotificationKind.Started, $"{cid}:started",
                $"Deployment {cid} of {checkpoint.StackName} started: {stack.Status} since {Clock(checkpoint.DeploymentStartedAt)} UTC.{every}"));
            checkpoint.StartedNotified = true;
        }

        var events = newEvents.OrderBy(e => e.Timestamp).ToList();
        var applied = 0;
        var ended = StackStatusKinds.Of(checkpoint.StackStatus ?? stack.Status) != StackStatusKind.InProgress && checkpoint.StackStatus is not null;
        if (settings.ProgressInterval > TimeSpan.Zero)
        {
            var due = (long)Math.Floor((now - checkpoint.DeploymentStartedAt).TotalMilliseconds / settings.ProgressInterval.TotalMilliseconds);
            for (var slot = checkpoint.LastProgressSlot + 1; slot <= due; slot++)
            {
                var at = checkpoint.DeploymentStartedAt + TimeSpan.FromTicks(settings.ProgressInterval.Ticks * slot);
                while (applied < events.Count && events[applied].Timestamp <= at)
                {
                    Apply(checkpoint, events[applied++], notes, settings);
                }

                ended = checkpoint.StackStatus is { } status && StackStatusKinds.Of(status) != StackStatusKind.InProgress;
                if (!ended)
                {
                    notes.Add(Note(checkpoint, NotificationKind.Progress, $"{cid}:progress:{slot.ToString(CultureInfo.InvariantCulture)}", ProgressText(checkpoint, at, ecs)));
                }

                checkpoint.LastProgressSlot = slot;
            }
        }

        while (applied < events.Count)
        {
            Apply(checkpoint, events[applied++], notes, settings);
        }

        if (stack.Kind == StackStatusKind.InProgress)
        {
            var quietSince = checkpoint.LastEventAt ?? checkpoint.DeploymentStartedAt;
            var quietKey = checkpoint.LastEventId ?? "start";
            if (now - quietSince >= settings.StuckAfter && checkpoint.StuckNotifiedFor != quietKey)
            {
                notes.Add(Note(checkpoint, NotificationKind.Stuck, $"{cid}:stuck:{quietKey}",
                    $"{checkpoint.StackName} may be stuck: no stack event for {Minutes(now - quietSince)} min (last: {checkpoint.LastEvent ?? "none since the start"})."
                    + InProgressText(checkpoint, now) + $" Diagnose: Get-CfnStackDiagnosis -StackName {checkpoint.StackName}"));
                checkpoint.StuckNotifiedFor = quietKey;
            }

            return new MonitorPlan(notes, Finished: false);
        }

        var outcome = Outcome(stack, ecs, settings);
        if (outcome is null)
        {
            return new MonitorPlan(notes, Finished: false);
        }

        if (checkpoint.Outcome is null)
        {
            var took = $"after {Minutes(now - checkpoint.DeploymentStartedAt)} min";
            var ecsText = ecs is null ? "" : $"; {ecs}";
            var text = outcome == NotificationKind.Completed
                ? $"Deployment {cid} of {checkpoint.StackName} completed: {stack.Status} {took}{ecsText}."
                : $"Deployment {cid} of {checkpoint.StackName} failed: {stack.Status} {took}{ecsText}. First failure: {FirstFailureText(checkpoint, stack, ecs)}.";
            notes.Add(Note(checkpoint, outcome.Value, $"{cid}:finished", text));
            checkpoint.Outcome = outcome.Value.ToString();
        }

        return new MonitorPlan(notes, Finished: true);
    }

    /// <summary>The group a resource type belongs to: its service, e.g. RDS for AWS::RDS::DBInstance, Custom for Custom::X.</summary>
    public static string GroupOf(string resourceType)
    {
        var parts = resourceType.Split(new[] { "::" }, StringSplitOptions.None);
        return parts.Length >= 2 && parts[0] == "AWS" ? parts[1] : parts[0];
    }

    private static NotificationKind? Outcome(StackProgress stack, EcsRolloutObservation? ecs, MonitorSettings settings)
    {
        switch (stack.Kind)
        {
            case StackStatusKind.Succeeded when settings.FollowsEcsService:
                return ecs?.RolloutState switch
                {
                    "COMPLETED" => NotificationKind.Completed,
                    "FAILED" => NotificationKind.Failed,
                    _ => null,
                };
            case StackStatusKind.Succeeded:
            case StackStatusKind.Deleted:
                return NotificationKind.Completed;
            default:
                return NotificationKind.Failed;
        }
    }

    private static void Apply(MonitorCheckpoint checkpoint, StackProgressEvent e, List<OutboxEntry> notes, MonitorSettings settings)
    {
        checkpoint.SeenEventIds.Add(e.EventId);
        if (checkpoint.SeenEventIds.Count > MonitorCheckpoint.SeenEventLimit)
        {
            checkpoint.SeenEventIds.RemoveRange(0, checkpoint.SeenEventIds.Count - MonitorCheckpoint.SeenEventLimit);
        }

        checkpoint.LastEventId = e.EventId;
        checkpoint.LastEventAt = e.Timestamp;
        checkpoint.LastEvent = $"{e.LogicalResourceId} {e.ResourceType} {e.ResourceStatus} at {Clock(e.Timestamp)} UTC";
        if (e.ResourceStatus.EndsWith("_FAILED", StringComparison.Ordinal) && !StackStatusKinds.IsCascade(e.ResourceStatusReason)
            && (checkpoint.FirstFailure is null || e.Timestamp < checkpoint.FirstFailure.At))
        {
            checkpoint.FirstFailure = new FailureRecord
            {
                LogicalResourceId = e.LogicalResourceId,
                ResourceType = e.ResourceType,
                Status = e.ResourceStatus,
                Reason = e.ResourceStatusReason,
                At = e.Timestamp,
            };
        }

        if (e.IsStackEvent)
        {
            checkpoint.StackStatus = e.ResourceStatus;
            return;
        }

        if (!checkpoint.Resources.TryGetValue(e.LogicalResourceId, out var resource))
        {
            resource = new ResourceProgress { Type = e.ResourceType };
            checkpoint.Resources[e.LogicalResourceId] = resource;
        }

        resource.Status = e.ResourceStatus;
        if (e.ResourceStatus.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
        {
            resource.StartedAt ??= e.Timestamp;
            resource.DoneAt = null;
        }
        else if (StackStatusKinds.IsResourceDone(e.ResourceStatus))
        {
            resource.DoneAt = e.Timestamp;
            if (settings.ProgressPerResourceGroup)
            {
                GroupProgress(checkpoint, GroupOf(resource.Type), e.Timestamp, notes);
            }
        }
    }

    private static void GroupProgress(MonitorCheckpoint checkpoint, string group, DateTimeOffset at, List<OutboxEntry> notes)
    {
        var members = checkpoint.Resources.Where(r => GroupOf(r.Value.Type) == group).ToList();
        var done = members.Count(r => r.Value.DoneAt is not null);
        if (done < members.Count || (checkpoint.GroupsNotified.TryGetValue(group, out var notified) && notified >= done))
        {
            return;
        }

        checkpoint.GroupsNotified[group] = done;
        notes.Add(Note(checkpoint, NotificationKind.Progress, $"{checkpoint.CorrelationId}:group:{group}:{done.ToString(CultureInfo.InvariantCulture)}",
            $"{checkpoint.StackName}: every {group} resource is done ({done} of {done}, at {Clock(at)} UTC); {Counts(checkpoint)}."));
    }

    private static string ProgressText(MonitorCheckpoint checkpoint, DateTimeOffset at, EcsRolloutObservation? ecs) =>
        $"{checkpoint.StackName}: {checkpoint.StackStatus ?? "in progress"} for {Minutes(at - checkpoint.DeploymentStartedAt)} min (as of {Clock(at)} UTC); "
        + Counts(checkpoint) + "." + InProgressText(checkpoint, at) + (ecs is null ? "" : $" ECS {ecs}.");

    private static string Counts(MonitorCheckpoint checkpoint) =>
        checkpoint.Resources.Count == 0
            ? "no resource events yet"
            : $"{checkpoint.Resources.Count(r => r.Value.DoneAt is not null)} of {checkpoint.Resources.Count} resources done";

    private static string InProgressText(MonitorCheckpoint checkpoint, DateTimeOffset at)
    {
        var running = checkpoint.Resources.Where(r => r.Value.DoneAt is null && r.Value.StartedAt is not null)
            .OrderBy(r => r.Value.StartedAt).Take(3)
            .Select(r => $"{r.Key} ({r.Value.Type}, {Minutes(at - r.Value.StartedAt!.Value)} min)").ToList();
        return running.Count == 0 ? "" : " In progress: " + string.Join(", ", running) + ".";
    }

    private static string FirstFailureText(MonitorCheckpoint checkpoint, StackProgress stack, EcsRolloutObservation? ecs) =>
        checkpoint.FirstFailure?.ToString()
        ?? (ecs is { RolloutState: "FAILED" } ? $"ECS {ecs}: {ecs.Reason ?? "no reason given"}" : null)
        ?? stack.StatusReason
        ?? "no failure event was read";

    private static OutboxEntry Note(MonitorCheckpoint checkpoint, NotificationKind kind, string key, string text) => new()
    {
        Key = key,
        Kind = kind,
        Text = text,
        CorrelationId = checkpoint.CorrelationId,
        StackName = checkpoint.StackName,
    };

    private static string Minutes(TimeSpan span) => Math.Max(0, span.TotalMinutes).ToString("0", CultureInfo.InvariantCulture);

    private static string Clock(DateTimeOffset time) => time.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
