using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace DeployOps.Sandbox.Simulators.EcsRuntime;

/// <summary>
/// What the world keeps for an ECS service beyond moto's configuration: deployments, events,
/// the deployment configuration moto drops, and the scheduler's own state.
/// </summary>
public sealed class WorldService
{
    private const int EventLimit = 100;
    private readonly List<ServiceEvent> _events = new();

    public WorldService(string arn, string name, string clusterName, string region)
    {
        Arn = arn;
        Name = name;
        ClusterName = clusterName;
        Region = region;
    }

    public string Arn { get; }

    public string Name { get; }

    public string ClusterName { get; }

    public string Region { get; }

    public int DesiredCount { get; set; }

    public string LaunchType { get; set; } = "FARGATE";

    public IReadOnlyList<LoadBalancerMapping> LoadBalancers { get; set; } = [];

    public IReadOnlyList<string> Subnets { get; set; } = [];

    public IReadOnlyList<string> SecurityGroups { get; set; } = [];

    /// <summary>awsvpcConfiguration.assignPublicIp ENABLED: the tasks' interfaces get public IPs (needed to use an internet gateway).</summary>
    public bool AssignPublicIp { get; set; }

    public int MinimumHealthyPercent { get; set; } = 100;

    public int MaximumPercent { get; set; } = 200;

    public bool CircuitBreakerEnabled { get; set; }

    public bool CircuitBreakerRollback { get; set; }

    public int HealthCheckGracePeriodSeconds { get; set; }

    public bool Deleted { get; set; }

    /// <summary>Deployments, PRIMARY first.</summary>
    public List<WorldDeployment> Deployments { get; } = new();

    public WorldDeployment Primary => Deployments[0];

    /// <summary>Every deployment ever started for the service (PRIMARY ones included): what a test counts to prove no change was applied twice.</summary>
    public int DeploymentsStarted { get; set; }

    /// <summary>The last deployment that reached COMPLETED: what the circuit breaker rolls back to.</summary>
    public WorldDeployment? LastCompleted { get; set; }

    public IReadOnlyList<ServiceEvent> Events => _events;

    /// <summary>World time before which the scheduler launches no task (ECS's launch throttling).</summary>
    public double LaunchBlockedUntil { get; set; }

    public int ConsecutiveFailures { get; set; }

    public bool ThrottleAnnounced { get; set; }

    /// <summary>True after the scheduler started or stopped tasks, until it reports a steady state again.</summary>
    public bool Unsettled { get; set; }

    public double NextScheduleAt { get; set; }

    /// <summary>The circuit breaker's threshold: half the desired count, at least 3 and at most 200.</summary>
    public int FailureThreshold => Math.Clamp((int)Math.Ceiling(0.5 * DesiredCount), 3, 200);

    public void AddEvent(string message, DateTimeOffset at)
    {
        _events.Insert(0, new ServiceEvent(Guid.NewGuid().ToString(), at, $"(service {Name}) {message}"));
        if (_events.Count > EventLimit)
        {
            _events.RemoveAt(_events.Count - 1);
        }
    }

    /// <summary>Lays the world's view over moto's service JSON: counts, deployments, events, configuration.</summary>
    public void Overlay(JsonObject service, IReadOnlyCollection<WorldTask> tasks)
    {
        var alive = tasks.Where(t => t.DesiredStatus == "RUNNING").ToList();
        service["desiredCount"] = DesiredCount;
        service["runningCount"] = alive.Count(t => t.Phase == TaskPhase.Running);
        service["pendingCount"] = alive.Count(t => t.Phase is TaskPhase.Provisioning or TaskPhase.Pending);
        service["taskDefinition"] = Primary.TaskDefinition.Arn;
        service["healthCheckGracePeriodSeconds"] = HealthCheckGracePeriodSeconds;
        service["deploymentConfiguration"] = new JsonObject
        {
            ["deploymentCircuitBreaker"] = new JsonObject { ["enable"] = CircuitBreakerEnabled, ["rollback"] = CircuitBreakerRollback },
            ["maximumPercent"] = MaximumPercent,
            ["minimumHealthyPercent"] = MinimumHealthyPercent,
        };
        var network = service["networkConfiguration"]?.DeepClone();
        service["deployments"] = new JsonArray(Deployments.Select(d =>
        {
            var mine = tasks.Where(t => t.Deployment == d && t.DesiredStatus == "RUNNING").ToList();
            var json = new JsonObject
            {
                ["id"] = d.Id,
                ["status"] = d.Status,
                ["taskDefinition"] = d.TaskDefinition.Arn,
                ["desiredCount"] = d.Status == "PRIMARY" ? DesiredCount : mine.Count,
                ["pendingCount"] = mine.Count(t => t.Phase is TaskPhase.Provisioning or TaskPhase.Pending),
                ["runningCount"] = mine.Count(t => t.Phase == TaskPhase.Running),
                ["failedTasks"] = d.FailedTasks,
                ["createdAt"] = WorldTask.Epoch(d.CreatedAt),
                ["updatedAt"] = WorldTask.Epoch(d.UpdatedAt),
                ["launchType"] = LaunchType,
                ["platformVersion"] = "1.4.0",
                ["platformFamily"] = "Linux",
                ["rolloutState"] = d.RolloutState,
                ["rolloutStateReason"] = d.RolloutStateReason,
            };
            if (network is not null)
            {
                json["networkConfiguration"] = network.DeepClone();
            }

            return (JsonNode)json;
        }).ToArray());
        service["events"] = new JsonArray(_events.Select(e => (JsonNode)new JsonObject
        {
            ["id"] = e.Id,
            ["createdAt"] = WorldTask.Epoch(e.CreatedAt),
            ["message"] = e.Message,
        }).ToArray());
    }
}
