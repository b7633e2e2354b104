using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using DeployOps.Sandbox.Http;
using DeployOps.Sandbox.Scenarios;

namespace DeployOps.Sandbox.Simulators.EcsRuntime;

/// <summary>
/// A task the world runs for a service: its lifecycle (PROVISIONING, PENDING, RUNNING, then
/// DEACTIVATING, STOPPING, STOPPED), its containers, its loopback address and, while its
/// application listens, a real HTTP listener.
/// </summary>
public sealed class WorldTask
{
    public WorldTask(string region, string accountId, string clusterName, WorldService service, WorldDeployment deployment, DateTimeOffset createdAt)
    {
        Id = Guid.NewGuid().ToString("N");
        Region = region;
        ClusterName = clusterName;
        Arn = $"arn:aws:ecs:{region}:{accountId}:task/{clusterName}/{Id}";
        ClusterArn = $"arn:aws:ecs:{region}:{accountId}:cluster/{clusterName}";
        Service = service;
        Deployment = deployment;
        CreatedAt = createdAt;
        Containers = deployment.TaskDefinition.Containers.Select(c => new WorldContainer(c, Arn)).ToList();
        EniId = "eni-" + Guid.NewGuid().ToString("N")[..17];
    }

    public string Id { get; }

    public string Arn { get; }

    public string Region { get; }

    public string ClusterName { get; }

    public string ClusterArn { get; }

    public WorldService Service { get; }

    public WorldDeployment Deployment { get; }

    public TaskDefinitionSpec TaskDefinition => Deployment.TaskDefinition;

    public IReadOnlyList<WorldContainer> Containers { get; }

    public string EniId { get; }

    public TaskPhase Phase { get; set; } = TaskPhase.Provisioning;

    public string DesiredStatus { get; set; } = "RUNNING";

    /// <summary>World time at which the current phase's next step happens.</summary>
    public double NextStepAt { get; set; }

    // Network placement.
    public string IpAddress { get; set; } = "";

    public int ListenPort { get; set; }

    public string SubnetId { get; set; } = "";

    public string AvailabilityZone { get; set; } = "";

    // The application.
    public AppProfile? Profile { get; set; }

    public MiniHttpServer? Listener { get; set; }

    /// <summary>World time at which the application starts listening (null once it listens or if it never will).</summary>
    public double? ListensAt { get; set; }

    /// <summary>World time at which the application fails (crash or out of memory), if it will.</summary>
    public double? FailsAt { get; set; }

    /// <summary>The container exit the failure produces.</summary>
    public (int ExitCode, string? Reason, IReadOnlyList<string> Logs)? PendingExit { get; set; }

    public double? StartedAtWorld { get; set; }

    /// <summary>Targets the world registered for this task: (target group ARN, port).</summary>
    public List<(string TargetGroupArn, int Port)> Registrations { get; } = new();

    public bool HasBeenHealthy { get; set; }

    public bool ReportedUnhealthy { get; set; }

    // What the API reports.
    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset? PullStartedAt { get; set; }

    public DateTimeOffset? PullStoppedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? StoppingAt { get; set; }

    public DateTimeOffset? StoppedAt { get; set; }

    public double? StoppedAtWorld { get; set; }

    public string? StopCode { get; set; }

    public string? StoppedReason { get; set; }

    public bool IsAlive => DesiredStatus == "RUNNING" && Phase is TaskPhase.Provisioning or TaskPhase.Pending or TaskPhase.Running;

    public string LastStatus => Phase switch
    {
        TaskPhase.Provisioning => "PROVISIONING",
        TaskPhase.Pending => "PENDING",
        TaskPhase.Running => "RUNNING",
        TaskPhase.Deactivating => "DEACTIVATING",
        TaskPhase.Stopping => "STOPPING",
        _ => "STOPPED",
    };

    public string StartedBy => Deployment.Id;

    public string Group => "service:" + Service.Name;

    /// <summary>The task in the shape of botocore's ECS <c>Task</c>.</summary>
    public JsonObject ToJson()
    {
        var task = new JsonObject
        {
            ["taskArn"] = Arn,
            ["clusterArn"] = ClusterArn,
            ["taskDefinitionArn"] = TaskDefinition.Arn,
            ["group"] = Group,
            ["startedBy"] = StartedBy,
            ["lastStatus"] = LastStatus,
            ["desiredStatus"] = DesiredStatus,
            ["launchType"] = Service.LaunchType,
            ["platformVersion"] = "1.4.0",
            ["platformFamily"] = "Linux",
            ["availabilityZone"] = AvailabilityZone,
            ["connectivity"] = "CONNECTED",
            ["cpu"] = TaskDefinition.Cpu,
            ["memory"] = TaskDefinition.Memory,
            ["healthStatus"] = "UNKNOWN",
            ["enableExecuteCommand"] = false,
            ["version"] = (int)Phase + 1,
            ["createdAt"] = Epoch(CreatedAt),
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(),
                ["type"] = "ElasticNetworkInterface",
                ["status"] = Phase == TaskPhase.Stopped ? "DELETED" : "ATTACHED",
                ["details"] = new JsonArray(
                    Detail("subnetId", SubnetId),
                    Detail("networkInterfaceId", EniId),
                    Detail("privateIPv4Address", IpAddress)),
            }),
            ["containers"] = new JsonArray(Containers.Select(c => (JsonNode)ContainerJson(c)).ToArray()),
            ["overrides"] = new JsonObject { ["containerOverrides"] = new JsonArray(Containers.Select(c => (JsonNode)new JsonObject { ["name"] = c.Spec.Name }).ToArray()) },
            ["tags"] = new JsonArray(),
        };
        Add(task, "pullStartedAt", PullStartedAt);
        Add(task, "pullStoppedAt", PullStoppedAt);
        Add(task, "startedAt", StartedAt);
        Add(task, "connectivityAt", PullStartedAt);
        Add(task, "stoppingAt", StoppingAt);
        Add(task, "stoppedAt", StoppedAt);
        Add(task, "executionStoppedAt", StoppedAt);
        if (StopCode is not null)
        {
            task["stopCode"] = StopCode;
        }

        if (StoppedReason is not null)
        {
            task["stoppedReason"] = StoppedReason;
        }

        return task;
    }

    private JsonObject ContainerJson(WorldContainer container)
    {
        var json = new JsonObject
        {
            ["containerArn"] = container.ContainerArn,
            ["taskArn"] = Arn,
            ["name"] = container.Spec.Name,
            ["image"] = container.Spec.Image,
            ["lastStatus"] = container.LastStatus,
            ["healthStatus"] = "UNKNOWN",
            ["networkBindings"] = new JsonArray(),
            ["networkInterfaces"] = new JsonArray(new JsonObject { ["attachmentId"] = EniId, ["privateIpv4Address"] = IpAddress }),
        };
        if (container.RuntimeId is not null)
        {
            json["runtimeId"] = container.RuntimeId;
        }

        if (container.ExitCode is { } exitCode)
        {
            json["exitCode"] = exitCode;
        }

        if (container.Reason is not null)
        {
            json["reason"] = container.Reason;
        }

        return json;
    }

    private static JsonObject Detail(string name, string value) => new() { ["name"] = name, ["value"] = value };

    private static void Add(JsonObject json, string name, DateTimeOffset? at)
    {
        if (at is { } value)
        {
            json[name] = Epoch(value);
        }
    }

    /// <summary>Epoch seconds with milliseconds, as ECS's JSON protocol sends timestamps.</summary>
    public static double Epoch(DateTimeOffset at) =>
        Math.Round(at.ToUnixTimeMilliseconds() / 1000.0, 3);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"task {Id} ({LastStatus})");
}
