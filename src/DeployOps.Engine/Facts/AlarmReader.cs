using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.CloudWatch;
using DeployOps.Aws.Sns;
using DeployOps.Operations;

namespace DeployOps.Facts;

/// <summary>Reads CloudWatch alarms, their state history, and the subscriptions of the SNS topics they notify.</summary>
public sealed class AlarmReader
{
    private readonly AwsFacts _facts;

    internal AlarmReader(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>The metric alarms named (every one of the region when none is), in 100-name batches.</summary>
    public async Task<IReadOnlyList<CloudWatchAlarm>> AlarmsAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var client = _facts.Session.Client<CloudWatchClient>();
        if (names.Count == 0)
        {
            return await client.DescribeAlarmsAsync(Array.Empty<string>(), cancellationToken).ConfigureAwait(false);
        }

        var batches = await Task.WhenAll(names.Distinct(StringComparer.Ordinal).Select((name, index) => (name, index)).GroupBy(x => x.index / 100)
            .Select(batch => client.DescribeAlarmsAsync(batch.Select(x => x.name).ToList(), cancellationToken))).ConfigureAwait(false);
        return batches.SelectMany(b => b).ToList();
    }

    /// <summary>The alarm's state changes in the window, oldest first.</summary>
    public Task<Fact<IReadOnlyList<CloudWatchAlarmHistoryItem>>> StateHistoryAsync(string alarmName, TimeWindow window, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"history of alarm {alarmName}",
            () => _facts.Session.Client<CloudWatchClient>().DescribeAlarmStateHistoryAsync(alarmName, window.Start, window.End, cancellationToken));

    /// <summary>Every subscription of each topic (absent: the topic does not exist), one call per topic, concurrently.</summary>
    public async Task<IReadOnlyDictionary<string, Fact<IReadOnlyList<SnsSubscription>>>> SubscriptionsAsync(IReadOnlyList<string> topicArns, CancellationToken cancellationToken)
    {
        var distinct = topicArns.Distinct(StringComparer.Ordinal).ToList();
        var reads = await Task.WhenAll(distinct.Select(arn => _facts.Policy.ReadAsync($"subscriptions of SNS topic {Aws.AwsArn.ColonResource(arn)}",
            () => _facts.Session.Client<SnsClient>().ListSubscriptionsByTopicAsync(arn, cancellationToken)))).ConfigureAwait(false);
        return distinct.Zip(reads, (arn, read) => (arn, read)).ToDictionary(x => x.arn, x => x.read, StringComparer.Ordinal);
    }
}
