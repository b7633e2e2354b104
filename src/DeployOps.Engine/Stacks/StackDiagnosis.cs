using System;
using DeployOps.Aws.Rds;
using DeployOps.Facts;
using DeployOps.Health;
using DeployOps.Operations;

namespace DeployOps.Stacks;

/// <summary>A resource CloudFormation is working on, against how long its type usually takes.</summary>
public sealed class CfnResourceProgress
{
    public string LogicalResourceId { get; init; } = "";

    public string ResourceType { get; init; } = "";

    public string? PhysicalResourceId { get; init; }

    /// <summary>Its status, e.g. CREATE_IN_PROGRESS.</summary>
    public string Status { get; init; } = "";

    public DateTimeOffset? InProgressSince { get; init; }

    public TimeSpan TimeInProgress { get; init; }

    /// <summary>Its type's usual duration for the action (typical), from the deployment history or DeployOps' defaults.</summary>
    public TimeSpan UsualDuration { get; init; }

    /// <summary>The longest it took before (the top of the usual range).</summary>
    public TimeSpan UsualLongest { get; init; }

    /// <summary>"history (8 samples)" or "DeployOps default (no history)".</summary>
    public string UsualSource { get; init; } = "";

    /// <summary>True when it has been in progress longer than it ever took.</summary>
    public bool Overdue { get; init; }

    public override string ToString() =>
        $"{LogicalResourceId} ({ResourceType}) {Status} for {Minutes(TimeInProgress)} min, usually {Minutes(UsualDuration)} min{(Overdue ? " (overdue)" : "")}";

    internal static string Minutes(TimeSpan span) => span.TotalMinutes.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What is known about a resource a stack waits on (or that failed): its RDS, ECS or custom resource side.</summary>
public sealed class CfnStuckResourceFinding
{
    public string LogicalResourceId { get; init; } = "";

    public string ResourceType { get; init; } = "";

    public string? PhysicalResourceId { get; init; }

    /// <summary>Database, EcsService or CustomResource.</summary>
    public string Kind { get; init; } = "";

    /// <summary>One line: what the service says about it.</summary>
    public string Summary { get; init; } = "";

    /// <summary>The lines that explain it (RDS events, free addresses, the ECS analysis, the function's log lines).</summary>
    public PrintableList<string> Details { get; init; } = PrintableList<string>.Empty;

    /// <summary>For a database: its RDS status (creating, available, failed...).</summary>
    public string? DatabaseStatus { get; init; }

    /// <summary>For a database: its RDS events over the last hour, oldest first.</summary>
    public PrintableList<RdsEvent> DatabaseEvents { get; init; } = PrintableList<RdsEvent>.Empty;

    /// <summary>For a database: the subnets of its subnet group, with their free addresses.</summary>
    public PrintableList<DatabaseSubnet> Subnets { get; init; } = PrintableList<DatabaseSubnet>.Empty;

    /// <summary>For an ECS service: the ECS analysis's report.</summary>
    public DeploymentHealthReport? EcsReport { get; init; }

    /// <summary>For a custom resource: the ServiceToken's function.</summary>
    public string? FunctionName { get; init; }

    /// <summary>For a custom resource: the function's log group (/aws/lambda/NAME).</summary>
    public string? LogGroup { get; init; }

    /// <summary>For a custom resource: its function's recent log lines (redacted).</summary>
    public PrintableList<string> LogLines { get; init; } = PrintableList<string>.Empty;

    public override string ToString() => $"{LogicalResourceId}: {Summary}";
}

/// <summary>
/// Get-CfnStackDiagnosis's report (runbook 001, "CloudFormation stack stuck" and "RDS creation timeout"): the stack's
/// status and how long it has been in it, the time since its last event, the resources in progress against their usual
/// durations, the root cause (the first failure, not the cascade), what the stuck resources' services say, and the legal
/// next actions as exact commands.
/// </summary>
public sealed class CfnStackDiagnosis
{
    /// <summary>In a status for this long while in progress is the runbook's "stuck" symptom (40+ minutes).</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(40);

    /// <summary>No stack event for this long while in progress is the runbook's "no new events" symptom (15+ minutes).</summary>
    public static readonly TimeSpan QuietAfter = TimeSpan.FromMinutes(15);

    public string StackName { get; init; } = "";

    public string StackId { get; init; } = "";

    public string Status { get; init; } = "";

    public string? StatusReason { get; init; }

    /// <summary>When the stack entered its status (its last stack event of that status).</summary>
    public DateTimeOffset? StatusSince { get; init; }

    public TimeSpan? TimeInStatus { get; init; }

    public DateTimeOffset? LastEventAt { get; init; }

    public TimeSpan? TimeSinceLastEvent { get; init; }

    /// <summary>One line: the status, the symptom, the root cause or the stuck resource, and what to do.</summary>
    public string Summary { get; init; } = "";

    /// <summary>Runbook 001's symptoms that apply (stuck 40+ minutes, no events 15+ minutes, a resource overdue).</summary>
    public PrintableList<string> Symptoms { get; init; } = PrintableList<string>.Empty;

    public PrintableList<CfnResourceProgress> InProgress { get; init; } = PrintableList<CfnResourceProgress>.Empty;

    /// <summary>The first failure of the current operation (null when nothing failed).</summary>
    public CfnStackFailure? RootCause { get; init; }

    /// <summary>The first failure once it began rolling back: why the rollback failed (null when it did not).</summary>
    public CfnStackFailure? RollbackFailure { get; init; }

    /// <summary>What the services say about the stuck (or failed) RDS, ECS and custom resources.</summary>
    public PrintableList<CfnStuckResourceFinding> Findings { get; init; } = PrintableList<CfnStuckResourceFinding>.Empty;

    /// <summary>The legal actions in the current status, as exact commands.</summary>
    public PrintableList<CfnStackAction> LegalActions { get; init; } = PrintableList<CfnStackAction>.Empty;

    /// <summary>In UPDATE_ROLLBACK_FAILED: the resources ContinueUpdateRollback may skip (Nested.LogicalId for nested ones).</summary>
    public PrintableList<string> ResourcesToSkip { get; init; } = PrintableList<string>.Empty;

    /// <summary>In DELETE_FAILED: the resources that could not be deleted (what RetainResources keeps).</summary>
    public PrintableList<string> RetainResources { get; init; } = PrintableList<string>.Empty;

    /// <summary>What could not be read; a report with gaps is incomplete.</summary>
    public PrintableList<string> Gaps { get; init; } = PrintableList<string>.Empty;

    public bool Complete => Gaps.Count == 0;

    public DateTimeOffset CheckedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{StackName}: {Summary}";
}
