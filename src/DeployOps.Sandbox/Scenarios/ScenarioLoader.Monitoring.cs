using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Sandbox.Scenarios;

/// <summary>WAF, SNS and alarms in moto: web ACLs associated with the load balancers, topics and subscriptions, metric alarms.</summary>
public sealed partial class ScenarioLoader
{
    private async Task CreateMonitoringAsync(ScenarioDefinition scenario, string region, CancellationToken cancellationToken)
    {
        var balancers = new Dictionary<string, string>();
        foreach (var name in scenario.WebAcls.SelectMany(a => a.LoadBalancers)
                     .Concat(scenario.Alarms.SelectMany(a => a.Dimensions).Where(d => d.Key == "LoadBalancer").Select(d => d.Value))
                     .Where(n => scenario.LoadBalancers.Any(lb => lb.Name == n)).Distinct())
        {
            var described = await _moto.ElbAsync("DescribeLoadBalancers", [new("Names.member.1", name)], region, cancellationToken).ConfigureAwait(false);
            balancers[name] = await RequiredAsync(described, "LoadBalancerArn", "elasticloadbalancing", "DescribeLoadBalancers", cancellationToken).ConfigureAwait(false);
        }

        var topics = new Dictionary<string, string>();
        foreach (var topic in scenario.SnsTopics)
        {
            var reply = await _moto.SnsAsync("CreateTopic", [new("Name", topic.Name)], region, cancellationToken).ConfigureAwait(false);
            topics[topic.Name] = await RequiredAsync(reply, "TopicArn", "sns", "CreateTopic", cancellationToken).ConfigureAwait(false);
            foreach (var subscription in topic.Subscriptions)
            {
                // moto confirms every subscription; the notifications simulator keeps the pending ones pending.
                await _moto.SnsAsync("Subscribe", [new("TopicArn", topics[topic.Name]), new("Protocol", subscription.Protocol), new("Endpoint", subscription.Endpoint)],
                    region, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var alarm in scenario.Alarms)
        {
            var parameters = new List<KeyValuePair<string, string>>
            {
                new("AlarmName", alarm.Name), new("Namespace", alarm.Namespace), new("MetricName", alarm.MetricName), new("Statistic", alarm.Statistic),
                new("ComparisonOperator", alarm.ComparisonOperator), new("Threshold", alarm.Threshold.ToString("R", CultureInfo.InvariantCulture)),
                new("Period", Text(alarm.PeriodSeconds)), new("EvaluationPeriods", Text(alarm.EvaluationPeriods)),
                new("ActionsEnabled", alarm.ActionsEnabled ? "true" : "false"),
            };
            // A LoadBalancer dimension that names a load balancer of the scenario becomes its app/name/id, as ALB publishes it.
            parameters.AddRange(alarm.Dimensions.SelectMany((d, i) => new KeyValuePair<string, string>[]
            {
                new($"Dimensions.member.{i + 1}.Name", d.Key),
                new($"Dimensions.member.{i + 1}.Value", d.Key == "LoadBalancer" && balancers.TryGetValue(d.Value, out var arn) ? arn[(arn.IndexOf(":loadbalancer/", System.StringComparison.Ordinal) + ":loadbalancer/".Length)..] : d.Value),
            }));
            parameters.AddRange(alarm.Topics.Select((t, i) => new KeyValuePair<string, string>($"AlarmActions.member.{i + 1}", topics[t])));
            await _moto.CloudWatchAsync("PutMetricAlarm", parameters, region, cancellationToken).ConfigureAwait(false);
            if (alarm.State != "OK")
            {
                await _moto.CloudWatchAsync("SetAlarmState",
                    [new("AlarmName", alarm.Name), new("StateValue", alarm.State), new("StateReason", "Set by the scenario")], region, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var acl in scenario.WebAcls)
        {
            var rules = new JsonArray(acl.Rules.Select(rule => (JsonNode)new JsonObject
            {
                ["Name"] = rule.Name,
                ["Priority"] = rule.Priority,
                ["Action"] = new JsonObject { ["Block"] = new JsonObject() },
                ["Statement"] = new JsonObject
                {
                    ["RateBasedStatement"] = rule.ForwardedIpHeader is { } header
                        ? new JsonObject
                        {
                            ["Limit"] = rule.Limit,
                            ["EvaluationWindowSec"] = rule.WindowSeconds,
                            ["AggregateKeyType"] = "FORWARDED_IP",
                            ["ForwardedIPConfig"] = new JsonObject { ["HeaderName"] = header, ["FallbackBehavior"] = "MATCH" },
                        }
                        : new JsonObject { ["Limit"] = rule.Limit, ["EvaluationWindowSec"] = rule.WindowSeconds, ["AggregateKeyType"] = "IP" },
                },
                ["VisibilityConfig"] = Visibility(rule.Name),
            }).ToArray());
            var created = await _moto.Wafv2Async("CreateWebACL", new JsonObject
            {
                ["Name"] = acl.Name,
                ["Scope"] = "REGIONAL",
                ["DefaultAction"] = new JsonObject { ["Allow"] = new JsonObject() },
                ["Rules"] = rules,
                ["VisibilityConfig"] = Visibility(acl.Name),
            }, region, cancellationToken).ConfigureAwait(false);
            var aclArn = created["Summary"]?["ARN"]?.GetValue<string>() ?? throw new ScenarioException($"{scenario.Name}.yaml: moto's CreateWebACL answered no Summary.ARN for {acl.Name}.");
            foreach (var name in acl.LoadBalancers)
            {
                await _moto.Wafv2Async("AssociateWebACL", new JsonObject { ["WebACLArn"] = aclArn, ["ResourceArn"] = balancers[name] }, region, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static JsonObject Visibility(string metricName) => new()
    {
        ["SampledRequestsEnabled"] = true,
        ["CloudWatchMetricsEnabled"] = true,
        ["MetricName"] = metricName,
    };
}
