using System.Collections.Generic;
using System.Linq;

namespace DeployOps.Sandbox.Scenarios;

/// <summary>The WAF, SNS and alarm keys of a scenario: <c>webAcls</c>, <c>snsTopics</c>, <c>alarms</c>.</summary>
public static partial class ScenarioReader
{
    private static readonly (string, string)[] AlarmStates = [("OK", "OK"), ("ALARM", "ALARM"), ("INSUFFICIENT_DATA", "INSUFFICIENT_DATA")];

    private static List<WebAclDefinition> ReadWebAcls(ScenarioNode? node) =>
        (node?.AsMap("a mapping of web ACL names to their load balancers and rules") ?? []).Select(e =>
        {
            e.Value.AllowOnly("loadBalancers", "rules");
            var rules = (e.Value["rules"]?.AsMap("a mapping of rule names to their settings") ?? []).Select(r =>
            {
                r.Value.AllowOnly("priority", "rateLimit", "windowSeconds", "forwardedIpHeader");
                var window = r.Value["windowSeconds"];
                var seconds = window?.AsInt(60, 600) ?? 300;
                if (seconds is not (60 or 120 or 300 or 600))
                {
                    throw window!.Expected("60, 120, 300 or 600 (WAF's evaluation windows)");
                }

                return new RateRuleDefinition(r.Key, Required(r.Value, "priority").AsInt(0, 10000), Required(r.Value, "rateLimit").AsInt(10, 2000000000), seconds,
                    r.Value["forwardedIpHeader"]?.AsString("a header name such as X-Forwarded-For"));
            }).ToList();
            return new WebAclDefinition(e.Key, Required(e.Value, "loadBalancers").AsList("a list of load balancer names").Select(n => n.AsString("a load balancer name")).ToList(), rules);
        }).ToList();

    private static List<SnsTopicDefinition> ReadSnsTopics(ScenarioNode? node) =>
        (node?.AsMap("a mapping of topic names to their subscriptions") ?? []).Select(e =>
        {
            e.Value.AllowOnly("subscriptions");
            return new SnsTopicDefinition(e.Key, (e.Value["subscriptions"]?.AsList("a list of subscriptions") ?? []).Select(s =>
            {
                s.AllowOnly("protocol", "endpoint", "pendingConfirmation");
                return new SnsSubscriptionDefinition(Required(s, "protocol").AsString("email, email-json, http, https, sqs or lambda"),
                    Required(s, "endpoint").AsString("the address, URL or ARN notifications go to"), s["pendingConfirmation"]?.AsBool() ?? false);
            }).ToList());
        }).ToList();

    private static List<AlarmDefinition> ReadAlarms(ScenarioNode? node) =>
        (node?.AsMap("a mapping of alarm names to their settings") ?? []).Select(e =>
        {
            var n = e.Value;
            n.AllowOnly("namespace", "metric", "dimensions", "statistic", "comparison", "threshold", "periodSeconds", "evaluationPeriods", "topics", "actionsEnabled",
                "state", "flaps", "flapMinutes");
            return new AlarmDefinition
            {
                Name = e.Key,
                Namespace = Required(n, "namespace").AsString("a CloudWatch namespace such as AWS/ECS"),
                MetricName = Required(n, "metric").AsString("a metric name such as CPUUtilization"),
                Dimensions = (n["dimensions"]?.AsMap("a mapping of dimension names to values") ?? []).Select(d => new KeyValuePair<string, string>(d.Key, d.Value.AsString())).ToList(),
                Statistic = n["statistic"]?.AsString("Average, Sum, Maximum, Minimum or SampleCount") ?? "Average",
                ComparisonOperator = n["comparison"]?.AsString("a comparison such as GreaterThanThreshold") ?? "GreaterThanThreshold",
                Threshold = Required(n, "threshold").AsDouble(double.MinValue, double.MaxValue),
                PeriodSeconds = n["periodSeconds"]?.AsInt(10, 86400) ?? 300,
                EvaluationPeriods = n["evaluationPeriods"]?.AsInt(1, 100) ?? 1,
                Topics = (n["topics"]?.AsList("a list of topic names") ?? []).Select(t => t.AsString("the name of a topic in snsTopics")).ToList(),
                ActionsEnabled = n["actionsEnabled"]?.AsBool() ?? true,
                State = n["state"]?.AsEnum(AlarmStates) ?? "OK",
                Flaps = n["flaps"]?.AsInt(0, 500) ?? 0,
                FlapMinutes = n["flapMinutes"]?.AsDouble(1, 1440) ?? 60,
            };
        }).ToList();

    /// <summary>Web ACLs name load balancers of the scenario; alarms name its topics.</summary>
    private static void CheckMonitoring(ScenarioDefinition scenario, ScenarioNode root)
    {
        var balancers = scenario.LoadBalancers.Select(l => l.Name).ToHashSet();
        foreach (var acl in scenario.WebAcls)
        {
            if (acl.LoadBalancers.FirstOrDefault(n => !balancers.Contains(n)) is { } unknown)
            {
                throw ScenarioException.At(root["webAcls"]![acl.Name]!.Position,
                    $"webAcls.{acl.Name}: '{unknown}' is not a load balancer defined in this scenario (known: {string.Join(", ", balancers.Order())}).");
            }
        }

        var topics = scenario.SnsTopics.Select(t => t.Name).ToHashSet();
        foreach (var alarm in scenario.Alarms)
        {
            if (alarm.Topics.FirstOrDefault(n => !topics.Contains(n)) is { } unknown)
            {
                throw ScenarioException.At(root["alarms"]![alarm.Name]!.Position,
                    $"alarms.{alarm.Name}: '{unknown}' is not a topic defined in snsTopics (known: {(topics.Count == 0 ? "none" : string.Join(", ", topics.Order()))}).");
            }
        }
    }
}
