using System;
using DeployOps.Operations;

namespace DeployOps.TaskFailures;

/// <summary>Stopped tasks (or placement failures) that share one cause: how many, when, an example, the evidence and the fix.</summary>
public sealed class TaskFailureGroup
{
    /// <summary>A <see cref="TaskFailureCause"/> name, e.g. SecretNotFound (text, so JSON and CSV show the name).</summary>
    public string Cause => CauseKind.ToString();

    internal TaskFailureCause CauseKind { get; init; }

    /// <summary>A <see cref="TaskFailureFamily"/> name, e.g. Secret.</summary>
    public string Family => TaskFailureClassifier.FamilyOf(CauseKind).ToString();

    /// <summary>False for stops ECS or a person asked for: "not a failure".</summary>
    public bool IsFailure => CauseKind != TaskFailureCause.NotAFailure;

    /// <summary>How many stopped tasks (or service events, for placement failures) have this cause in the window.</summary>
    public int Count { get; init; }

    /// <summary>When the first and the last of them stopped (or the event came).</summary>
    public DateTimeOffset? FirstAt { get; init; }

    public DateTimeOffset? LastAt { get; init; }

    /// <summary>The most recent task with this cause (its id), or null for placement failures, which have no task.</summary>
    public string? ExampleTask { get; init; }

    /// <summary>Its ARN.</summary>
    public string? ExampleTaskArn { get; init; }

    /// <summary>Its task definition (family:revision).</summary>
    public string? TaskDefinition { get; init; }

    /// <summary>The container that explains the stop.</summary>
    public string? Container { get; init; }

    /// <summary>Its exit code, and what that means.</summary>
    public int? ExitCode { get; init; }

    public string? ExitCodeMeaning { get; init; }

    /// <summary>ECS's words: the stoppedReason and the container's reason (or the service event), secrets taken out.</summary>
    public string Reason { get; init; } = "";

    /// <summary>What DeployOps read to explain it: limits, the secret's name, free IPs, health-check settings, target health.</summary>
    public PrintableList<string> Evidence { get; init; } = PrintableList<string>.Empty;

    /// <summary>The example task's last log lines, oldest first, secrets taken out (read once per cause).</summary>
    public PrintableList<string> LogLines { get; init; } = PrintableList<string>.Empty;

    /// <summary>What to do about it.</summary>
    public string Fix { get; init; } = "";

    public override string ToString() => $"{Cause} x{Count}: {Reason}";
}

/// <summary>
/// Why a service's tasks stopped in a window (runbook 000 step 3B, 004 "tasks failing to start" and "tasks restarting"):
/// the stopped tasks grouped by cause, failures first, and the churn. Properties named like cmdlet parameters (Cluster,
/// Service, Region, EndpointUrl, ProfileName) let it pipe into the next cmdlet.
/// </summary>
public sealed class EcsTaskFailureReport
{
    public string Cluster { get; init; } = "";

    /// <summary>The service; for tasks that belong to none, their ECS group (e.g. family:web).</summary>
    public string Service { get; init; } = "";

    public string? Environment { get; init; }

    /// <summary>The window looked at.</summary>
    public DateTimeOffset StartTime { get; init; }

    public DateTimeOffset EndTime { get; init; }

    /// <summary>Churn: tasks created in the window, and tasks that stopped in it.</summary>
    public int TasksStarted { get; init; }

    public int TasksStopped { get; init; }

    /// <summary>Stopped tasks (and placement failures) whose cause is a failure.</summary>
    public int TasksFailed { get; init; }

    /// <summary>Tasks running now.</summary>
    public int TasksRunning { get; init; }

    /// <summary>One line: how many failed, of what.</summary>
    public string Summary { get; init; } = "";

    /// <summary>The causes, failures first (most frequent first), then stops that are not failures.</summary>
    public PrintableList<TaskFailureGroup> Causes { get; init; } = PrintableList<TaskFailureGroup>.Empty;

    /// <summary>False when some facts could not be read (see <see cref="NotRead"/>): the causes may be incomplete.</summary>
    public bool Complete { get; init; } = true;

    /// <summary>What could not be read, and why.</summary>
    public PrintableList<string> NotRead { get; init; } = PrintableList<string>.Empty;

    public DateTimeOffset CheckedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{Cluster}/{Service}: {Summary}";
}
