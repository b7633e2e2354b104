using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace DeployOps.Sandbox.Simulators.EcsRuntime;

/// <summary>A container definition as the world needs it, read from moto's task definition.</summary>
public sealed record ContainerSpec(
    string Name,
    string Image,
    bool Essential,
    IReadOnlyList<int> ContainerPorts,
    IReadOnlySet<string> VariableNames,
    string? LogGroup,
    string? LogRegion,
    string? LogStreamPrefix,
    IReadOnlyList<string>? SecretSources = null);

/// <summary>A registered task definition, read from moto (the authority for configuration).</summary>
public sealed record TaskDefinitionSpec(string Arn, string Family, int Revision, string Cpu, string Memory, IReadOnlyList<ContainerSpec> Containers)
{
    public static TaskDefinitionSpec FromJson(JsonObject taskDefinition)
    {
        var containers = new List<ContainerSpec>();
        foreach (var node in taskDefinition["containerDefinitions"]?.AsArray() ?? [])
        {
            if (node is not JsonObject c)
            {
                continue;
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var list in new[] { "environment", "secrets" })
            {
                foreach (var pair in c[list]?.AsArray() ?? [])
                {
                    if (pair?["name"]?.GetValue<string>() is { } name)
                    {
                        names.Add(name);
                    }
                }
            }

            var options = c["logConfiguration"]?["options"] as JsonObject;
            containers.Add(new ContainerSpec(
                c["name"]?.GetValue<string>() ?? "",
                c["image"]?.GetValue<string>() ?? "",
                c["essential"]?.GetValue<bool>() ?? true,
                (c["portMappings"]?.AsArray() ?? []).Select(p => p?["containerPort"]?.GetValue<int>() ?? 0).Where(p => p > 0).ToList(),
                names,
                options?["awslogs-group"]?.GetValue<string>(),
                options?["awslogs-region"]?.GetValue<string>(),
                options?["awslogs-stream-prefix"]?.GetValue<string>(),
                (c["secrets"]?.AsArray() ?? []).Select(pair => pair?["valueFrom"]?.GetValue<string>()).Where(v => v is not null).Select(v => v!).ToList()));
        }

        return new TaskDefinitionSpec(
            taskDefinition["taskDefinitionArn"]?.GetValue<string>() ?? "",
            taskDefinition["family"]?.GetValue<string>() ?? "",
            taskDefinition["revision"]?.GetValue<int>() ?? 0,
            JsonText(taskDefinition["cpu"]) ?? "256",
            JsonText(taskDefinition["memory"]) ?? "512",
            containers);
    }

    private static string? JsonText(JsonNode? node) => node is JsonValue value ? value.ToString() : null;
}

/// <summary>How a service maps a container port to a target group.</summary>
public sealed record LoadBalancerMapping(string TargetGroupArn, string ContainerName, int ContainerPort);

/// <summary>A service event, newest first in API answers.</summary>
public sealed record ServiceEvent(string Id, DateTimeOffset CreatedAt, string Message);

public enum TaskPhase
{
    Provisioning,
    Pending,
    Running,
    Deactivating,
    Stopping,
    Stopped,
}

/// <summary>A container inside a world task.</summary>
public sealed class WorldContainer
{
    public WorldContainer(ContainerSpec spec, string taskArn)
    {
        Spec = spec;
        ContainerArn = taskArn.Replace(":task/", ":container/", StringComparison.Ordinal) + "/" + Guid.NewGuid().ToString("N")[..8];
    }

    public ContainerSpec Spec { get; }

    public string ContainerArn { get; }

    public string LastStatus { get; set; } = "PENDING";

    public int? ExitCode { get; set; }

    public string? Reason { get; set; }

    public string? RuntimeId { get; set; }
}

/// <summary>A deployment of a service: PRIMARY (the newest), ACTIVE (older ones still running tasks).</summary>
public sealed class WorldDeployment
{
    public WorldDeployment(string id, TaskDefinitionSpec taskDefinition, DateTimeOffset createdAt)
    {
        Id = id;
        TaskDefinition = taskDefinition;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public string Id { get; }

    public TaskDefinitionSpec TaskDefinition { get; }

    public string Status { get; set; } = "PRIMARY";

    public string RolloutState { get; set; } = "IN_PROGRESS";

    public string RolloutStateReason { get; set; } = "";

    public int FailedTasks { get; set; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset UpdatedAt { get; set; }
}
