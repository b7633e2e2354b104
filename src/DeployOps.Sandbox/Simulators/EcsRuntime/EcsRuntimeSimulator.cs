using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.Simulators.Logs;
using DeployOps.Sandbox.Simulators.Metrics;
using DeployOps.Sandbox.Simulators.TargetHealth;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.EcsRuntime;

/// <summary>
/// ECS at run time, which moto does not do: tasks that start, serve and stop on the world clock, deployments that roll
/// out, fail under the circuit breaker and roll back, and the service events, overlaid on moto's answers in botocore's
/// shapes. moto keeps the configuration (clusters, services, task definitions). The runtime registers and deregisters
/// its tasks' targets with target health and reads their health from it, writes its tasks' log lines through the
/// logs simulator and their CPU and memory utilization through the metrics simulator; it calls them while holding its
/// own lock (never the other way round).
/// </summary>
public sealed partial class EcsRuntimeSimulator : Simulator
{
    private const string Service = "ecs";

    private readonly TargetHealthSimulator _targets;
    private readonly TaskLogsSimulator _logs;
    private readonly MetricsSimulator _metrics;
    private readonly Dictionary<string, WorldService> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorldTask> _tasks = new(StringComparer.Ordinal);

    // Task definitions never change once registered, so the cache needs no lock.
    private readonly ConcurrentDictionary<string, TaskDefinitionSpec> _taskDefinitions = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, AppProfile> _applications = new Dictionary<string, AppProfile>();
    private WorldTimings _timings = new();

    public EcsRuntimeSimulator(WorldContext world, TargetHealthSimulator targets, TaskLogsSimulator logs, MetricsSimulator metrics)
        : base(world)
    {
        _targets = targets;
        _logs = logs;
        _metrics = metrics;
    }

    private IEnumerable<WorldTask> TasksOf(WorldService service) => _tasks.Values.Where(t => t.Service == service);

    /// <summary>Advances every task, then lets the scheduler look at each service that is due.</summary>
    protected override void Step(double now)
    {
        StepTasks(now);
        PublishUtilization(now);
        foreach (var service in _services.Values.ToList())
        {
            if (now >= service.NextScheduleAt)
            {
                service.NextScheduleAt = now + _timings.SchedulerIntervalSeconds;
                Schedule(service, now);
            }
        }
    }

    /// <summary>Forgets every service, task and task definition, takes the applications and timings of the <paramref name="next"/> scenario, and closes the tasks' listeners as effects.</summary>
    protected override void Forget(ScenarioDefinition? next)
    {
        foreach (var task in _tasks.Values)
        {
            Effect(() => StopListenerAsync(task));
        }

        _tasks.Clear();
        _services.Clear();
        _taskDefinitions.Clear();
        _applications = next?.Applications ?? _applications;
        _timings = next?.Timings ?? _timings;
        _publishedMinute = -1;
    }

    /// <summary>Adds <c>services</c>: each service's counts, deployments and tasks.</summary>
    public override void DescribeState(JsonObject state)
    {
        lock (Gate)
        {
            state["services"] = new JsonArray(_services.Values.OrderBy(s => s.ClusterName).ThenBy(s => s.Name).Select(s => (JsonNode)new JsonObject
            {
                ["cluster"] = s.ClusterName,
                ["service"] = s.Name,
                ["serviceArn"] = s.Arn,
                ["region"] = s.Region,
                ["desiredCount"] = s.DesiredCount,
                ["runningCount"] = TasksOf(s).Count(t => t.DesiredStatus == "RUNNING" && t.Phase == TaskPhase.Running),
                ["deploymentsStarted"] = s.DeploymentsStarted,
                ["deployments"] = new JsonArray(s.Deployments.Select(d => (JsonNode)new JsonObject
                {
                    ["id"] = d.Id,
                    ["status"] = d.Status,
                    ["taskDefinition"] = d.TaskDefinition.Arn,
                    ["rolloutState"] = d.RolloutState,
                    ["failedTasks"] = d.FailedTasks,
                }).ToArray()),
                ["tasks"] = new JsonArray(TasksOf(s).OrderBy(t => t.CreatedAt).Select(t => (JsonNode)new JsonObject
                {
                    ["taskId"] = t.Id,
                    ["deploymentId"] = t.Deployment.Id,
                    ["lastStatus"] = t.LastStatus,
                    ["desiredStatus"] = t.DesiredStatus,
                    ["address"] = $"{t.IpAddress}:{t.ListenPort}",
                    ["listening"] = t.Listener is not null,
                    ["stoppedReason"] = t.StoppedReason,
                }).ToArray()),
            }).ToArray());
        }
    }
}
