using System;
using System.Collections.Generic;
using DeployOps.Alarms;
using DeployOps.Aws.CloudWatch;
using DeployOps.Aws.Sns;
using DeployOps.Aws.Wafv2;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Waf;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>The WAF and alarm classifiers on their own (no AWS): the cases the scenarios do not reach.</summary>
public sealed class WafAlarmClassifierTests
{
    private static readonly TimeWindow Window = new(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 5, 1, 11, 0, 0, TimeSpan.Zero));

    private static readonly WafRule Managed = new()
    {
        Name = "common-rules", Priority = 1, Action = "None", StatementKind = "ManagedRuleGroupStatement", MetricName = "common-rules", ManagedRuleGroup = "AWSManagedRulesCommonRuleSet",
    };

    private static readonly WafRule Rate = new()
    {
        Name = "rate-limit", Priority = 2, Action = "Block", StatementKind = "RateBasedStatement", MetricName = "rate-limit", RateLimit = 2000, EvaluationWindowSeconds = 300, AggregateKeyType = "IP",
    };

    private static readonly WafWebAcl Acl = new() { Name = "prod-waf", Arn = "arn:aws:wafv2:us-east-1:1:regional/webacl/prod-waf/1", MetricName = "prod-waf", DefaultAction = "Allow", Rules = new[] { Managed, Rate } };

    private static WafSampledRequest Blocked(string ip, string? inner = null) =>
        new() { ClientIp = ip, Uri = "/upload", Method = "POST", Action = "BLOCK", RuleNameWithinRuleGroup = inner, Timestamp = Window.Start.AddMinutes(5) };

    private static Fact<WafSampledRequests> Samples(params WafSampledRequest[] samples) => Fact<WafSampledRequests>.Of(new WafSampledRequests(samples, samples.Length));

    [Fact]
    public void A_managed_rule_group_false_positive_names_the_rule_of_the_group_to_exclude()
    {
        var finding = WafClassifier.Classify("prod-alb", Acl, new[]
        {
            new WafRuleReading(Managed, Samples(Blocked("192.0.2.10", "SizeRestrictions_BODY")), 12),
            new WafRuleReading(Rate, Samples(), 0),
        }, "192.0.2.10", Window, complete: true);

        Assert.Equal((WafVerdict.Blocking, "common-rules"), (finding.Verdict, finding.ResponsibleRule));
        Assert.StartsWith("Exclude rule SizeRestrictions_BODY of managed rule group AWSManagedRulesCommonRuleSet", finding.Fix, StringComparison.Ordinal);
        Assert.Contains("the matching rule of the group is SizeRestrictions_BODY", finding.Cause, StringComparison.Ordinal);
        Assert.Equal("common-rules/SizeRestrictions_BODY", Assert.Single(finding.Samples).Rule);
    }

    [Fact]
    public void Without_samples_the_metric_names_the_rule_and_an_unread_part_is_never_NotBlocking()
    {
        var byMetric = WafClassifier.Classify("prod-alb", Acl, new[] { new WafRuleReading(Managed, Samples(), 0), new WafRuleReading(Rate, Samples(), 40) }, null, Window, complete: true);
        var unread = WafClassifier.Classify("prod-alb", Acl, new[]
        {
            new WafRuleReading(Managed, Fact<WafSampledRequests>.Unread(new Gap("sampled requests of WAF rule common-rules", "WAFInternalErrorException after 3 attempts")), null),
            new WafRuleReading(Rate, Samples(), null),
        }, "192.0.2.10", Window, complete: false);

        Assert.Equal((WafVerdict.Blocking, "rate-limit"), (byMetric.Verdict, byMetric.ResponsibleRule));
        Assert.StartsWith("Raise the limit of rate-based rule rate-limit (2000 requests per 5 min per client now)", byMetric.Fix, StringComparison.Ordinal);
        Assert.Equal(WafVerdict.Unknown, unread.Verdict);
        Assert.Null(unread.ResponsibleRule);
    }

    private static CloudWatchAlarm Alarm(params string[] actions) => new()
    {
        AlarmName = "prod-api-5xx", StateValue = CloudWatchAlarmState.Ok, ActionsEnabled = true, AlarmActions = actions, Namespace = "AWS/ApplicationELB",
        MetricName = "HTTPCode_Target_5XX_Count", Statistic = "Sum", ComparisonOperator = "GreaterThanOrEqualToThreshold", Threshold = 10, PeriodSeconds = 60, EvaluationPeriods = 3,
        Dimensions = new[] { new CloudWatchDimension("LoadBalancer", "app/prod/1") },
    };

    private static readonly Fact<IReadOnlyList<CloudWatchAlarmHistoryItem>> NoHistory = Fact<IReadOnlyList<CloudWatchAlarmHistoryItem>>.Of(Array.Empty<CloudWatchAlarmHistoryItem>());

    [Fact]
    public void An_alarm_without_a_topic_or_with_a_deleted_topic_fails_and_an_unread_topic_is_unknown()
    {
        const string Topic = "arn:aws:sns:us-east-1:1:prod-alarms";
        var subscriptions = new Dictionary<string, Fact<IReadOnlyList<SnsSubscription>>>();
        var noTopic = AlarmClassifier.Classify(Alarm("arn:aws:autoscaling:us-east-1:1:scalingPolicy:x"), NoHistory, subscriptions, Window, 3, s => s);
        subscriptions[Topic] = Fact<IReadOnlyList<SnsSubscription>>.NotFound();
        var deleted = AlarmClassifier.Classify(Alarm(Topic), NoHistory, subscriptions, Window, 3, s => s);
        subscriptions[Topic] = Fact<IReadOnlyList<SnsSubscription>>.Unread(new Gap("subscriptions of SNS topic prod-alarms", "AuthorizationError: not allowed"));
        var unread = AlarmClassifier.Classify(Alarm(Topic), NoHistory, subscriptions, Window, 3, s => s);

        Assert.Equal((AlarmNotificationStatus.Fail, AlarmFindingKind.NoNotification), (noTopic.Status, Assert.Single(noTopic.Findings).FindingKind));
        Assert.Equal((AlarmNotificationStatus.Fail, AlarmFindingKind.TopicMissing), (deleted.Status, Assert.Single(deleted.Findings).FindingKind));
        Assert.Equal(AlarmNotificationStatus.Unknown, unread.Status);
        Assert.Empty(unread.Findings);
        Assert.Equal("AWS/ApplicationELB HTTPCode_Target_5XX_Count Sum >= 10 for 3 x 60 s", AlarmClassifier.Condition(Alarm()));
    }

    [Fact]
    public void Flaps_count_changes_to_ALARM_inside_the_window_and_the_endpoint_goes_through_the_redactor()
    {
        const string Topic = "arn:aws:sns:us-east-1:1:prod-alarms";
        var history = Fact<IReadOnlyList<CloudWatchAlarmHistoryItem>>.Of(new[]
        {
            new CloudWatchAlarmHistoryItem { Timestamp = Window.Start.AddMinutes(-5), NewState = "ALARM" },
            new CloudWatchAlarmHistoryItem { Timestamp = Window.Start.AddMinutes(5), NewState = "ALARM" },
            new CloudWatchAlarmHistoryItem { Timestamp = Window.Start.AddMinutes(6), NewState = "OK" },
            new CloudWatchAlarmHistoryItem { Timestamp = Window.Start.AddMinutes(15), NewState = "ALARM" },
        });
        var subscriptions = new Dictionary<string, Fact<IReadOnlyList<SnsSubscription>>>
        {
            [Topic] = Fact<IReadOnlyList<SnsSubscription>>.Of(new[] { new SnsSubscription { SubscriptionArn = "PendingConfirmation", Protocol = "https", Endpoint = "https://hooks.example/x?token=abc" } }),
        };

        var verdict = AlarmClassifier.Classify(Alarm(Topic), history, subscriptions, Window, 2, s => s.Replace("abc", "***"));

        Assert.Equal(2, verdict.Flaps);
        Assert.Equal(new[] { AlarmFindingKind.PendingConfirmation, AlarmFindingKind.Flapping }, new[] { verdict.Findings[0].FindingKind, verdict.Findings[1].FindingKind });
        Assert.Equal("https https://hooks.example/x?token=***", Assert.Single(Assert.Single(verdict.Topics).PendingConfirmation));
        Assert.DoesNotContain("abc", verdict.Findings[0].Evidence, StringComparison.Ordinal);
    }
}
