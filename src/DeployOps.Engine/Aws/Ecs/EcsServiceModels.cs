using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Ecs;

/// <summary>An ECS service (DescribeServices <c>Service</c>).</summary>
public sealed record EcsService
{
    /// <summary><c>serviceArn</c>.</summary>
    public string Arn { get; init; } = string.Empty;

    /// <summary><c>serviceName</c>.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary><c>clusterArn</c>.</summary>
    public string ClusterArn { get; init; } = string.Empty;

    /// <summary><c>status</c>: ACTIVE, DRAINING or INACTIVE.</summary>
    public string Status { get; init; } = string.Empty;

    /// <summary><c>desiredCount</c>.</summary>
    public int DesiredCount { get; init; }

    /// <summary><c>runningCount</c>.</summary>
    public int RunningCount { get; init; }

    /// <summary><c>pendingCount</c>.</summary>
    public int PendingCount { get; init; }

    /// <summary><c>taskDefinition</c>: the ARN the service runs.</summary>
    public string? TaskDefinition { get; init; }

    /// <summary><c>launchType</c>: EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES.</summary>
    public string? LaunchType { get; init; }

    /// <summary><c>loadBalancers</c>.</summary>
    public IReadOnlyList<EcsLoadBalancer> LoadBalancers { get; init; } = Array.Empty<EcsLoadBalancer>();

    /// <summary><c>deployments</c>, newest first as ECS returns them.</summary>
    public IReadOnlyList<EcsDeployment> Deployments { get; init; } = Array.Empty<EcsDeployment>();

    /// <summary><c>events</c>, newest first.</summary>
    public IReadOnlyList<EcsServiceEvent> Events { get; init; } = Array.Empty<EcsServiceEvent>();

    /// <summary><c>networkConfiguration.awsvpcConfiguration</c>, or null for non-awsvpc services.</summary>
    public EcsAwsVpcConfiguration? NetworkConfiguration { get; init; }

    /// <summary><c>deploymentConfiguration</c>.</summary>
    public EcsDeploymentConfiguration? DeploymentConfiguration { get; init; }

    /// <summary><c>healthCheckGracePeriodSeconds</c>.</summary>
    public int? HealthCheckGracePeriodSeconds { get; init; }

    /// <summary><c>createdAt</c>.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The PRIMARY deployment (the one ECS rolls out now), or null while ECS reports none.</summary>
    public EcsDeployment? Primary => Deployments.FirstOrDefault(d => d.IsPrimary);

    /// <summary>Not deleted: ACTIVE, or DRAINING while it is being deleted. What an inspection reports on.</summary>
    public bool IsLive => Status is EcsServiceStatus.Active or EcsServiceStatus.Draining;

    /// <summary>ACTIVE: ECS accepts UpdateService (new deployments) for it.</summary>
    public bool AcceptsDeployments => Status == EcsServiceStatus.Active;

    /// <summary>The deployment with <paramref name="deploymentId"/>, or null when ECS no longer lists it.</summary>
    public EcsDeployment? Deployment(string deploymentId) => Deployments.FirstOrDefault(d => d.Id == deploymentId);

    internal static EcsService Read(JsonElement e) => new()
    {
        Arn = e.String("serviceArn") ?? string.Empty,
        Name = e.String("serviceName") ?? string.Empty,
        ClusterArn = e.String("clusterArn") ?? string.Empty,
        Status = e.String("status") ?? string.Empty,
        DesiredCount = e.Int("desiredCount") ?? 0,
        RunningCount = e.Int("runningCount") ?? 0,
        PendingCount = e.Int("pendingCount") ?? 0,
        TaskDefinition = e.String("taskDefinition"),
        LaunchType = e.String("launchType"),
        LoadBalancers = e.List("loadBalancers", EcsLoadBalancer.Read),
        Deployments = e.List("deployments", EcsDeployment.Read),
        Events = e.List("events", EcsServiceEvent.Read),
        NetworkConfiguration = e.Member("networkConfiguration")?.Member("awsvpcConfiguration") is { } vpc
            ? EcsAwsVpcConfiguration.Read(vpc)
            : null,
        DeploymentConfiguration = e.Member("deploymentConfiguration") is { } configuration
            ? EcsDeploymentConfiguration.Read(configuration)
            : null,
        HealthCheckGracePeriodSeconds = e.Int("healthCheckGracePeriodSeconds"),
        CreatedAt = e.EpochSeconds("createdAt"),
    };
}

/// <summary>A load balancer attachment of a service (<c>LoadBalancer</c>).</summary>
public sealed record EcsLoadBalancer(string? TargetGroupArn, string? LoadBalancerName, string? ContainerName, int? ContainerPort)
{
    internal static EcsLoadBalancer Read(JsonElement e) =>
        new(e.String("targetGroupArn"), e.String("loadBalancerName"), e.String("containerName"), e.Int("containerPort"));
}

/// <summary>A deployment of a service (<c>Deployment</c>).</summary>
public sealed record EcsDeployment
{
    /// <summary><c>id</c>.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary><c>status</c>: PRIMARY, ACTIVE or INACTIVE.</summary>
    public string Status { get; init; } = string.Empty;

    /// <summary><c>taskDefinition</c>.</summary>
    public string? TaskDefinition { get; init; }

    /// <summary><c>desiredCount</c>.</summary>
    public int DesiredCount { get; init; }

    /// <summary><c>pendingCount</c>.</summary>
    public int PendingCount { get; init; }

    /// <summary><c>runningCount</c>.</summary>
    public int RunningCount { get; init; }

    /// <summary><c>failedTasks</c>.</summary>
    public int FailedTasks { get; init; }

    /// <summary><c>createdAt</c>.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary><c>updatedAt</c>.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary><c>rolloutState</c>: COMPLETED, FAILED or IN_PROGRESS.</summary>
    public string? RolloutState { get; init; }

    /// <summary><c>rolloutStateReason</c>.</summary>
    public string? RolloutStateReason { get; init; }

    /// <summary>Status PRIMARY: the deployment ECS is rolling out or has rolled out.</summary>
    public bool IsPrimary => Status == EcsDeploymentStatus.Primary;

    /// <summary>rolloutState FAILED: the circuit breaker (or ECS) gave the rollout up.</summary>
    public bool RolloutFailed => RolloutState == EcsRolloutState.Failed;

    /// <summary>rolloutState COMPLETED, or no rollout state at all (services without the deployment circuit breaker).</summary>
    public bool RolloutCompleted => RolloutState is EcsRolloutState.Completed or null;

    internal static EcsDeployment Read(JsonElement e) => new()
    {
        Id = e.String("id") ?? string.Empty,
        Status = e.String("status") ?? string.Empty,
        TaskDefinition = e.String("taskDefinition"),
        DesiredCount = e.Int("desiredCount") ?? 0,
        PendingCount = e.Int("pendingCount") ?? 0,
        RunningCount = e.Int("runningCount") ?? 0,
        FailedTasks = e.Int("failedTasks") ?? 0,
        CreatedAt = e.EpochSeconds("createdAt"),
        UpdatedAt = e.EpochSeconds("updatedAt"),
        RolloutState = e.String("rolloutState"),
        RolloutStateReason = e.String("rolloutStateReason"),
    };
}

/// <summary>A service event (<c>ServiceEvent</c>).</summary>
public sealed record EcsServiceEvent(string Id, DateTimeOffset? CreatedAt, string Message)
{
    internal static EcsServiceEvent Read(JsonElement e) =>
        new(e.String("id") ?? string.Empty, e.EpochSeconds("createdAt"), e.String("message") ?? string.Empty);
}

/// <summary>A service's awsvpc network configuration (<c>AwsVpcConfiguration</c>).</summary>
public sealed record EcsAwsVpcConfiguration(IReadOnlyList<string> Subnets, IReadOnlyList<string> SecurityGroups, string? AssignPublicIp)
{
    internal static EcsAwsVpcConfiguration Read(JsonElement e) =>
        new(e.Strings("subnets"), e.Strings("securityGroups"), e.String("assignPublicIp"));
}

/// <summary>A service's deployment configuration (<c>DeploymentConfiguration</c>), also used to change it.</summary>
public sealed record EcsDeploymentConfiguration
{
    /// <summary><c>minimumHealthyPercent</c>.</summary>
    public int? MinimumHealthyPercent { get; init; }

    /// <summary><c>maximumPercent</c>.</summary>
    public int? MaximumPercent { get; init; }

    /// <summary><c>deploymentCircuitBreaker.enable</c>.</summary>
    public bool? CircuitBreakerEnabled { get; init; }

    /// <summary><c>deploymentCircuitBreaker.rollback</c>.</summary>
    public bool? CircuitBreakerRollback { get; init; }

    internal static EcsDeploymentConfiguration Read(JsonElement e) => new()
    {
        MinimumHealthyPercent = e.Int("minimumHealthyPercent"),
        MaximumPercent = e.Int("maximumPercent"),
        CircuitBreakerEnabled = e.Member("deploymentCircuitBreaker")?.Bool("enable"),
        CircuitBreakerRollback = e.Member("deploymentCircuitBreaker")?.Bool("rollback"),
    };

    internal AwsParameters ToParameters()
    {
        var parameters = new AwsParameters
        {
            { "minimumHealthyPercent", MinimumHealthyPercent },
            { "maximumPercent", MaximumPercent },
        };
        if (CircuitBreakerEnabled is not null || CircuitBreakerRollback is not null)
        {
            // Both members are required by the model when the breaker is sent.
            parameters.Add("deploymentCircuitBreaker", new AwsParameters
            {
                { "enable", CircuitBreakerEnabled ?? false },
                { "rollback", CircuitBreakerRollback ?? false },
            });
        }

        return parameters;
    }
}

/// <summary>A name or ARN ECS could not describe (<c>Failure</c>); reason MISSING means it does not exist.</summary>
public sealed record EcsFailure(string? Arn, string Reason, string? Detail)
{
    /// <summary>What kind of failure: <see cref="AwsErrorClassification.NotFound"/> for MISSING.</summary>
    public AwsErrorClassification Classification => AwsErrorClassifier.ClassifyEcsFailure(Reason);

    internal static EcsFailure Read(JsonElement e) => new(e.String("arn"), e.String("reason") ?? string.Empty, e.String("detail"));
}

/// <summary>The result of a batched ECS describe: what was found and what was not.</summary>
public sealed record EcsDescribeResult<T>(IReadOnlyList<T> Found, IReadOnlyList<EcsFailure> Failures);

/// <summary>The changes UpdateService makes; unset members are left as they are.</summary>
public sealed record EcsUpdateServiceRequest(string Cluster, string Service)
{
    /// <summary><c>taskDefinition</c>: family, family:revision or ARN.</summary>
    public string? TaskDefinition { get; init; }

    /// <summary><c>desiredCount</c>.</summary>
    public int? DesiredCount { get; init; }

    /// <summary><c>forceNewDeployment</c>: start a deployment even when nothing else changes.</summary>
    public bool? ForceNewDeployment { get; init; }

    /// <summary><c>deploymentConfiguration</c>.</summary>
    public EcsDeploymentConfiguration? DeploymentConfiguration { get; init; }

    internal AwsParameters ToParameters() => new()
    {
        { "cluster", Cluster },
        { "service", Service },
        { "taskDefinition", TaskDefinition },
        { "desiredCount", DesiredCount },
        { "forceNewDeployment", ForceNewDeployment },
        { "deploymentConfiguration", DeploymentConfiguration?.ToParameters() },
    };
}
