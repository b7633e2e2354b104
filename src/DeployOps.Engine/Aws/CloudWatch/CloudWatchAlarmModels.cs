using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.CloudWatch;

/// <summary>The states of a CloudWatch alarm (<c>StateValue</c>).</summary>
public static class CloudWatchAlarmState
{
    public const string Ok = "OK";
    public const string Alarm = "ALARM";
    public const string InsufficientData = "INSUFFICIENT_DATA";
}

/// <summary>A metric alarm (<c>MetricAlarm</c>): what it watches, its state and the actions it takes.</summary>
public sealed record CloudWatchAlarm
{
    /// <summary><c>AlarmName</c>.</summary>
    public string AlarmName { get; init; } = string.Empty;

    /// <summary><c>AlarmArn</c>.</summary>
    public string? AlarmArn { get; init; }

    /// <summary><c>StateValue</c>: OK, ALARM or INSUFFICIENT_DATA.</summary>
    public string StateValue { get; init; } = string.Empty;

    /// <summary><c>StateReason</c>.</summary>
    public string? StateReason { get; init; }

    /// <summary><c>StateUpdatedTimestamp</c>.</summary>
    public DateTimeOffset? StateUpdatedTimestamp { get; init; }

    /// <summary><c>ActionsEnabled</c>: false means no action runs on any state change.</summary>
    public bool ActionsEnabled { get; init; } = true;

    /// <summary><c>AlarmActions</c>: ARNs run on a change to ALARM (SNS topics, Auto Scaling policies...).</summary>
    public IReadOnlyList<string> AlarmActions { get; init; } = Array.Empty<string>();

    /// <summary><c>OKActions</c>.</summary>
    public IReadOnlyList<string> OkActions { get; init; } = Array.Empty<string>();

    /// <summary><c>Namespace</c>.</summary>
    public string? Namespace { get; init; }

    /// <summary><c>MetricName</c>.</summary>
    public string? MetricName { get; init; }

    /// <summary><c>Dimensions</c>.</summary>
    public IReadOnlyList<CloudWatchDimension> Dimensions { get; init; } = Array.Empty<CloudWatchDimension>();

    /// <summary><c>Statistic</c>.</summary>
    public string? Statistic { get; init; }

    /// <summary><c>ComparisonOperator</c>, e.g. GreaterThanThreshold.</summary>
    public string? ComparisonOperator { get; init; }

    /// <summary><c>Threshold</c>.</summary>
    public double? Threshold { get; init; }

    /// <summary><c>Period</c> in seconds.</summary>
    public int? PeriodSeconds { get; init; }

    /// <summary><c>EvaluationPeriods</c>.</summary>
    public int? EvaluationPeriods { get; init; }

    /// <summary>The value of dimension <paramref name="name"/>, or null.</summary>
    public string? Dimension(string name) => Dimensions.FirstOrDefault(d => d.Name == name)?.Value;

    internal static CloudWatchAlarm Read(XElement e) => new()
    {
        AlarmName = e.Text("AlarmName") ?? string.Empty,
        AlarmArn = e.Text("AlarmArn"),
        StateValue = e.Text("StateValue") ?? string.Empty,
        StateReason = e.Text("StateReason"),
        StateUpdatedTimestamp = e.Timestamp("StateUpdatedTimestamp"),
        ActionsEnabled = e.Bool("ActionsEnabled") ?? true,
        AlarmActions = e.Strings("AlarmActions"),
        OkActions = e.Strings("OKActions"),
        Namespace = e.Text("Namespace"),
        MetricName = e.Text("MetricName"),
        Dimensions = e.List("Dimensions", CloudWatchDimension.Read),
        Statistic = e.Text("Statistic"),
        ComparisonOperator = e.Text("ComparisonOperator"),
        Threshold = e.Double("Threshold"),
        PeriodSeconds = e.Int("Period"),
        EvaluationPeriods = e.Int("EvaluationPeriods"),
    };
}

/// <summary>One entry of an alarm's history (<c>AlarmHistoryItem</c>).</summary>
public sealed record CloudWatchAlarmHistoryItem
{
    /// <summary>The <c>HistoryItemType</c> of a change of state.</summary>
    public const string StateUpdate = "StateUpdate";

    /// <summary><c>AlarmName</c>.</summary>
    public string AlarmName { get; init; } = string.Empty;

    /// <summary><c>Timestamp</c>.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary><c>HistoryItemType</c>: ConfigurationUpdate, StateUpdate, Action, AlarmContributorStateUpdate...</summary>
    public string HistoryItemType { get; init; } = string.Empty;

    /// <summary><c>HistorySummary</c>, e.g. "Alarm updated from OK to ALARM".</summary>
    public string? HistorySummary { get; init; }

    /// <summary>The state a StateUpdate moved to (<c>HistoryData</c>'s <c>newState.stateValue</c>), or null.</summary>
    public string? NewState { get; init; }

    internal static CloudWatchAlarmHistoryItem Read(XElement e) => new()
    {
        AlarmName = e.Text("AlarmName") ?? string.Empty,
        Timestamp = e.Timestamp("Timestamp") ?? DateTimeOffset.MinValue,
        HistoryItemType = e.Text("HistoryItemType") ?? string.Empty,
        HistorySummary = e.Text("HistorySummary"),
        NewState = NewStateOf(e.Text("HistoryData")),
    };

    /// <summary><c>newState.stateValue</c> of a StateUpdate's HistoryData (a JSON document), or null when it has none.</summary>
    private static string? NewStateOf(string? historyData)
    {
        if (string.IsNullOrEmpty(historyData))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(historyData!);
            return document.RootElement.Member("newState")?.String("stateValue");
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
