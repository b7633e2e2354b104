using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeployOps.Aws;
using DeployOps.Aws.CloudWatch;
using DeployOps.Aws.Sns;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.Alarms;

/// <summary>The classifier's answer for one alarm.</summary>
internal sealed record AlarmVerdict(AlarmNotificationStatus Status, int? Flaps, IReadOnlyList<AlarmTopic> Topics, IReadOnlyList<AlarmFinding> Findings);

/// <summary>
/// Whether an alarm's notification reaches people (runbook 004 "Missing alarm notifications": actions enabled, an SNS
/// topic, a confirmed subscription) and whether it is noise ("False positive alarms": how often it went to ALARM in the
/// window). Pure: no AWS.
/// </summary>
internal static class AlarmClassifier
{
    /// <summary>True for an SNS topic ARN (alarm actions may also be Auto Scaling, EC2 or Systems Manager ARNs).</summary>
    public static bool IsTopic(string actionArn) => actionArn.StartsWith("arn:", StringComparison.Ordinal) && actionArn.Split(':').ElementAtOrDefault(2) == "sns";

    /// <summary>What the alarm watches, from its dimensions.</summary>
    public static string Resource(CloudWatchAlarm alarm) =>
        alarm.Dimension("ClusterName") is { } cluster
            ? alarm.Dimension("ServiceName") is { } service ? $"ECS service {cluster}/{service}" : $"ECS cluster {cluster}"
            : alarm.Dimension("TargetGroup") is { } group ? $"target group {group}"
            : alarm.Dimension("LoadBalancer") is { } balancer ? $"load balancer {balancer}"
            : alarm.Dimension("DBClusterIdentifier") is { } database ? $"DB cluster {database}"
            : alarm.Dimension("DBInstanceIdentifier") is { } instance ? $"DB instance {instance}"
            : alarm.Dimensions.Count > 0 ? string.Join(", ", alarm.Dimensions.Select(d => $"{d.Name}={d.Value}"))
            : $"{alarm.Namespace} {alarm.MetricName}";

    /// <summary>"AWS/ECS CPUUtilization Average > 80 for 2 x 300 s".</summary>
    public static string Condition(CloudWatchAlarm alarm) => FormattableString.Invariant(
        $"{alarm.Namespace} {alarm.MetricName} {alarm.Statistic} {Operator(alarm.ComparisonOperator)} {alarm.Threshold} for {alarm.EvaluationPeriods} x {alarm.PeriodSeconds} s");

    public static AlarmVerdict Classify(
        CloudWatchAlarm alarm,
        Fact<IReadOnlyList<CloudWatchAlarmHistoryItem>> history,
        IReadOnlyDictionary<string, Fact<IReadOnlyList<SnsSubscription>>> subscriptions,
        TimeWindow window,
        int flapThreshold,
        Func<string, string> redact)
    {
        var findings = new List<AlarmFinding>();
        var name = alarm.AlarmName;
        if (!alarm.ActionsEnabled)
        {
            findings.Add(new AlarmFinding
            {
                FindingKind = AlarmFindingKind.ActionsDisabled,
                Evidence = $"Alarm {name} has its actions disabled: a change to ALARM notifies nobody.",
                Fix = $"aws cloudwatch enable-alarm-actions --alarm-names \"{name}\" (and actions_enabled = true in modules/alarms/main.tf).",
            });
        }

        var topicArns = alarm.AlarmActions.Where(IsTopic).Distinct(StringComparer.Ordinal).ToList();
        if (topicArns.Count == 0)
        {
            findings.Add(new AlarmFinding
            {
                FindingKind = AlarmFindingKind.NoNotification,
                Evidence = $"Alarm {name} has no SNS topic among its alarm actions{(alarm.AlarmActions.Count == 0 ? "" : $" ({string.Join(", ", alarm.AlarmActions)})")}.",
                Fix = $"Add the alarms topic to alarm_actions of {name} in modules/alarms/main.tf (terraform output -raw alarms_sns_topic_arn), then terraform apply -target=module.alarms.",
            });
        }

        var topics = new List<AlarmTopic>();
        foreach (var arn in topicArns)
        {
            var topicName = AwsArn.ColonResource(arn);
            var read = subscriptions.TryGetValue(arn, out var fact) ? fact : Fact<IReadOnlyList<SnsSubscription>>.Unread(new Gap($"subscriptions of SNS topic {topicName}", "not asked"));
            var all = read.ValueOr(null) ?? Array.Empty<SnsSubscription>();
            var pending = all.Where(s => s.IsPendingConfirmation).Select(s => $"{s.Protocol} {redact(s.Endpoint)}").ToList();
            var confirmed = all.Count(s => !s.IsPendingConfirmation);
            topics.Add(new AlarmTopic
            {
                TopicArn = arn,
                Topic = topicName,
                Exists = read.IsRead ? true : read.Absent ? false : null,
                Confirmed = confirmed,
                PendingConfirmation = pending.ToPrintableList(),
            });
            if (read.Absent)
            {
                findings.Add(new AlarmFinding
                {
                    FindingKind = AlarmFindingKind.TopicMissing,
                    Evidence = $"Alarm {name} notifies SNS topic {topicName}, which does not exist.",
                    Fix = $"Create the topic (terraform apply -target=module.alarms) or point alarm_actions of {name} at the existing alarms topic.",
                });
            }
            else if (read.IsRead && all.Count == 0)
            {
                findings.Add(new AlarmFinding
                {
                    FindingKind = AlarmFindingKind.NoSubscriptions,
                    Evidence = $"SNS topic {topicName} has no subscription: alarm {name} notifies nobody.",
                    Fix = $"aws sns subscribe --topic-arn {arn} --protocol email --notification-endpoint <on-call address>, then confirm from the email.",
                });
            }

            if (pending.Count > 0)
            {
                findings.Add(new AlarmFinding
                {
                    FindingKind = AlarmFindingKind.PendingConfirmation,
                    Evidence = FormattableString.Invariant(
                        $"SNS topic {topicName}: {pending.Count} subscription{(pending.Count == 1 ? "" : "s")} pending confirmation ({string.Join(", ", pending)}), {confirmed} confirmed; nothing is delivered to a pending one."),
                    Fix = $"Confirm from the link SNS emailed to each pending endpoint (or subscribe it again: aws sns subscribe --topic-arn {arn} ...), then test with aws sns publish --topic-arn {arn} --subject \"Test Alarm\" --message \"Test alarm notification\".",
                });
            }
        }

        var flaps = history.IsRead ? history.Value.Count(i => i.NewState == CloudWatchAlarmState.Alarm && window.Contains(i.Timestamp)) : (int?)null;
        if (flaps >= flapThreshold)
        {
            findings.Add(new AlarmFinding
            {
                FindingKind = AlarmFindingKind.Flapping,
                Evidence = FormattableString.Invariant($"Alarm {name} went to ALARM {flaps} times in {window} ({Condition(alarm)}): likely false positives."),
                Fix = FormattableString.Invariant(
                    $"Raise the threshold ({alarm.Threshold} now) or the evaluation periods ({alarm.EvaluationPeriods} now, or datapoints_to_alarm) in modules/alarms/main.tf and terraform apply -target=module.alarms; meanwhile aws cloudwatch disable-alarm-actions --alarm-names \"{name}\"."),
            });
        }

        var complete = history.IsRead && topics.All(t => t.Exists is not null);
        var status = findings.Any(f => f.FindingKind != AlarmFindingKind.Flapping)
            ? AlarmNotificationStatus.Fail
            : !complete ? AlarmNotificationStatus.Unknown
            : findings.Count > 0 ? AlarmNotificationStatus.Warning
            : AlarmNotificationStatus.Pass;
        return new AlarmVerdict(status, flaps, topics, findings);
    }

    private static string Operator(string? comparison) => comparison switch
    {
        "GreaterThanThreshold" => ">",
        "GreaterThanOrEqualToThreshold" => ">=",
        "LessThanThreshold" => "<",
        "LessThanOrEqualToThreshold" => "<=",
        _ => comparison ?? "?",
    };
}
