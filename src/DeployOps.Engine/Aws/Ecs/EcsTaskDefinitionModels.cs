using System;
using System.Collections.Generic;
using System.Text.Json;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Ecs;

/// <summary>A task definition (<c>TaskDefinition</c>).</summary>
public sealed record EcsTaskDefinition
{
    /// <summary><c>taskDefinitionArn</c>.</summary>
    public string Arn { get; init; } = string.Empty;

    /// <summary><c>family</c>.</summary>
    public string Family { get; init; } = string.Empty;

    /// <summary><c>revision</c>.</summary>
    public int Revision { get; init; }

    /// <summary><c>status</c>: ACTIVE, INACTIVE or DELETE_IN_PROGRESS.</summary>
    public string? Status { get; init; }

    /// <summary><c>networkMode</c>: bridge, host, awsvpc or none.</summary>
    public string? NetworkMode { get; init; }

    /// <summary><c>cpu</c> (task level, a string in the API).</summary>
    public string? Cpu { get; init; }

    /// <summary><c>memory</c> (task level, a string in the API).</summary>
    public string? Memory { get; init; }

    /// <summary><c>containerDefinitions</c>.</summary>
    public IReadOnlyList<EcsContainerDefinition> ContainerDefinitions { get; init; } = Array.Empty<EcsContainerDefinition>();

    /// <summary><c>registeredAt</c>.</summary>
    public DateTimeOffset? RegisteredAt { get; init; }

    internal static EcsTaskDefinition Read(JsonElement e) => new()
    {
        RegisteredAt = e.EpochSeconds("registeredAt"),
        Arn = e.String("taskDefinitionArn") ?? string.Empty,
        Family = e.String("family") ?? string.Empty,
        Revision = e.Int("revision") ?? 0,
        Status = e.String("status"),
        NetworkMode = e.String("networkMode"),
        Cpu = e.String("cpu"),
        Memory = e.String("memory"),
        ContainerDefinitions = e.List("containerDefinitions", EcsContainerDefinition.Read),
    };
}

/// <summary>A container definition (<c>ContainerDefinition</c>).</summary>
public sealed record EcsContainerDefinition
{
    /// <summary><c>name</c>.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary><c>image</c>.</summary>
    public string? Image { get; init; }

    /// <summary><c>essential</c>; ECS treats a missing value as true.</summary>
    public bool Essential { get; init; } = true;

    /// <summary><c>memory</c>: the hard limit in MiB.</summary>
    public int? Memory { get; init; }

    /// <summary><c>memoryReservation</c>: the soft limit in MiB.</summary>
    public int? MemoryReservation { get; init; }

    /// <summary><c>portMappings</c>.</summary>
    public IReadOnlyList<EcsPortMapping> PortMappings { get; init; } = Array.Empty<EcsPortMapping>();

    /// <summary><c>environment</c>. Values may be secrets: never write them to output or logs.</summary>
    public IReadOnlyList<EcsEnvironmentVariable> Environment { get; init; } = Array.Empty<EcsEnvironmentVariable>();

    /// <summary><c>secrets</c>: names and the ARNs they come from.</summary>
    public IReadOnlyList<EcsSecret> Secrets { get; init; } = Array.Empty<EcsSecret>();

    /// <summary><c>logConfiguration</c>, or null when the container does not set one.</summary>
    public EcsLogConfiguration? LogConfiguration { get; init; }

    /// <summary><c>healthCheck</c>: the container's own health check, or null when it has none.</summary>
    public EcsContainerHealthCheck? HealthCheck { get; init; }

    internal static EcsContainerDefinition Read(JsonElement e) => new()
    {
        HealthCheck = e.Member("healthCheck") is { } check ? EcsContainerHealthCheck.Read(check) : null,
        Name = e.String("name") ?? string.Empty,
        Image = e.String("image"),
        Essential = e.Bool("essential") ?? true,
        Memory = e.Int("memory"),
        MemoryReservation = e.Int("memoryReservation"),
        PortMappings = e.List("portMappings", EcsPortMapping.Read),
        Environment = e.List("environment", EcsEnvironmentVariable.Read),
        Secrets = e.List("secrets", EcsSecret.Read),
        LogConfiguration = e.Member("logConfiguration") is { } log ? EcsLogConfiguration.Read(log) : null,
    };
}

/// <summary>A container health check (<c>HealthCheck</c>): the command and its timing in seconds (ECS's defaults apply to what is unset).</summary>
public sealed record EcsContainerHealthCheck(IReadOnlyList<string> Command, int? IntervalSeconds, int? TimeoutSeconds, int? Retries, int? StartPeriodSeconds)
{
    internal static EcsContainerHealthCheck Read(JsonElement e) =>
        new(e.Strings("command"), e.Int("interval"), e.Int("timeout"), e.Int("retries"), e.Int("startPeriod"));
}

/// <summary>A port mapping (<c>PortMapping</c>).</summary>
public sealed record EcsPortMapping(int? ContainerPort, int? HostPort, string? Protocol, string? Name)
{
    internal static EcsPortMapping Read(JsonElement e) =>
        new(e.Int("containerPort"), e.Int("hostPort"), e.String("protocol"), e.String("name"));
}

/// <summary>An environment variable (<c>KeyValuePair</c>). <see cref="ToString"/> hides the value.</summary>
public sealed record EcsEnvironmentVariable(string Name, string Value)
{
    /// <summary>The name only: values may be secrets.</summary>
    public override string ToString() => $"{Name}=(hidden)";

    internal static EcsEnvironmentVariable Read(JsonElement e) => new(e.String("name") ?? string.Empty, e.String("value") ?? string.Empty);
}

/// <summary>A secret reference (<c>Secret</c>): the variable name and the Secrets Manager or SSM ARN it comes from.</summary>
public sealed record EcsSecret(string Name, string ValueFrom)
{
    internal static EcsSecret Read(JsonElement e) => new(e.String("name") ?? string.Empty, e.String("valueFrom") ?? string.Empty);
}

/// <summary>A container's log configuration (<c>LogConfiguration</c>), e.g. awslogs with awslogs-group.</summary>
public sealed record EcsLogConfiguration(string LogDriver, IReadOnlyDictionary<string, string> Options)
{
    internal static EcsLogConfiguration Read(JsonElement e) => new(e.String("logDriver") ?? string.Empty, e.StringMap("options"));
}

/// <summary>ListTaskDefinitions <c>sort</c>.</summary>
public enum EcsSortOrder
{
    /// <summary>ASC: oldest revision first.</summary>
    Ascending,

    /// <summary>DESC: newest revision first.</summary>
    Descending,
}

/// <summary>ListTaskDefinitions <c>status</c>.</summary>
public enum EcsTaskDefinitionStatus
{
    /// <summary>ACTIVE.</summary>
    Active,

    /// <summary>INACTIVE.</summary>
    Inactive,

    /// <summary>DELETE_IN_PROGRESS.</summary>
    DeleteInProgress,
}
