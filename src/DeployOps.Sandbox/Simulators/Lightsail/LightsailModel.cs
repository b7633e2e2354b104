using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Sandbox.Http;
using DeployOps.Sandbox.Scenarios;

namespace DeployOps.Sandbox.Simulators.Lightsail;

/// <summary>A container service's state (botocore's ContainerServiceState).</summary>
public enum ServiceState
{
    Pending,
    Ready,
    Deploying,
    Running,
    Updating,
    Deleting,
    Disabled,
}

/// <summary>A deployment's state (botocore's ContainerServiceDeploymentState).</summary>
public enum DeploymentState
{
    Activating,
    Active,
    Inactive,
    Failed,
}

/// <summary>Where an ACTIVATING deployment is (the service's stateDetail codes while it deploys).</summary>
public enum ActivationStep
{
    CreatingDeployment,
    EvaluatingHealthCheck,
    ActivatingDeployment,
}

/// <summary>A pushed image: <c>:&lt;service&gt;.&lt;label&gt;.&lt;number&gt;</c>, its digest and the application it runs.</summary>
public sealed record PushedImage(string Reference, string Digest, string? Application, DateTimeOffset CreatedAt);

/// <summary>A container of a deployment as CreateContainerServiceDeployment gave it.</summary>
public sealed record ContainerSpec(string Name, string Image, IReadOnlyList<string> Command, IReadOnlyDictionary<string, string> Environment, IReadOnlyDictionary<string, string> Ports);

/// <summary>A deployment's public endpoint and its health check, Lightsail's defaults filled in.</summary>
public sealed record EndpointSpec(string ContainerName, int ContainerPort, LightsailHealthCheckDefinition HealthCheck);

/// <summary>One deployment of a container service.</summary>
public sealed class ServiceDeployment
{
    public ServiceDeployment(int version, IReadOnlyList<ContainerSpec> containers, EndpointSpec? publicEndpoint, DateTimeOffset createdAt, double createdAtWorld)
    {
        Version = version;
        Containers = containers;
        PublicEndpoint = publicEndpoint;
        CreatedAt = createdAt;
        CreatedAtWorld = createdAtWorld;
    }

    public int Version { get; }

    public IReadOnlyList<ContainerSpec> Containers { get; }

    public EndpointSpec? PublicEndpoint { get; }

    public DateTimeOffset CreatedAt { get; }

    public double CreatedAtWorld { get; }

    public DeploymentState State { get; set; } = DeploymentState.Activating;

    public ActivationStep Step { get; set; } = ActivationStep.CreatingDeployment;

    /// <summary>World time of the next activation step (nodes start, the deployment turns ACTIVE).</summary>
    public double NextStepAt { get; set; }

    /// <summary>World time by which every node must be healthy, else the deployment fails.</summary>
    public double HealthDeadline { get; set; }

    /// <summary>When it turned ACTIVE (wall clock), for the control API.</summary>
    public DateTimeOffset? ActivatedAt { get; set; }

    /// <summary>When it failed (wall clock) and why, for the control API.</summary>
    public DateTimeOffset? FailedAt { get; set; }

    public string? FailureReason { get; set; }

    /// <summary>The container the public endpoint serves (null when the deployment has no endpoint).</summary>
    public ContainerSpec? ServedContainer => PublicEndpoint is { } endpoint ? Containers.FirstOrDefault(c => c.Name == endpoint.ContainerName) : null;
}

/// <summary>The phase of a node's container that the public endpoint serves.</summary>
public enum NodePhase
{
    /// <summary>The application started and has not opened its port yet.</summary>
    Starting,

    /// <summary>The application serves on its loopback listener.</summary>
    Listening,

    /// <summary>A container exited (a crash, a missing variable, an image that cannot be pulled).</summary>
    Exited,

    /// <summary>Stopped by Lightsail (its deployment was replaced, the service scaled in, was disabled or deleted).</summary>
    Stopped,
}

/// <summary>One node of a deployment: its containers run the deployment's images; the served one listens on loopback.</summary>
public sealed class ServiceNode
{
    public ServiceNode(ServiceDeployment deployment, string address, int port, AppProfile? profile, double startedAtWorld)
    {
        Id = Guid.NewGuid().ToString("N")[..12];
        Deployment = deployment;
        Address = address;
        Port = port;
        Profile = profile;
        StartedAtWorld = startedAtWorld;
    }

    public string Id { get; }

    public ServiceDeployment Deployment { get; }

    public string Address { get; }

    public int Port { get; }

    /// <summary>The application the served container runs; null when its image has none (it cannot be pulled).</summary>
    public AppProfile? Profile { get; }

    public double StartedAtWorld { get; }

    public NodePhase Phase { get; set; } = NodePhase.Starting;

    /// <summary>World time at which the application opens its port (null once it does, or when it never will).</summary>
    public double? ListensAt { get; set; }

    /// <summary>World time at which a container exits, which one, and the lines it logs first.</summary>
    public (double At, string Container, IReadOnlyList<string> Lines)? Exit { get; set; }

    public MiniHttpServer? Listener { get; set; }

    // Health checks of the deployment's public endpoint.
    public int ConsecutivePasses { get; set; }

    public int ConsecutiveFailures { get; set; }

    public bool Healthy { get; set; }

    /// <summary>True once it failed the unhealthy threshold of checks after its application had time to start: its activation fails.</summary>
    public bool FailedHealthChecks { get; set; }

    /// <summary>The last probe's outcome in words, e.g. "Health checks failed with these codes: [503]".</summary>
    public string LastProbe { get; set; } = "none yet";

    public double NextProbeAt { get; set; }

    public bool ProbeInFlight { get; set; }

    public bool IsAlive => Phase is NodePhase.Starting or NodePhase.Listening;
}

/// <summary>A container service of the world.</summary>
public sealed class ContainerService
{
    public ContainerService(string region, string name, string power, int scale, DateTimeOffset createdAt)
    {
        Region = region;
        Name = name;
        Power = power;
        Scale = scale;
        CreatedAt = createdAt;
        Arn = $"arn:aws:lightsail:{region}:{World.WorldContext.AccountId}:ContainerService/{Guid.NewGuid()}";
    }

    public string Region { get; }

    public string Name { get; }

    public string Arn { get; }

    public DateTimeOffset CreatedAt { get; }

    public string Power { get; set; }

    public int Scale { get; set; }

    public bool IsDisabled { get; set; }

    public ServiceState State { get; set; } = ServiceState.Pending;

    /// <summary>World time at which the current PENDING, UPDATING or DELETING ends.</summary>
    public double StateEndsAt { get; set; }

    public List<PushedImage> Images { get; } = new();

    /// <summary>Every deployment, oldest first.</summary>
    public List<ServiceDeployment> Deployments { get; } = new();

    public List<ServiceNode> Nodes { get; } = new();

    /// <summary>The log lines of each container name, oldest first, merged from every node.</summary>
    public Dictionary<string, List<(DateTimeOffset At, string Message)>> Logs { get; } = new(StringComparer.Ordinal);

    /// <summary>The public endpoint's loopback listener.</summary>
    public MiniHttpServer? PublicListener { get; set; }

    public ServiceDeployment? Current => Deployments.LastOrDefault(d => d.State == DeploymentState.Active);

    public ServiceDeployment? Next => Deployments.LastOrDefault(d => d.State == DeploymentState.Activating);

    public int NextVersion => Deployments.Count + 1;

    public string Url => PublicListener is { } listener ? $"http://127.0.0.1:{listener.EndPoint.Port}/" : "";

    public IEnumerable<ServiceNode> NodesOf(ServiceDeployment deployment) => Nodes.Where(n => n.Deployment == deployment && n.IsAlive);

    /// <summary>The number a new image pushed with <paramref name="label"/> gets: one more than any image of the service.</summary>
    public int NextImageNumber() =>
        Images.Select(i => int.TryParse(i.Reference[(i.Reference.LastIndexOf('.') + 1)..], out var n) ? n : 0).DefaultIfEmpty(0).Max() + 1;

    public void Log(string container, string message, DateTimeOffset at)
    {
        if (!Logs.TryGetValue(container, out var lines))
        {
            Logs[container] = lines = new();
        }

        lines.Add((at, message));
    }
}
