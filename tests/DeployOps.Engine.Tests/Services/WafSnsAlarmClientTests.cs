using System;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.CloudWatch;
using DeployOps.Aws.Sns;
using DeployOps.Aws.Wafv2;
using DeployOps.Engine.Tests.Support;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Services;

/// <summary>The typed WAFV2, SNS and CloudWatch alarm operations over real HTTP against moto, with resources the aws CLI made (an independent writer).</summary>
public sealed class WafSnsAlarmClientTests : MotoSessionTest
{
    public WafSnsAlarmClientTests(MotoFixture moto)
        : base(moto)
    {
    }

    [Fact]
    public async Task GetWebAclForResourceReadsTheRateBasedRuleAndNullForAResourceWithoutOne()
    {
        var name = MotoSessions.UniqueName("waf");
        var resource = $"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/{name}/0123456789abcdef";
        var created = await AwsCli.RunJsonAsync(Moto.Url, "wafv2", "create-web-acl", "--name", name, "--scope", "REGIONAL", "--default-action", "{\"Allow\":{}}",
            "--visibility-config", $"SampledRequestsEnabled=true,CloudWatchMetricsEnabled=true,MetricName={name}",
            "--rules", """[{"Name":"rate","Priority":3,"Action":{"Block":{}},"Statement":{"RateBasedStatement":{"Limit":2000,"AggregateKeyType":"IP"}},"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"rate-metric"}}]""");
        await AwsCli.RunAsync(Moto.Url, "wafv2", "associate-web-acl", "--web-acl-arn", created.GetProperty("Summary").GetProperty("ARN").GetString()!, "--resource-arn", resource);

        var acl = await Session.Client<Wafv2Client>().GetWebAclForResourceAsync(resource);
        var none = await Session.Client<Wafv2Client>().GetWebAclForResourceAsync(resource.Replace(name, name + "-other", StringComparison.Ordinal));

        Assert.NotNull(acl);
        Assert.Equal((name, "Allow", name), (acl!.Name, acl.DefaultAction, acl.MetricName));
        var rule = Assert.Single(acl.Rules);
        Assert.Equal(("rate", 3, "Block", "rate-metric", 2000L, 300, "IP", true), (rule.Name, rule.Priority, rule.Action, rule.MetricName, rule.RateLimit!.Value, rule.EvaluationWindowSeconds!.Value, rule.AggregateKeyType, rule.IsRateBased));
        Assert.Null(none);
    }

    [Fact]
    public async Task ListSubscriptionsByTopicReadsEverySubscriptionAndAnUnknownTopicIsNotFound()
    {
        var topic = (await AwsCli.RunJsonAsync(Moto.Url, "sns", "create-topic", "--name", MotoSessions.UniqueName("alarms"))).GetProperty("TopicArn").GetString()!;
        await AwsCli.RunAsync(Moto.Url, "sns", "subscribe", "--topic-arn", topic, "--protocol", "email", "--notification-endpoint", "oncall@example.com");
        await AwsCli.RunAsync(Moto.Url, "sns", "subscribe", "--topic-arn", topic, "--protocol", "sms", "--notification-endpoint", "+15555550100");

        var subscriptions = await Session.Client<SnsClient>().ListSubscriptionsByTopicAsync(topic);
        var missing = await Assert.ThrowsAsync<AwsServiceException>(() => Session.Client<SnsClient>().ListSubscriptionsByTopicAsync(topic + "-gone"));

        Assert.Equal(new[] { ("email", "oncall@example.com"), ("sms", "+15555550100") }, subscriptions.Select(s => (s.Protocol, s.Endpoint)).OrderBy(s => s.Protocol));
        Assert.All(subscriptions, s => Assert.Equal(topic, s.TopicArn));
        Assert.DoesNotContain(subscriptions, s => s.IsPendingConfirmation);
        Assert.Equal(AwsErrorClassification.NotFound, missing.Classification);
    }

    [Fact]
    public async Task DescribeAlarmsReadsActionsDimensionsAndTheCondition()
    {
        var name = MotoSessions.UniqueName("cpu-high");
        await AwsCli.RunAsync(Moto.Url, "cloudwatch", "put-metric-alarm", "--alarm-name", name, "--namespace", "AWS/ECS", "--metric-name", "CPUUtilization",
            "--dimensions", "Name=ClusterName,Value=c", "Name=ServiceName,Value=api", "--statistic", "Average", "--period", "300", "--evaluation-periods", "2",
            "--threshold", "80", "--comparison-operator", "GreaterThanThreshold", "--alarm-actions", "arn:aws:sns:us-east-1:123456789012:alarms", "--no-actions-enabled");

        var alarm = Assert.Single(await Session.Client<CloudWatchClient>().DescribeAlarmsAsync(new[] { name }));

        Assert.Equal((name, false, "c", "api"), (alarm.AlarmName, alarm.ActionsEnabled, alarm.Dimension("ClusterName"), alarm.Dimension("ServiceName")));
        Assert.Equal("arn:aws:sns:us-east-1:123456789012:alarms", Assert.Single(alarm.AlarmActions));
        Assert.Equal(("GreaterThanThreshold", 80.0, 300, 2), (alarm.ComparisonOperator, alarm.Threshold!.Value, alarm.PeriodSeconds!.Value, alarm.EvaluationPeriods!.Value));
    }
}
