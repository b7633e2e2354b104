using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Sandbox.Http;
using DeployOps.Sandbox.Scenarios;

namespace DeployOps.Sandbox.World;

/// <summary>The world's ECS: the task lifecycle and the service scheduler (rolling updates, circuit breaker).</summary>
public sealed partial class SandboxWorld
{
    private enum TaskHealth
    {
        Starting,
        Healthy,
        Unhealthy,
    }

    /// <summary>How long ECS waits before it counts a RUNNING task without health checks as healthy.</summary>
    private const double UnmonitoredHealthySeconds = 40;

    private IEnumerable<WorldTask> TasksOf(WorldService service) => _tasks.Values.Where(t => t.Service == service);

    // ---------------------------------------------------------------- deployments

    private static string NewDeploymentId() =>
        "ecs-svc/" + string.Concat(Enumerable.Range(0, 19).Select(i => (char)('0' + Random.Shared.Next(i == 0 ? 1 : 0, 10))));

    /// <summary>Makes a new PRIMARY deployment; the previous ones become ACTIVE and drain as it rolls out.</summary>
    private WorldDeployment StartDeployment(WorldService service, TaskDefinitionSpec taskDefinition, string? reason = null, DateTimeOffset? createdAt = null)
    {
        var deployment = new WorldDeployment(NewDeploymentId(), taskDefinition, createdAt ?? DateTimeOffset.UtcNow);
        deployment.RolloutStateReason = reason ?? $"ECS deployment {deployment.Id} in progress.";
        foreach (var older in service.Deployments)
        {
            older.Status = "ACTIVE";
            older.UpdatedAt = deployment.CreatedAt;
        }

        service.Deployments.Insert(0, deployment);
        service.DeploymentsStarted++;
        service.Unsettled = true;
        service.NextScheduleAt = 0;
        service.LaunchBlockedUntil = 0;
        service.ConsecutiveFailures = 0;
        service.ThrottleAnnounced = false;
        return deployment;
    }

    private static void CompleteDeployment(WorldService service, WorldDeployment deployment, DateTimeOffset at)
    {
        deployment.RolloutState = "COMPLETED";
        deployment.RolloutStateReason = $"ECS deployment {deployment.Id} completed.";
        deployment.UpdatedAt = at;
        service.LastCompleted = deployment;
        service.AddEvent($"(deployment {deployment.Id}) deployment completed.", deployment.UpdatedAt);
    }

    /// <summary>The circuit breaker tripped: FAILED, and with rollback a new deployment of the last COMPLETED task definition.</summary>
    private void FailDeployment(WorldService service, WorldDeployment deployment)
    {
        var at = DateTimeOffset.UtcNow;
        deployment.RolloutState = "FAILED";
        deployment.RolloutStateReason = "ECS deployment circuit breaker: tasks failed to start.";
        deployment.UpdatedAt = at;
        service.AddEvent($"deployment {deployment.Id} deployment failed: tasks failed to start.", at);
        var target = service.LastCompleted;
        if (!service.CircuitBreakerRollback || target is null)
        {
            return;
        }

        service.AddEvent($"rolling back to deployment {target.Id}.", at);
        StartDeployment(service, target.TaskDefinition, $"ECS deployment circuit breaker: rolling back to deploymentId {target.Id}.");
        var (region, cluster, name, arn) = (service.Region, service.ClusterName, service.Name, target.TaskDefinition.Arn);
        Effect(() => _moto.EcsAsync("UpdateService", new JsonObject { ["cluster"] = cluster, ["service"] = name, ["taskDefinition"] = arn }, region, _stop.Token));
    }

    // ---------------------------------------------------------------- the scheduler

    private TaskHealth HealthOf(WorldTask task, WorldService service, double now)
    {
        if (task.Phase != TaskPhase.Running)
        {
            return TaskHealth.Starting;
        }

        if (task.Registrations.Count == 0)
        {
            // Without load balancer targets (or container health checks) ECS counts a task as healthy
            // once it has been RUNNING for 40 seconds.
            return now - task.StartedAtWorld >= UnmonitoredHealthySeconds ? TaskHealth.Healthy : TaskHealth.Starting;
        }

        var entries = task.Registrations.Select(r => _targets.Find(r.TargetGroupArn, task.IpAddress, r.Port)).ToList();
        if (entries.Count > 0 && entries.All(e => e is { IsHealthy: true }))
        {
            return TaskHealth.Healthy;
        }

        var inGrace = task.StartedAtWorld is { } started && now - started < service.HealthCheckGracePeriodSeconds;
        return !inGrace && entries.Any(e => e is { State: "unhealthy" }) ? TaskHealth.Unhealthy : TaskHealth.Starting;
    }

    /// <summary>One look at a service, as ECS's service scheduler takes every few seconds.</summary>
    private void Schedule(WorldService service, double now)
    {
        var alive = TasksOf(service).Where(t => t.IsAlive).ToList();
        if (service.Deleted)
        {
            foreach (var task in alive)
            {
                BeginStop(task, now, "ServiceSchedulerInitiated", "Service deleted", failed: false);
            }

            return;
        }

        var health = alive.ToDictionary(t => t, t => HealthOf(t, service, now));
        foreach (var (task, state) in health)
        {
            if (state == TaskHealth.Healthy && !task.HasBeenHealthy)
            {
                task.HasBeenHealthy = true;
                task.Deployment.FailedTasks = 0;
                service.ConsecutiveFailures = 0;
                service.ThrottleAnnounced = false;
            }
            else if (state == TaskHealth.Unhealthy && !task.ReportedUnhealthy)
            {
                task.ReportedUnhealthy = true;
                service.AddEvent($"(task {task.Id}) failed ELB health checks in (target-group {UnhealthyGroup(task)})", DateTimeOffset.UtcNow);
            }
        }

        var primary = service.Primary;
        if (primary.RolloutState == "IN_PROGRESS" && service.CircuitBreakerEnabled && primary.FailedTasks >= service.FailureThreshold)
        {
            FailDeployment(service, primary);
            primary = service.Primary;
        }

        var desired = service.DesiredCount;
        List<WorldTask> Primary(TaskHealth state) => alive.Where(t => t.Deployment == primary && health[t] == state).OrderBy(t => t.CreatedAt).ToList();
        var healthy = Primary(TaskHealth.Healthy);
        var starting = Primary(TaskHealth.Starting);
        var unhealthy = Primary(TaskHealth.Unhealthy);
        var maxTotal = Math.Max(desired, desired * service.MaximumPercent / 100);
        var aliveTotal = alive.Count;
        var started = new List<WorldTask>();

        // 1. Unhealthy tasks go once replacements are healthy; failed replacements beyond the desired count go at once.
        var unhealthyToStop = healthy.Count >= desired ? unhealthy.ToList() : unhealthy.Skip(desired).ToList();
        foreach (var task in unhealthyToStop)
        {
            StopForHealth(task, now);
            unhealthy.Remove(task);
            aliveTotal--;
        }

        // 2. Launch what the PRIMARY deployment lacks: replacements start before unhealthy tasks stop,
        //    unless maximumPercent leaves no room, in which case one unhealthy task makes way.
        var need = desired - healthy.Count - starting.Count;
        if (primary.RolloutState != "FAILED" && need > 0)
        {
            if (aliveTotal >= maxTotal && unhealthy.Count > 0)
            {
                StopForHealth(unhealthy[0], now);
                unhealthy.RemoveAt(0);
                aliveTotal--;
            }

            if (now >= service.LaunchBlockedUntil)
            {
                for (var i = 0; i < Math.Min(need, maxTotal - aliveTotal); i++)
                {
                    started.Add(LaunchTask(service, primary, now));
                }
            }
        }

        if (started.Count > 0)
        {
            service.AddEvent($"has started {started.Count} tasks: {string.Join(" ", started.Select(t => $"(task {t.Id})"))}.", DateTimeOffset.UtcNow);
        }

        // 3. More PRIMARY tasks than desired (scale-in): the newest go first.
        var excess = healthy.Count + starting.Count + started.Count - desired;
        foreach (var task in starting.Concat(healthy).OrderByDescending(t => t.CreatedAt).Take(Math.Max(0, excess)))
        {
            BeginStop(task, now, "ServiceSchedulerInitiated", $"Scaling activity initiated by (deployment {primary.Id})", failed: false);
        }

        // 4. Older deployments drain while enough healthy tasks remain (minimumHealthyPercent), unless the rollout failed without rollback.
        var minimumHealthy = (int)Math.Ceiling(desired * service.MinimumHealthyPercent / 100.0);
        var old = alive.Where(t => t.Deployment != primary).OrderBy(t => t.CreatedAt).ToList();
        var healthyTotal = healthy.Count + old.Count(t => health[t] == TaskHealth.Healthy);
        if (primary.RolloutState != "FAILED")
        {
            foreach (var task in old)
            {
                var isHealthy = health[task] == TaskHealth.Healthy;
                if (isHealthy && healthyTotal - 1 < minimumHealthy && healthy.Count < desired)
                {
                    continue;
                }

                BeginStop(task, now, "ServiceSchedulerInitiated", $"Scaling activity initiated by (deployment {primary.Id})", failed: false);
                if (isHealthy)
                {
                    healthyTotal--;
                }
            }
        }

        var stoppedNow = alive.Where(t => !t.IsAlive).ToList();
        if (stoppedNow.Count > 0)
        {
            service.AddEvent($"has stopped {stoppedNow.Count} running tasks: {string.Join(" ", stoppedNow.Select(t => $"(task {t.Id})"))}.", DateTimeOffset.UtcNow);
            service.Unsettled = true;
        }

        // 5. Deployments with nothing left running disappear; the PRIMARY completes when it alone runs the desired count, all healthy.
        service.Deployments.RemoveAll(d => d != primary && !TasksOf(service).Any(t => t.Deployment == d && t.Phase != TaskPhase.Stopped));
        var rolledOut = healthy.Count == desired && starting.Count == 0 && unhealthy.Count == 0 && started.Count == 0 && service.Deployments.Count == 1;
        if (primary.RolloutState == "IN_PROGRESS" && rolledOut)
        {
            CompleteDeployment(service, primary, DateTimeOffset.UtcNow);
        }

        if (primary.RolloutState == "COMPLETED" && rolledOut && service.Unsettled)
        {
            service.Unsettled = false;
            service.AddEvent("has reached a steady state.", DateTimeOffset.UtcNow);
        }
    }

    private string UnhealthyGroup(WorldTask task) =>
        task.Registrations.Select(r => r.TargetGroupArn)
            .FirstOrDefault(arn => _targets.Find(arn, task.IpAddress, task.Registrations.First(r => r.TargetGroupArn == arn).Port) is { State: "unhealthy" })
        ?? task.Registrations.FirstOrDefault().TargetGroupArn ?? "";

    private void StopForHealth(WorldTask task, double now) =>
        BeginStop(task, now, "ServiceSchedulerInitiated", $"Task failed ELB health checks in (target-group {UnhealthyGroup(task)})", failed: true);

    // ---------------------------------------------------------------- tasks

    private WorldTask LaunchTask(WorldService service, WorldDeployment deployment, double now)
    {
        var task = new WorldTask(service.Region, AccountId, service.ClusterName, service, deployment, DateTimeOffset.UtcNow);
        var snapshot = Snapshot(service.Region);
        var subnetId = service.Subnets.Count == 0 ? "" : service.Subnets[TasksOf(service).Count() % service.Subnets.Count];
        task.SubnetId = subnetId;
        task.AvailabilityZone = snapshot.Subnets.GetValueOrDefault(subnetId)?.AvailabilityZone ?? service.Region + "a";
        task.Profile = ProfileFor(task);
        (task.IpAddress, task.ListenPort) = _addresses.Allocate(task.Profile?.Port ?? 8000);
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
        var snapshot = Snapshot(task.Region);
        foreach (var container in task.Containers)
        {
            var profile = _applications.GetValueOrDefault(container.Spec.Image);
            if (profile is null || profile.Failure.Kind == AppFailureKind.ImagePull)
            {
                var reference = container.Spec.Image.Contains('/') ? container.Spec.Image : "library/" + container.Spec.Image;
                var reason = $"CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref docker.io/{reference}: docker.io/{reference}: not found";
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

        RegisterTargets(task, now, startHealthy: false);
    }

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

        var drainSeconds = DeregisterTargets(task, now, graceful);
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
        var behaviour = new AppBehaviour(profile, task.Id);
        try
        {
            task.Listener = MiniHttpServer.Start(new IPEndPoint(IPAddress.Parse(task.IpAddress), task.ListenPort), behaviour.HandleAsync);
            WriteLog(task, behaviour.Expand(profile.ListeningLog), DateTimeOffset.UtcNow);
        }
        catch (SocketException)
        {
            WriteLog(task, $"[ERROR] Connection in use: ('0.0.0.0', {task.ListenPort})", DateTimeOffset.UtcNow);
            task.FailsAt = Clock.Now;
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
}
