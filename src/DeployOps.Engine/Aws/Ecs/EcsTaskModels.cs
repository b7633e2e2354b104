using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Ecs;

/// <summary>A task (<c>Task</c>).</summary>
public sealed record EcsTask
{
    /// <summary><c>taskArn</c>.</summary>
    public string Arn { get; init; } = string.Empty;

    /// <summary><c>clusterArn</c>.</summary>
    public string? ClusterArn { get; init; }

    /// <summary><c>taskDefinitionArn</c>.</summary>
    public string? TaskDefinitionArn { get; init; }

    /// <summary><c>lastStatus</c>: PROVISIONING, PENDING, RUNNING, STOPPED and the states between.</summary>
    public string? LastStatus { get; init; }

    /// <summary><c>desiredStatus</c>.</summary>
    public string? DesiredStatus { get; init; }

    /// <summary><c>startedBy</c>: the deployment id (ecs-svc/...) for service tasks.</summary>
    public string? StartedBy { get; init; }

    /// <summary><c>group</c>: <c>service:&lt;name&gt;</c> for service tasks.</summary>
    public string? Group { get; init; }

    /// <summary>The service that started the task (from <see cref="Group"/>), or null for a task no service started.</summary>
    public string? ServiceName => Group is { } group && group.StartsWith("service:", StringComparison.Ordinal) ? group.Substring("service:".Length) : null;

    /// <summary><c>stopCode</c>, e.g. EssentialContainerExited or TaskFailedToStart.</summary>
    public string? StopCode { get; init; }

    /// <summary><c>stoppedReason</c>.</summary>
    public string? StoppedReason { get; init; }

    /// <summary><c>healthStatus</c>.</summary>
    public string? HealthStatus { get; init; }

    /// <summary><c>createdAt</c>.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary><c>startedAt</c>.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary><c>stoppingAt</c>.</summary>
    public DateTimeOffset? StoppingAt { get; init; }

    /// <summary><c>stoppedAt</c>.</summary>
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>The private IPv4 address of the task's ENI (the <c>privateIPv4Address</c> detail of its ElasticNetworkInterface attachment).</summary>
    public string? PrivateIpv4Address { get; init; }

    /// <summary><c>containers</c>.</summary>
    public IReadOnlyList<EcsContainer> Containers { get; init; } = Array.Empty<EcsContainer>();

    /// <summary>
    /// The container that explains why the task stopped: the first that exited non-zero or has a reason (an image pull
    /// error, an out-of-memory kill); else the first container; null for a task without containers.
    /// </summary>
    public EcsContainer? FailingContainer => Containers.FirstOrDefault(c => c.ExitCode is not null and not 0 || c.Reason is not null) ?? Containers.FirstOrDefault();

    /// <summary>
    /// True when the task stopped because the application failed: it never started, or an essential container exited
    /// non-zero or was killed. False for stops ECS or a person asked for (a deployment replacing it, a scale-in).
    /// </summary>
    public bool StoppedByApplicationFailure =>
        StopCode == EcsStopCode.TaskFailedToStart ||
        (StopCode == EcsStopCode.EssentialContainerExited && FailingContainer is { } container && (container.ExitCode is not null and not 0 || container.Reason is not null));

    /// <summary>When the task stopped (or began stopping), for ordering; null while it runs.</summary>
    public DateTimeOffset? StopTime => StoppedAt ?? StoppingAt;

    internal static EcsTask Read(JsonElement e) => new()
    {
        Arn = e.String("taskArn") ?? string.Empty,
        ClusterArn = e.String("clusterArn"),
        TaskDefinitionArn = e.String("taskDefinitionArn"),
        LastStatus = e.String("lastStatus"),
        DesiredStatus = e.String("desiredStatus"),
        StartedBy = e.String("startedBy"),
        Group = e.String("group"),
        StopCode = e.String("stopCode"),
        StoppedReason = e.String("stoppedReason"),
        HealthStatus = e.String("healthStatus"),
        CreatedAt = e.EpochSeconds("createdAt"),
        StartedAt = e.EpochSeconds("startedAt"),
        StoppingAt = e.EpochSeconds("stoppingAt"),
        StoppedAt = e.EpochSeconds("stoppedAt"),
        PrivateIpv4Address = EniAddress(e),
        Containers = e.List("containers", EcsContainer.Read),
    };

    private static string? EniAddress(JsonElement task) =>
        task.Items("attachments")
            .Where(attachment => attachment.String("type") == "ElasticNetworkInterface")
            .SelectMany(attachment => attachment.Items("details"))
            .Where(detail => detail.String("name") == "privateIPv4Address")
            .Select(detail => detail.String("value"))
            .FirstOrDefault();
}

/// <summary>A container of a task (<c>Container</c>).</summary>
public sealed record EcsContainer(string Name, string? Image, string? LastStatus, int? ExitCode, string? Reason, string? HealthStatus)
{
    internal static EcsContainer Read(JsonElement e) => new(
        e.String("name") ?? string.Empty,
        e.String("image"),
        e.String("lastStatus"),
        e.Int("exitCode"),
        e.String("reason"),
        e.String("healthStatus"));
}

/// <summary>ListTasks <c>desiredStatus</c>.</summary>
public enum EcsDesiredStatus
{
    /// <summary>RUNNING.</summary>
    Running,

    /// <summary>PENDING.</summary>
    Pending,

    /// <summary>STOPPED.</summary>
    Stopped,
}

/// <summary>What ListTasks filters on; unset members do not filter.</summary>
public sealed record EcsListTasksRequest(string Cluster)
{
    /// <summary><c>serviceName</c>.</summary>
    public string? ServiceName { get; init; }

    /// <summary><c>desiredStatus</c>; ECS defaults to RUNNING.</summary>
    public EcsDesiredStatus? DesiredStatus { get; init; }

    /// <summary><c>startedBy</c>, e.g. a deployment id.</summary>
    public string? StartedBy { get; init; }
}
