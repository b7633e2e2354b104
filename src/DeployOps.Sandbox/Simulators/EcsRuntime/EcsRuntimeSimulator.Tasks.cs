using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using DeployOps.Sandbox.Http;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.EcsRuntime;

/// <summary>
/// The task lifecycle: PROVISIONING, PENDING, RUNNING, then DEACTIVATING (targets drain), STOPPING, STOPPED; the
/// application's listener, its log lines, and the task's targets.
/// </summary>
public sealed partial class EcsRuntimeSimulator
{
    // ---------------------------------------------------------------- tasks

    /// <summary>A new task of <paramref name="deployment"/>, or null when none of the service's subnets has a free IP address for its interface.</summary>
    private WorldTask? LaunchTask(WorldService service, WorldDeployment deployment, double now)
    {
        var snapshot = World.Configuration.Snapshot(service.Region);
        if (SubnetForNewTask(service, snapshot) is not { } subnetId)
        {
            return null;
        }

        var task = new WorldTask(service.Region, WorldContext.AccountId, service.ClusterName, service, deployment, DateTimeOffset.UtcNow);
        task.SubnetId = subnetId;
        task.AvailabilityZone = snapshot.Subnets.GetValueOrDefault(subnetId)?.AvailabilityZone ?? service.Region + "a";
        task.Profile = ProfileFor(task);
        (task.IpAddress, task.ListenPort) = World.Addresses.Allocate(task.Profile?.Port ?? 8000, new NetworkPlacement(service.SecurityGroups, subnetId));
        task.NextStepAt = now + _timings.ProvisioningSeconds;
        _tasks[task.Arn] = task;
        service.Unsettled = true;
        return task;
    }

    /// <summary>The profile of the task's essential container that serves traffic (the first with a port, else the first).</summary>
    private AppProfile? ProfileFor(WorldTask task)
    {
        var container = task.TaskDefinition.Containers.FirstOrDefault(c => c.Essential && c.ContainerPorts.Count > 0) ?? task.TaskDefinition.Containers.FirstOrDefault();
        return container is null ? null : _applications.GetValueOrDefault(container.Image);
    }

    private void StepTasks(double now)
    {
        foreach (var task in _tasks.Values.ToList())
        {
            switch (task.Phase)
            {
                case TaskPhase.Provisioning when now >= task.NextStepAt:
                    task.Phase = TaskPhase.Pending;
                    task.PullStartedAt = DateTimeOffset.UtcNow;
                    task.NextStepAt = now + _timings.PullSeconds;
                    break;
                case TaskPhase.Pending when now >= task.NextStepAt:
                    StartContainers(task, now);
                    break;
                case TaskPhase.Running:
                    StepRunning(task, now);
                    break;
                case TaskPhase.Deactivating when now >= task.NextStepAt:
                    task.Phase = TaskPhase.Stopping;
                    task.NextStepAt = now + _timings.StopSeconds;
                    ExitContainers(task, exitCode: 0, reason: null);
                    Effect(() => StopListenerAsync(task));
                    break;
                case TaskPhase.Stopping when now >= task.NextStepAt:
                    task.Phase = TaskPhase.Stopped;
                    task.StoppedAt = DateTimeOffset.UtcNow;
                    task.StoppedAtWorld = now;
                    World.Addresses.Release(task.IpAddress, task.ListenPort);
                    break;
                case TaskPhase.Stopped when now - task.StoppedAtWorld > _timings.StoppedRetentionSeconds:
                    _tasks.Remove(task.Arn);
                    break;
            }
        }
    }

    private void StartContainers(WorldTask task, double now)
    {
        task.PullStoppedAt = DateTimeOffset.UtcNow;
        var snapshot = World.Configuration.Snapshot(task.Region);
        if (EgressFailure(task, snapshot) is { } unreachable)
        {
            if (unreachable.Container is { } pulling)
            {
                pulling.Reason = unreachable.Reason;
            }

            FailToStart(task, now, unreachable.Reason);
            return;
        }

        if (MissingSecret(task, snapshot) is { } missing)
        {
            FailToStart(task, now, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: " +
                $"unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret {missing} from secrets manager: " +
                "ResourceNotFoundException: Secrets Manager can't find the specified secret.");
            return;
        }

        foreach (var container in task.Containers)
        {
            var profile = _applications.GetValueOrDefault(container.Spec.Image);
            if (profile is null || profile.Failure.Kind == AppFailureKind.ImagePull)
            {
                var reference = ImageReference(container.Spec.Image);
                var reason = $"CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref {reference}: {reference}: not found";
                container.Reason = reason;
                FailToStart(task, now, reason);
                return;
            }

            if (container.Spec.LogGroup is { } group && snapshot.LogGroups.Count > 0 && !snapshot.LogGroups.Contains(group))
            {
                FailToStart(task, now, "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: " +
                    "failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1");
                return;
            }
        }

        task.Phase = TaskPhase.Running;
        task.StartedAt = DateTimeOffset.UtcNow;
        task.StartedAtWorld = now;
        foreach (var container in task.Containers)
        {
            container.LastStatus = "RUNNING";
            container.RuntimeId = task.Id + "-" + Math.Abs(container.Spec.Name.GetHashCode(StringComparison.Ordinal)).ToString(CultureInfo.InvariantCulture);
        }

        if (task.Profile is { } application)
        {
            var behaviour = new AppBehaviour(application, task.Id);
            foreach (var line in application.StartupLogs)
            {
                WriteLog(task, behaviour.Expand(line), DateTimeOffset.UtcNow);
            }

            PlanApplication(task, application, now);
        }

        RegisterTargets(task, startHealthy: false);
    }

    /// <summary>How the container runtime names an image: its registry when it has one (an ECR URI), else Docker Hub's.</summary>
    private static string ImageReference(string image)
    {
        var firstSegment = image.Split('/')[0];
        if (image.Contains('/') && (firstSegment.Contains('.') || firstSegment.Contains(':')))
        {
            return image;
        }

        return "docker.io/" + (image.Contains('/') ? image : "library/" + image);
    }

    /// <summary>The first Secrets Manager secret a container of the task names that does not exist (SSM parameters are not checked).</summary>
    private static string? MissingSecret(WorldTask task, ConfigSnapshot snapshot) =>
        task.Containers.SelectMany(c => c.Spec.Secrets.Values)
            .FirstOrDefault(valueFrom => valueFrom.StartsWith("arn:aws:secretsmanager:", StringComparison.Ordinal) && !snapshot.SecretExists(valueFrom));

    /// <summary>Decides from the profile and the task definition whether and when the app listens or dies.</summary>
    private static void PlanApplication(WorldTask task, AppProfile profile, double now)
    {
        var container = task.TaskDefinition.Containers.FirstOrDefault(c => c.Image == profile.Image);
        var missing = profile.RequiredEnvironment.Where(r => container is not null && !container.VariableNames.Contains(r.Key)).ToList();
        if (missing.Count > 0)
        {
            task.FailsAt = now + profile.Failure.AfterSeconds;
            task.PendingExit = (1, null, missing[0].Value);
            return;
        }

        switch (profile.Failure.Kind)
        {
            case AppFailureKind.Crash:
                task.FailsAt = now + profile.Failure.AfterSeconds;
                task.PendingExit = (profile.Failure.ExitCode, null, profile.Failure.Logs);
                break;
            case AppFailureKind.OutOfMemory:
                task.FailsAt = now + profile.Failure.AfterSeconds;
                task.PendingExit = (137, "OutOfMemoryError: Container killed due to memory usage", profile.Failure.Logs);
                break;
        }

        task.ListensAt = task.FailsAt is { } failsAt && failsAt <= now + profile.StartupDelaySeconds ? null : now + profile.StartupDelaySeconds;
    }

    private void StepRunning(WorldTask task, double now)
    {
        if (task.ListensAt is { } listensAt && now >= listensAt && task.DesiredStatus == "RUNNING")
        {
            task.ListensAt = null;
            StartListener(task);
        }

        if (task.FailsAt is { } failsAt && now >= failsAt && task.PendingExit is { } exit)
        {
            task.FailsAt = null;
            var behaviour = new AppBehaviour(task.Profile!, task.Id);
            foreach (var line in exit.Logs)
            {
                WriteLog(task, behaviour.Expand(line), DateTimeOffset.UtcNow);
            }

            ExitContainers(task, exit.ExitCode, exit.Reason);
            PublishExit(task, exit);
            BeginStop(task, now, "EssentialContainerExited", "Essential container in task exited", failed: exit.ExitCode != 0, graceful: false);
            Effect(() => StopListenerAsync(task));
        }
    }

    private static void ExitContainers(WorldTask task, int exitCode, string? reason)
    {
        foreach (var container in task.Containers.Where(c => c.LastStatus == "RUNNING"))
        {
            container.LastStatus = "STOPPED";
            container.ExitCode = exitCode;
            container.Reason ??= reason;
        }
    }

    private void FailToStart(WorldTask task, double now, string reason)
    {
        foreach (var container in task.Containers)
        {
            container.LastStatus = "STOPPED";
        }

        BeginStop(task, now, "TaskFailedToStart", reason, failed: true, graceful: false);
    }

    /// <summary>Stops a task: targets drain first for a graceful stop, then the app gets SIGTERM and the task is STOPPED.</summary>
    private void BeginStop(WorldTask task, double now, string stopCode, string reason, bool failed, bool graceful = true)
    {
        if (task.DesiredStatus == "STOPPED")
        {
            return;
        }

        task.DesiredStatus = "STOPPED";
        task.StopCode = stopCode;
        task.StoppedReason = reason;
        task.StoppingAt = DateTimeOffset.UtcNow;
        var service = task.Service;
        if (failed)
        {
            task.Deployment.FailedTasks++;
            service.ConsecutiveFailures++;
            if (service.ConsecutiveFailures >= 3)
            {
                service.LaunchBlockedUntil = now + Math.Min(900, 15 * Math.Pow(2, service.ConsecutiveFailures - 3));
                if (!service.ThrottleAnnounced && task.Deployment.RolloutState != "IN_PROGRESS")
                {
                    service.ThrottleAnnounced = true;
                    service.AddEvent("is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.", DateTimeOffset.UtcNow);
                }
            }
        }

        var drainSeconds = DeregisterTargets(task, graceful);
        if (graceful && task.Phase == TaskPhase.Running)
        {
            task.Phase = TaskPhase.Deactivating;
            task.NextStepAt = now + drainSeconds;
        }
        else
        {
            task.Phase = TaskPhase.Stopping;
            task.NextStepAt = now + _timings.StopSeconds;
        }

        service.Unsettled = true;
    }

    private void WriteLog(WorldTask task, string message, DateTimeOffset at)
    {
        var container = task.TaskDefinition.Containers.FirstOrDefault(c => c.Image == task.Profile?.Image) ?? task.TaskDefinition.Containers.FirstOrDefault();
        if (container?.LogGroup is { } group)
        {
            var stream = $"{container.LogStreamPrefix ?? "ecs"}/{container.Name}/{task.Id}";
            _logs.Write(container.LogRegion ?? task.Region, group, stream, message, at);
        }
    }

    // ---------------------------------------------------------------- the application's listener

    private void StartListener(WorldTask task)
    {
        var profile = task.Profile!;
        var behaviour = new AppBehaviour(profile, task.Id, World.Clock);
        try
        {
            task.Listener = MiniHttpServer.Start(new IPEndPoint(IPAddress.Parse(task.IpAddress), task.ListenPort), behaviour.HandleAsync);
            if (profile.ListeningLog.Length > 0)
            {
                // An empty listening line is a startup that never says it completed (runbook 003's partial startup).
                WriteLog(task, behaviour.Expand(profile.ListeningLog), DateTimeOffset.UtcNow);
            }
        }
        catch (SocketException)
        {
            WriteLog(task, $"[ERROR] Connection in use: ('0.0.0.0', {task.ListenPort})", DateTimeOffset.UtcNow);
            task.FailsAt = World.Clock.Now;
            task.PendingExit = (1, null, [$"Port {task.ListenPort} already in use"]);
        }
    }

    private static async Task StopListenerAsync(WorldTask task)
    {
        var listener = task.Listener;
        task.Listener = null;
        if (listener is not null)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    // ---------------------------------------------------------------- the task's targets

    /// <summary>Registers a RUNNING task in the target groups its service maps, when the mapping matches a container port.</summary>
    private void RegisterTargets(WorldTask task, bool startHealthy)
    {
        foreach (var mapping in task.Service.LoadBalancers)
        {
            var container = task.TaskDefinition.Containers.FirstOrDefault(c => c.Name == mapping.ContainerName && c.ContainerPorts.Contains(mapping.ContainerPort));
            if (container is null)
            {
                // ECS registers nothing when the service's container name or port matches no container port.
                continue;
            }

            var port = World.Addresses.SharesOneAddress ? task.ListenPort : mapping.ContainerPort;
            _targets.RegisterTaskTarget(task.Region, mapping.TargetGroupArn, task.IpAddress, port, task.AvailabilityZone, startHealthy);
            task.Registrations.Add((mapping.TargetGroupArn, port));
            if (!startHealthy)
            {
                task.Service.AddEvent($"registered 1 targets in (target-group {mapping.TargetGroupArn})", DateTimeOffset.UtcNow);
            }
        }
    }

    /// <summary>Starts draining the task's targets; returns the longest deregistration delay (world seconds).</summary>
    private int DeregisterTargets(WorldTask task, bool graceful)
    {
        var longest = 0;
        foreach (var (arn, port) in task.Registrations)
        {
            longest = Math.Max(longest, _targets.DeregisterTaskTarget(task.Region, arn, task.IpAddress, port));
            task.Service.AddEvent($"deregistered 1 targets in (target-group {arn})", DateTimeOffset.UtcNow);
        }

        if (graceful && task.Registrations.Count > 0 && task.Phase == TaskPhase.Running)
        {
            task.Service.AddEvent("has begun draining connections on 1 tasks.", DateTimeOffset.UtcNow);
        }

        task.Registrations.Clear();
        return longest;
    }
}
