using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace DeployOps.Sandbox.Simulators.EcsRuntime;

/// <summary>The service scheduler: deployments, rolling updates, replacing unhealthy tasks, the circuit breaker.</summary>
public sealed partial class EcsRuntimeSimulator
{
    private enum TaskHealth
    {
        Starting,
        Healthy,
        Unhealthy,
    }

    /// <summary>How long ECS waits before it counts a RUNNING task without health checks as healthy.</summary>
    private const double UnmonitoredHealthySeconds = 40;

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
        Effect(() => World.Moto.EcsAsync("UpdateService", new JsonObject { ["cluster"] = cluster, ["service"] = name, ["taskDefinition"] = arn }, region, World.Stopping));
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

        var states = _targets.StatesOf(task.IpAddress, task.Registrations);
        if (states.All(s => s == "healthy"))
        {
            return TaskHealth.Healthy;
        }

        var inGrace = task.StartedAtWorld is { } started && now - started < service.HealthCheckGracePeriodSeconds;
        return !inGrace && states.Contains("unhealthy") ? TaskHealth.Unhealthy : TaskHealth.Starting;
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
                    if (LaunchTask(service, primary, now) is not { } task)
                    {
                        ReportNoFreeAddresses(service);
                        break;
                    }

                    started.Add(task);
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

    /// <summary>The target group the task failed health checks in (the first of its groups that reports it unhealthy).</summary>
    private string UnhealthyGroup(WorldTask task)
    {
        var states = _targets.StatesOf(task.IpAddress, task.Registrations);
        return task.Registrations.Where((_, i) => states[i] == "unhealthy").Select(r => r.TargetGroupArn).FirstOrDefault()
            ?? task.Registrations.FirstOrDefault().TargetGroupArn ?? "";
    }

    private void StopForHealth(WorldTask task, double now) =>
        BeginStop(task, now, "ServiceSchedulerInitiated", $"Task failed ELB health checks in (target-group {UnhealthyGroup(task)})", failed: true);
}
