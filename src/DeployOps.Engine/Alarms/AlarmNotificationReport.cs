using System;
using System.Collections.Generic;
using DeployOps.Operations;

namespace DeployOps.Alarms;

/// <summary>What Test-AlarmNotification asks: which alarms (by name, or those on a service, load balancer or database) and the window for flaps.</summary>
public sealed record AlarmNotificationQuery
{
    /// <summary>A day: long enough to see an alarm that flaps on a daily load pattern.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(24);

    /// <summary>An alarm that went to ALARM this many times in the window flaps.</summary>
    public const int DefaultFlapThreshold = 3;

    /// <summary>Alarm names; with no name and no resource, every metric alarm of the region.</summary>
    public IReadOnlyList<string> AlarmNames { get; init; } = Array.Empty<string>();

    /// <summary>The ECS cluster whose alarms (dimension ClusterName) to test.</summary>
    public string? Cluster { get; init; }

    /// <summary>The ECS service (dimension ServiceName, with <see cref="Cluster"/>).</summary>
    public string? Service { get; init; }

    /// <summary>The load balancer (name or ARN; dimension LoadBalancer).</summary>
    public string? LoadBalancer { get; init; }

    /// <summary>The Aurora cluster (dimension DBClusterIdentifier).</summary>
    public string? DatabaseCluster { get; init; }

    public TimeSpan? Since { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    public int FlapThreshold { get; init; } = DefaultFlapThreshold;

    /// <summary>True when the query names a resource (not only alarm names).</summary>
    public bool NamesResource => Cluster is not null || Service is not null || LoadBalancer is not null || DatabaseCluster is not null;

    /// <summary>The window at <paramref name="now"/>; throws InvalidTimeWindow for contradictory parameters.</summary>
    public TimeWindow Window(DateTimeOffset now) => TimeWindow.Resolve(Since, StartTime, EndTime, now, DefaultWindow);
}

/// <summary>How an alarm's notifications stand.</summary>
internal enum AlarmNotificationStatus
{
    /// <summary>Its actions are enabled and every topic has a confirmed subscription; it does not flap.</summary>
    Pass,

    /// <summary>It notifies, but flaps: likely false positives.</summary>
    Warning,

    /// <summary>A notification would not reach anyone: actions disabled, no topic, a missing topic, no or only pending subscriptions.</summary>
    Fail,

    /// <summary>Part of it could not be read and nothing failed.</summary>
    Unknown,
}

/// <summary>What keeps an alarm's notification from reaching people, or makes it noise.</summary>
internal enum AlarmFindingKind
{
    ActionsDisabled,
    NoNotification,
    TopicMissing,
    NoSubscriptions,
    PendingConfirmation,
    Flapping,
}

/// <summary>One finding on an alarm, with its evidence and the fix.</summary>
public sealed class AlarmFinding
{
    internal AlarmFindingKind FindingKind { get; init; }

    /// <summary>ActionsDisabled, NoNotification, TopicMissing, NoSubscriptions, PendingConfirmation or Flapping.</summary>
    public string Kind => FindingKind.ToString();

    public string Evidence { get; init; } = "";

    public string Fix { get; init; } = "";

    public override string ToString() => $"{Kind}: {Evidence}";
}

/// <summary>An SNS topic an alarm notifies, and who would hear it.</summary>
public sealed class AlarmTopic
{
    public string TopicArn { get; init; } = "";

    public string Topic { get; init; } = "";

    /// <summary>False when SNS says the topic does not exist; null when it could not be read.</summary>
    public bool? Exists { get; init; }

    public int Confirmed { get; init; }

    /// <summary>The subscriptions still pending confirmation, as "protocol endpoint" (secrets in endpoints taken out).</summary>
    public PrintableList<string> PendingConfirmation { get; init; } = PrintableList<string>.Empty;

    public override string ToString() =>
        Exists == false ? $"{Topic}: does not exist" : Exists is null ? $"{Topic}: not read" : $"{Topic}: {Confirmed} confirmed, {PendingConfirmation.Count} pending";
}

/// <summary>
/// Test-AlarmNotification's report for one alarm (runbook 004 "Missing alarm notifications" and "False positive
/// alarms"): its state, whether its actions are enabled, its SNS topics' subscriptions, how often it went to ALARM in
/// the window, and the findings with their fixes.
/// </summary>
public sealed class AlarmNotificationReport
{
    public string AlarmName { get; init; } = "";

    /// <summary>What it watches, from its dimensions: "ECS service cluster/service", "load balancer app/name/id", "DB cluster id"...</summary>
    public string Resource { get; init; } = "";

    /// <summary>"AWS/ECS CPUUtilization Average > 80 for 2 x 300 s".</summary>
    public string Condition { get; init; } = "";

    /// <summary>OK, ALARM or INSUFFICIENT_DATA.</summary>
    public string State { get; init; } = "";

    public bool ActionsEnabled { get; init; }

    internal AlarmNotificationStatus Verdict { get; init; }

    /// <summary>Pass, Warning, Fail or Unknown.</summary>
    public string Status => Verdict.ToString();

    /// <summary>How many times it went to ALARM in the window; null when its history could not be read.</summary>
    public int? Flaps { get; init; }

    public DateTimeOffset StartTime { get; init; }

    public DateTimeOffset EndTime { get; init; }

    public PrintableList<AlarmTopic> Topics { get; init; } = PrintableList<AlarmTopic>.Empty;

    public PrintableList<AlarmFinding> Findings { get; init; } = PrintableList<AlarmFinding>.Empty;

    public bool Complete { get; init; } = true;

    public PrintableList<string> NotRead { get; init; } = PrintableList<string>.Empty;

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{AlarmName}: {Status} ({State}, {(ActionsEnabled ? "actions enabled" : "actions disabled")}, {Flaps?.ToString() ?? "?"} flaps)";
}
