using System;
using DeployOps.Aws.Ecs;
using DeployOps.Operations;
using DeployOps.Redaction;

namespace DeployOps.Health;

/// <summary>The runbook's verdict for a service (SOP-DEPLOY-HEALTH-001 step 1 indicators).</summary>
public enum HealthStatus
{
    Healthy,
    Warning,
    Error,

    /// <summary>Nothing wrong in what was read, but some facts could not be read: the verdict is incomplete.</summary>
    Unknown,
}

/// <summary>The root-cause categories of runbook 000 step 2.</summary>
public enum RootCauseCategory
{
    /// <summary>Nothing is wrong (or a rollout is simply in progress).</summary>
    None,

    /// <summary>Category A: the target group checks a path (or codes) the application does not answer.</summary>
    HealthCheckMismatch,

    /// <summary>Category B: tasks fail to start or to stay up.</summary>
    ApplicationNotStarting,

    /// <summary>Category C: targets are not registered, or the load balancer cannot reach them.</summary>
    NetworkInfrastructure,

    /// <summary>Something is wrong but the facts fit no category.</summary>
    Undetermined,

    /// <summary>The service looks healthy but its load balancer answers users 502, 503 or 504 (runbook 004, Get-LoadBalancerHealth).</summary>
    LoadBalancer,
}

/// <summary>The outcome of one runbook check.</summary>
public enum CheckOutcome
{
    Pass,
    Warning,
    Fail,
    Skipped,
}

/// <summary>One runbook check: prerequisites, health-check path, target health, service stability, endpoint.</summary>
public sealed class HealthCheckResult
{
    public HealthCheckResult(string name, CheckOutcome outcome, string message)
    {
        Name = name;
        OutcomeKind = outcome;
        Message = message;
    }

    public string Name { get; }

    /// <summary>A <see cref="CheckOutcome"/> name: Pass, Warning, Fail or Skipped (text, so JSON and CSV show the name).</summary>
    public string Outcome => OutcomeKind.ToString();

    internal CheckOutcome OutcomeKind { get; }

    public string Message { get; }

    /// <summary>The same result with secrets taken out of its message.</summary>
    public HealthCheckResult Redacted(SecretRedactor redactor) => new(Name, OutcomeKind, redactor.Redact(Message));

    public override string ToString() => $"[{Outcome}] {Name}: {Message}";
}

/// <summary>Where a piece of evidence comes from.</summary>
public enum EvidenceSource
{
    TargetHealth,
    HealthCheckPath,
    ServiceEvent,
    Deployment,
    StoppedTask,
    ApplicationLog,
    SecurityGroup,
    PortMapping,
    TaskCount,
    Endpoint,

    /// <summary>A fact that could not be read (throttled past the retries, access denied...): the verdict is incomplete.</summary>
    NotRead,

    /// <summary>A hop of the tasks' network path that fails (Test-EcsNetworkPath's analysis).</summary>
    NetworkPath,
    /// <summary>A running task's startup phases, read from its log.</summary>
    StartupSequence,

    /// <summary>A cause of the 5xx the service's load balancer answers users (Get-LoadBalancerHealth's analysis).</summary>
    LoadBalancer,
}

/// <summary>A fact that decided the category, e.g. a reason code, an exit code, a log line.</summary>
public sealed class HealthEvidence
{
    public HealthEvidence(EvidenceSource source, string resource, string detail)
    {
        SourceKind = source;
        Resource = resource;
        Detail = detail;
    }

    /// <summary>An <see cref="EvidenceSource"/> name, e.g. TargetHealth (text, so JSON and CSV show the name).</summary>
    public string Source => SourceKind.ToString();

    internal EvidenceSource SourceKind { get; }

    /// <summary>The resource the fact is about: a target, a task, a security group, a log stream.</summary>
    public string Resource { get; }

    public string Detail { get; }

    /// <summary>The same evidence with secrets taken out of its resource and detail.</summary>
    public HealthEvidence Redacted(SecretRedactor redactor) => new(SourceKind, redactor.Redact(Resource), redactor.Redact(Detail));

    /// <summary>The line a report shows: "TargetHealth: 2 target(s) unhealthy: ...", or "Not read: ..." for a gap.</summary>
    public override string ToString() => SourceKind == EvidenceSource.NotRead ? Detail : $"{Source}: {Detail}";
}

/// <summary>A registered target and its health, as DescribeTargetHealth reports it.</summary>
public sealed class TargetHealthInfo
{
    public string Id { get; init; } = "";

    public int Port { get; init; }

    public string? AvailabilityZone { get; init; }

    /// <summary>initial, healthy, unhealthy, unused, draining or unavailable.</summary>
    public string State { get; init; } = "";

    /// <summary>e.g. Target.ResponseCodeMismatch, Target.Timeout.</summary>
    public string? Reason { get; init; }

    /// <summary>e.g. "Health checks failed with these codes: [404]".</summary>
    public string? Description { get; init; }

    public override string ToString() => $"{Id}:{Port} {State}" + (Reason is null ? "" : $" ({Reason})");
}

/// <summary>A target group with its health-check settings and its targets.</summary>
public sealed record TargetGroupHealth
{
    public string TargetGroupArn { get; init; } = "";

    public string TargetGroupName { get; init; } = "";

    public string Protocol { get; init; } = "";

    public int Port { get; init; }

    public string HealthCheckProtocol { get; init; } = "";

    public string HealthCheckPort { get; init; } = "";

    public string HealthCheckPath { get; init; } = "";

    public string Matcher { get; init; } = "";

    public int IntervalSeconds { get; init; }

    public int TimeoutSeconds { get; init; }

    public int HealthyThreshold { get; init; }

    public int UnhealthyThreshold { get; init; }

    public PrintableList<string> LoadBalancerArns { get; init; } = PrintableList<string>.Empty;

    public PrintableList<TargetHealthInfo> Targets { get; init; } = PrintableList<TargetHealthInfo>.Empty;

    public int HealthyCount { get; init; }

    public int UnhealthyCount { get; init; }

    public override string ToString() => $"{TargetGroupName} {HealthCheckPath} ({HealthyCount}/{Targets.Count} healthy)";
}

/// <summary>An ECS deployment of the service.</summary>
public sealed class DeploymentInfo
{
    public string Id { get; init; } = "";

    /// <summary>PRIMARY, ACTIVE or INACTIVE.</summary>
    public string Status { get; init; } = "";

    public string TaskDefinition { get; init; } = "";

    /// <summary>IN_PROGRESS, COMPLETED or FAILED.</summary>
    public string? RolloutState { get; init; }

    public string? RolloutStateReason { get; init; }

    public int DesiredCount { get; init; }

    public int RunningCount { get; init; }

    public int PendingCount { get; init; }

    public int FailedTasks { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public override string ToString() => $"{Status} {Id} {RolloutState} {RunningCount}/{DesiredCount}";
}

/// <summary>A service event (newest first in a report).</summary>
public sealed class ServiceEventInfo
{
    public DateTimeOffset CreatedAt { get; init; }

    public string Message { get; init; } = "";

    public override string ToString() => $"{CreatedAt:u} {Message}";
}

/// <summary>A task that stopped, with why.</summary>
public sealed class StoppedTaskInfo
{
    public string TaskArn { get; init; } = "";

    public string TaskDefinition { get; init; } = "";

    public string? StartedBy { get; init; }

    public string? StopCode { get; init; }

    public string? StoppedReason { get; init; }

    public string? ContainerName { get; init; }

    public int? ExitCode { get; init; }

    public string? ContainerReason { get; init; }

    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>The report's view of a stopped task: its failing container's exit code and reason, secrets taken out.</summary>
    public static StoppedTaskInfo From(EcsTask task, SecretRedactor redactor)
    {
        var container = task.FailingContainer;
        return new StoppedTaskInfo
        {
            TaskArn = task.Arn,
            TaskDefinition = task.TaskDefinitionArn ?? "",
            StartedBy = task.StartedBy,
            StopCode = task.StopCode,
            StoppedReason = redactor.RedactOptional(task.StoppedReason),
            ContainerName = container?.Name,
            ExitCode = container?.ExitCode,
            ContainerReason = redactor.RedactOptional(container?.Reason),
            StoppedAt = task.StoppedAt,
        };
    }

    public override string ToString() => $"{TaskArn} {StopCode}: {StoppedReason}" + (ExitCode is null ? "" : $" (exit {ExitCode})");
}

/// <summary>
/// One service's health, as runbook 000 steps 1 and 2 establish it: status, root-cause category,
/// the evidence that decided it, the checks, and the facts behind them. Properties named like
/// cmdlet parameters (Cluster, Service, TargetGroupArn, Region, EndpointUrl, ProfileName) let the
/// report pipe into the next cmdlet.
/// </summary>
public sealed class DeploymentHealthReport
{
    public string Cluster { get; init; } = "";

    public string Service { get; init; } = "";

    public string? Environment { get; init; }

    /// <summary>A <see cref="HealthStatus"/> name: Healthy, Warning, Error or Unknown (text, so JSON and CSV show the name).</summary>
    public string Status { get; init; } = "";

    /// <summary>False when some facts could not be read (Evidence with Source NotRead): the verdict is incomplete, never Healthy.</summary>
    public bool Complete { get; init; } = true;

    /// <summary>A <see cref="RootCauseCategory"/> name, e.g. HealthCheckMismatch (text, so JSON and CSV show the name).</summary>
    public string Category { get; init; } = "";

    /// <summary>
    /// In category B, what the tasks fail with: a <see cref="TaskFailures.TaskFailureCause"/> name such as OutOfMemory,
    /// ImageNotFound, SecretNotFound, ApplicationExit or StartupIncomplete (Get-EcsTaskFailure has every cause); else null.
    /// </summary>
    public string? SubCause { get; init; }

    public PrintableList<HealthEvidence> Evidence { get; init; } = PrintableList<HealthEvidence>.Empty;

    /// <summary>The runbook step and the cmdlet to run next.</summary>
    public string RecommendedAction { get; init; } = "";

    public PrintableList<HealthCheckResult> Checks { get; init; } = PrintableList<HealthCheckResult>.Empty;

    public PrintableList<TargetGroupHealth> TargetGroups { get; init; } = PrintableList<TargetGroupHealth>.Empty;

    /// <summary>The ARNs of <see cref="TargetGroups"/>, so a report binds to -TargetGroupArn.</summary>
    public PrintableList<string> TargetGroupArn { get; init; } = PrintableList<string>.Empty;

    public PrintableList<DeploymentInfo> Deployments { get; init; } = PrintableList<DeploymentInfo>.Empty;

    public string? TaskDefinition { get; init; }

    public int RunningCount { get; init; }

    public int DesiredCount { get; init; }

    public int PendingCount { get; init; }

    public PrintableList<ServiceEventInfo> RecentEvents { get; init; } = PrintableList<ServiceEventInfo>.Empty;

    public PrintableList<StoppedTaskInfo> StoppedTasks { get; init; } = PrintableList<StoppedTaskInfo>.Empty;

    public DateTimeOffset CheckedAt { get; init; }

    public string Region { get; init; } = "";

    /// <summary>The endpoint override used, when there was one (a sandbox); binds to -EndpointUrl.</summary>
    public string? EndpointUrl { get; init; }

    /// <summary>The named profile used, when there was one; binds to -ProfileName.</summary>
    public string? ProfileName { get; init; }

    public override string ToString() => $"{Cluster}/{Service}: {Status} ({Category}{(SubCause is null ? "" : $": {SubCause}")})";
}
