using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Lightsail;

/// <summary>A container service's <c>state</c> (botocore lightsail <c>ContainerServiceState</c>).</summary>
public static class LightsailServiceState
{
    public const string Pending = "PENDING";
    public const string Ready = "READY";
    public const string Deploying = "DEPLOYING";
    public const string Running = "RUNNING";
    public const string Updating = "UPDATING";
    public const string Deleting = "DELETING";
    public const string Disabled = "DISABLED";
}

/// <summary>A deployment's <c>state</c> (botocore lightsail <c>ContainerServiceDeploymentState</c>).</summary>
public static class LightsailDeploymentState
{
    public const string Activating = "ACTIVATING";
    public const string Active = "ACTIVE";
    public const string Inactive = "INACTIVE";
    public const string Failed = "FAILED";
}

/// <summary>A container service (botocore <c>ContainerService</c>).</summary>
public sealed record LightsailContainerService
{
    /// <summary><c>containerServiceName</c>.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary><c>arn</c>.</summary>
    public string? Arn { get; init; }

    /// <summary><c>state</c>: PENDING, READY, DEPLOYING, RUNNING, UPDATING, DELETING or DISABLED.</summary>
    public string State { get; init; } = string.Empty;

    /// <summary><c>stateDetail</c>: given while PENDING, DEPLOYING or UPDATING (e.g. EVALUATING_HEALTH_CHECK).</summary>
    public LightsailStateDetail? StateDetail { get; init; }

    /// <summary><c>power</c>: nano, micro, small, medium, large or xlarge.</summary>
    public string? Power { get; init; }

    /// <summary><c>scale</c>: the number of nodes.</summary>
    public int Scale { get; init; }

    /// <summary><c>isDisabled</c>.</summary>
    public bool IsDisabled { get; init; }

    /// <summary><c>url</c>: the public endpoint's default domain.</summary>
    public string? Url { get; init; }

    /// <summary><c>currentDeployment</c>: the ACTIVE deployment.</summary>
    public LightsailDeployment? CurrentDeployment { get; init; }

    /// <summary><c>nextDeployment</c>: the deployment being activated.</summary>
    public LightsailDeployment? NextDeployment { get; init; }

    /// <summary><c>createdAt</c>.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary><c>location.regionName</c>.</summary>
    public string? Region { get; init; }

    internal static LightsailContainerService Read(JsonElement e) => new()
    {
        Name = e.String("containerServiceName") ?? string.Empty,
        Arn = e.String("arn"),
        State = e.String("state") ?? string.Empty,
        StateDetail = e.Member("stateDetail") is { } detail ? new LightsailStateDetail(detail.String("code"), detail.String("message")) : null,
        Power = e.String("power"),
        Scale = e.Int("scale") ?? 0,
        IsDisabled = e.Bool("isDisabled") ?? false,
        Url = e.String("url"),
        CurrentDeployment = e.Member("currentDeployment") is { } current ? LightsailDeployment.Read(current) : null,
        NextDeployment = e.Member("nextDeployment") is { } next ? LightsailDeployment.Read(next) : null,
        CreatedAt = e.Timestamp("createdAt"),
        Region = e.Member("location")?.String("regionName"),
    };
}

/// <summary><c>ContainerServiceStateDetail</c>: a code such as EVALUATING_HEALTH_CHECK and its message.</summary>
public sealed record LightsailStateDetail(string? Code, string? Message)
{
    public override string ToString() => Message is null ? Code ?? "" : $"{Code}: {Message}";
}

/// <summary>A deployment of a container service (botocore <c>ContainerServiceDeployment</c>).</summary>
public sealed record LightsailDeployment
{
    /// <summary><c>version</c>.</summary>
    public int Version { get; init; }

    /// <summary><c>state</c>: ACTIVATING, ACTIVE, INACTIVE or FAILED.</summary>
    public string State { get; init; } = string.Empty;

    /// <summary><c>containers</c>, by container name.</summary>
    public IReadOnlyDictionary<string, LightsailContainer> Containers { get; init; } = new Dictionary<string, LightsailContainer>();

    /// <summary><c>publicEndpoint</c>, or null when the deployment has none.</summary>
    public LightsailEndpoint? PublicEndpoint { get; init; }

    /// <summary><c>createdAt</c>.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Its specification: what CreateContainerServiceDeployment takes to run it again.</summary>
    public LightsailDeploymentSpecification Specification => new(Containers, PublicEndpoint);

    internal static LightsailDeployment Read(JsonElement e) => new()
    {
        Version = e.Int("version") ?? 0,
        State = e.String("state") ?? string.Empty,
        Containers = e.Member("containers") is { ValueKind: JsonValueKind.Object } containers
            ? containers.EnumerateObject().ToDictionary(c => c.Name, c => LightsailContainer.Read(c.Value), StringComparer.Ordinal)
            : new Dictionary<string, LightsailContainer>(),
        PublicEndpoint = e.Member("publicEndpoint") is { } endpoint ? LightsailEndpoint.Read(endpoint) : null,
        CreatedAt = e.Timestamp("createdAt"),
    };
}

/// <summary>A container of a deployment (botocore <c>Container</c>): image, command, environment and ports.</summary>
public sealed record LightsailContainer
{
    /// <summary><c>image</c>: a pushed image (<c>:service.label.n</c>) or a registry image.</summary>
    public string Image { get; init; } = string.Empty;

    /// <summary><c>command</c>.</summary>
    public IReadOnlyList<string> Command { get; init; } = Array.Empty<string>();

    /// <summary><c>environment</c>: name to value. Values are secrets: never shown, only compared.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary><c>ports</c>: port to protocol (HTTP, HTTPS, TCP, UDP).</summary>
    public IReadOnlyDictionary<string, string> Ports { get; init; } = new Dictionary<string, string>();

    internal static LightsailContainer Read(JsonElement e) => new()
    {
        Image = e.String("image") ?? string.Empty,
        Command = e.Strings("command"),
        Environment = e.StringMap("environment"),
        Ports = e.StringMap("ports"),
    };

    internal AwsParameters ToParameters()
    {
        var parameters = new AwsParameters { { "image", Image } };
        if (Command.Count > 0)
        {
            parameters.Add("command", Command);
        }

        parameters.Add("environment", Map(Environment));
        parameters.Add("ports", Map(Ports));
        return parameters;
    }

    internal static AwsParameters Map(IEnumerable<KeyValuePair<string, string>> entries)
    {
        var map = new AwsParameters();
        foreach (var entry in entries)
        {
            map.Add(entry.Key, entry.Value);
        }

        return map;
    }
}

/// <summary>A deployment's public endpoint (botocore <c>ContainerServiceEndpoint</c> / <c>EndpointRequest</c>).</summary>
public sealed record LightsailEndpoint(string ContainerName, int ContainerPort, LightsailHealthCheck HealthCheck)
{
    internal static LightsailEndpoint Read(JsonElement e) => new(
        e.String("containerName") ?? string.Empty,
        e.Int("containerPort") ?? 0,
        e.Member("healthCheck") is { } check ? LightsailHealthCheck.Read(check) : new LightsailHealthCheck());

    internal AwsParameters ToParameters() => new()
    {
        { "containerName", ContainerName },
        { "containerPort", ContainerPort },
        { "healthCheck", HealthCheck.ToParameters() },
    };
}

/// <summary>
/// A public endpoint's health check (botocore <c>ContainerServiceHealthCheckConfig</c>). Unset members take Lightsail's
/// defaults: healthy 2, unhealthy 2, timeout 2 s, interval 5 s, path /, success codes 200-499 (<see cref="Effective"/>).
/// </summary>
public sealed record LightsailHealthCheck
{
    /// <summary>Lightsail's defaults.</summary>
    public static readonly LightsailHealthCheck Defaults = new()
    {
        HealthyThreshold = 2,
        UnhealthyThreshold = 2,
        TimeoutSeconds = 2,
        IntervalSeconds = 5,
        Path = "/",
        SuccessCodes = "200-499",
    };

    public int? HealthyThreshold { get; init; }

    public int? UnhealthyThreshold { get; init; }

    public int? TimeoutSeconds { get; init; }

    public int? IntervalSeconds { get; init; }

    public string? Path { get; init; }

    public string? SuccessCodes { get; init; }

    /// <summary>Every member set: what is given, else Lightsail's default.</summary>
    public LightsailHealthCheck Effective => new()
    {
        HealthyThreshold = HealthyThreshold ?? Defaults.HealthyThreshold,
        UnhealthyThreshold = UnhealthyThreshold ?? Defaults.UnhealthyThreshold,
        TimeoutSeconds = TimeoutSeconds ?? Defaults.TimeoutSeconds,
        IntervalSeconds = IntervalSeconds ?? Defaults.IntervalSeconds,
        Path = Path ?? Defaults.Path,
        SuccessCodes = SuccessCodes ?? Defaults.SuccessCodes,
    };

    internal static LightsailHealthCheck Read(JsonElement e) => new()
    {
        HealthyThreshold = e.Int("healthyThreshold"),
        UnhealthyThreshold = e.Int("unhealthyThreshold"),
        TimeoutSeconds = e.Int("timeoutSeconds"),
        IntervalSeconds = e.Int("intervalSeconds"),
        Path = e.String("path"),
        SuccessCodes = e.String("successCodes"),
    };

    internal AwsParameters ToParameters() => new()
    {
        { "healthyThreshold", HealthyThreshold },
        { "unhealthyThreshold", UnhealthyThreshold },
        { "timeoutSeconds", TimeoutSeconds },
        { "intervalSeconds", IntervalSeconds },
        { "path", Path },
        { "successCodes", SuccessCodes },
    };

    /// <summary>"path /health/ready, healthy 2, unhealthy 2, timeout 2 s, interval 5 s, codes 200-499" (defaults filled in).</summary>
    public override string ToString()
    {
        var e = Effective;
        return $"path {e.Path}, healthy {e.HealthyThreshold}, unhealthy {e.UnhealthyThreshold}, timeout {e.TimeoutSeconds} s, interval {e.IntervalSeconds} s, codes {e.SuccessCodes}";
    }
}

/// <summary>What CreateContainerServiceDeployment takes: the containers and the public endpoint.</summary>
public sealed record LightsailDeploymentSpecification(IReadOnlyDictionary<string, LightsailContainer> Containers, LightsailEndpoint? PublicEndpoint)
{
    internal AwsParameters ToParameters(string serviceName)
    {
        var containers = new AwsParameters();
        foreach (var container in Containers)
        {
            containers.Add(container.Key, container.Value.ToParameters());
        }

        return new AwsParameters
        {
            { "serviceName", serviceName },
            { "containers", containers },
            { "publicEndpoint", PublicEndpoint?.ToParameters() },
        };
    }
}

/// <summary>An image pushed to a container service (botocore <c>ContainerImage</c>): <c>:service.label.n</c>.</summary>
public sealed record LightsailContainerImage(string Image, string? Digest, DateTimeOffset? CreatedAt)
{
    internal static LightsailContainerImage Read(JsonElement e) => new(e.String("image") ?? string.Empty, e.String("digest"), e.Timestamp("createdAt"));
}

/// <summary>A line of a container's log (botocore <c>ContainerServiceLogEvent</c>).</summary>
public sealed record LightsailLogEvent(DateTimeOffset? CreatedAt, string Message)
{
    internal static LightsailLogEvent Read(JsonElement e) => new(e.Timestamp("createdAt"), e.String("message") ?? string.Empty);
}

/// <summary>What GetContainerLog reads: one container's log, within a time range, matching a filter pattern.</summary>
public sealed record LightsailLogRequest(string ServiceName, string ContainerName)
{
    /// <summary>The default cap on events.</summary>
    public const int DefaultMaxEvents = 1000;

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    /// <summary><c>filterPattern</c>, e.g. <c>ERROR</c> or <c>"Listening on port"</c>.</summary>
    public string? FilterPattern { get; init; }

    /// <summary>Stop after this many events, across pages.</summary>
    public int MaxEvents { get; init; } = DefaultMaxEvents;
}
