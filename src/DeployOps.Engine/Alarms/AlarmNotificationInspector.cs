using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.CloudWatch;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.Alarms;

/// <summary>
/// Test-AlarmNotification: the alarms named, or on a service, load balancer or database (by their dimensions); each
/// alarm's state history in the window (one DescribeAlarmHistory per alarm) and its SNS topics' subscriptions (one
/// ListSubscriptionsByTopic per distinct topic), classified into findings with fixes.
/// </summary>
public sealed class AlarmNotificationInspector
{
    private readonly AwsFacts _facts;

    public AlarmNotificationInspector(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>One report per alarm, in name order; a named alarm or load balancer that does not exist is an error of its own.</summary>
    public async Task<IReadOnlyList<ItemOutcome<AlarmNotificationReport>>> InspectAsync(AlarmNotificationQuery query, CancellationToken cancellationToken)
    {
        if (query.Service is not null && query.Cluster is null)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.MissingCluster, DeployOpsErrorKind.InvalidArgument,
                $"-Service '{query.Service}' needs -Cluster: ECS alarms name the cluster and the service (dimensions ClusterName and ServiceName).", query.Service));
        }

        if (query.FlapThreshold < 1)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidFlapThreshold, DeployOpsErrorKind.InvalidArgument,
                $"-FlapThreshold must be 1 or more; it is {query.FlapThreshold}.", query.FlapThreshold));
        }

        var window = query.Window(DateTimeOffset.UtcNow);
        var outcomes = new List<ItemOutcome<AlarmNotificationReport>>();
        try
        {
            string? balancerDimension = null;
            if (query.LoadBalancer is { } nameOrArn)
            {
                var balancer = await _facts.LoadBalancers.FindAsync(nameOrArn, cancellationToken).ConfigureAwait(false);
                if (balancer.Absent)
                {
                    outcomes.Add(ItemOutcome<AlarmNotificationReport>.Failure(_facts.LoadBalancers.NotFound(nameOrArn)));
                }
                else if (!balancer.IsRead)
                {
                    outcomes.Add(ItemOutcome<AlarmNotificationReport>.Failure(new DeployOpsError(ErrorIds.AwsRequestFailed, DeployOpsErrorKind.Other,
                        $"Could not read load balancer '{nameOrArn}' to find its alarms: {balancer.Gap}.", nameOrArn)));
                }
                else
                {
                    balancerDimension = AwsArn.LoadBalancerDimension(balancer.Value.Arn);
                }
            }

            // Named alarms only, when no resource is named; otherwise every alarm, then those on the resources.
            var alarms = await _facts.Alarms.AlarmsAsync(query.NamesResource ? Array.Empty<string>() : query.AlarmNames, cancellationToken).ConfigureAwait(false);
            foreach (var missing in query.AlarmNames.Where(n => alarms.All(a => a.AlarmName != n)))
            {
                outcomes.Add(ItemOutcome<AlarmNotificationReport>.Failure(ErrorTranslator.NotFound(ErrorIds.AlarmNotFound,
                    $"There is no metric alarm '{missing}' in {_facts.Session.Region.Name} (alarm names are case-sensitive).", missing)));
            }

            var selected = alarms.Where(a => Selected(a, query, balancerDimension)).OrderBy(a => a.AlarmName, StringComparer.Ordinal).ToList();
            var topics = selected.SelectMany(a => a.AlarmActions.Where(AlarmClassifier.IsTopic)).ToList();
            var subscriptionsTask = _facts.Alarms.SubscriptionsAsync(topics, cancellationToken);
            var histories = await Task.WhenAll(selected.Select(a => _facts.Alarms.StateHistoryAsync(a.AlarmName, window, cancellationToken))).ConfigureAwait(false);
            var subscriptions = await subscriptionsTask.ConfigureAwait(false);
            outcomes.AddRange(selected.Zip(histories, (alarm, history) => ItemOutcome<AlarmNotificationReport>.Success(Report(alarm, history, subscriptions, window, query.FlapThreshold))));
            return outcomes;
        }
        catch (AwsServiceException ex)
        {
            outcomes.Add(ItemOutcome<AlarmNotificationReport>.Failure(ErrorTranslator.Translate(ex, "alarms")));
            return outcomes;
        }
        catch (AwsCallException ex)
        {
            throw new DeployOpsException(ErrorTranslator.Translate(ex, "alarms"));
        }
    }

    /// <summary>True when the alarm is named, or watches one of the resources the query names (every alarm when it names none).</summary>
    private static bool Selected(CloudWatchAlarm alarm, AlarmNotificationQuery query, string? balancerDimension)
    {
        if (query.AlarmNames.Contains(alarm.AlarmName, StringComparer.Ordinal))
        {
            return true;
        }

        if (!query.NamesResource)
        {
            return query.AlarmNames.Count == 0;
        }

        var onService = query.Cluster is { } cluster && alarm.Dimension("ClusterName") == AwsArn.LastSegment(cluster) &&
                        (query.Service is null || alarm.Dimension("ServiceName") == AwsArn.LastSegment(query.Service));
        var onBalancer = balancerDimension is not null && alarm.Dimension("LoadBalancer") == balancerDimension;
        var onDatabase = query.DatabaseCluster is { } database && alarm.Dimension("DBClusterIdentifier") == database;
        return onService || onBalancer || onDatabase;
    }

    private AlarmNotificationReport Report(CloudWatchAlarm alarm, Fact<IReadOnlyList<CloudWatchAlarmHistoryItem>> history,
        IReadOnlyDictionary<string, Fact<IReadOnlyList<Aws.Sns.SnsSubscription>>> subscriptions, TimeWindow window, int flapThreshold)
    {
        var verdict = AlarmClassifier.Classify(alarm, history, subscriptions, window, flapThreshold, _facts.Redactor.Redact);
        var gaps = new[] { history.Gap }
            .Concat(alarm.AlarmActions.Where(AlarmClassifier.IsTopic).Distinct(StringComparer.Ordinal).Select(arn => subscriptions[arn].Gap))
            .Where(g => g is not null).Select(g => g!.ToString()).ToList();
        return new AlarmNotificationReport
        {
            AlarmName = alarm.AlarmName,
            Resource = AlarmClassifier.Resource(alarm),
            Condition = AlarmClassifier.Condition(alarm),
            State = alarm.StateValue,
            ActionsEnabled = alarm.ActionsEnabled,
            Verdict = verdict.Status,
            Flaps = verdict.Flaps,
            StartTime = window.Start,
            EndTime = window.End,
            Topics = verdict.Topics.ToPrintableList(),
            Findings = verdict.Findings.ToPrintableList(),
            Complete = gaps.Count == 0,
            NotRead = gaps.ToPrintableList(),
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
    }
}
