using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.CloudWatch;

/// <summary>Amazon CloudWatch metrics and alarms, typed: GetMetricData (queries in batches of 500, every page), GetMetricStatistics, ListMetrics, DescribeAlarms, DescribeAlarmHistory.</summary>
public sealed class CloudWatchClient
{
    /// <summary>GetMetricData takes at most 500 queries per call.</summary>
    public const int QueriesPerCall = 500;

    // Paginators as in botocore's cloudwatch/2010-08-01/paginators-1.json.
    private static readonly AwsOperation GetMetricDataOperation = AwsOperation.Idempotent("GetMetricData")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: "MaxDatapoints", "MetricDataResults", "Messages"));

    private static readonly AwsOperation ListMetricsOperation = AwsOperation.Idempotent("ListMetrics")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: null, "Metrics", "OwningAccounts"));

    private static readonly AwsOperation GetMetricStatisticsOperation = AwsOperation.Idempotent("GetMetricStatistics");

    private static readonly AwsOperation DescribeAlarmsOperation = AwsOperation.Idempotent("DescribeAlarms")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: "MaxRecords", "MetricAlarms", "CompositeAlarms"));

    private static readonly AwsOperation DescribeAlarmHistoryOperation = AwsOperation.Idempotent("DescribeAlarmHistory")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: "MaxRecords", "AlarmHistoryItems"));

    internal CloudWatchClient(AwsQueryClient protocol)
    {
        Protocol = protocol;
    }

    /// <summary>The query client underneath, for operations without a typed method.</summary>
    public AwsQueryClient Protocol { get; }

    /// <summary>
    /// GetMetricData: every query's values in [<paramref name="startTime"/>, <paramref name="endTime"/>), oldest first, one
    /// result per query id (queries split into calls of 500, run concurrently; every page followed).
    /// </summary>
    public Task<IReadOnlyList<CloudWatchMetricResult>> GetMetricDataAsync(
        IReadOnlyList<CloudWatchMetricQuery> queries,
        DateTimeOffset startTime,
        DateTimeOffset endTime,
        CancellationToken cancellationToken = default) =>
        AwsPaging.CollectBatchesAsync(
            queries,
            QueriesPerCall,
            async (batch, ct) =>
            {
                var parameters = new AwsParameters
                {
                    { "MetricDataQueries", batch.Select(q => q.ToParameters()) },
                    { "StartTime", startTime },
                    { "EndTime", endTime },
                    { "ScanBy", "TimestampAscending" },
                };
                var pages = await Protocol.PaginateAllAsync(GetMetricDataOperation, parameters, CloudWatchMetricResult.Read, default, ct).ConfigureAwait(false);
                return CloudWatchMetricResult.Merge(pages);
            },
            cancellationToken);

    /// <summary>GetMetricStatistics: one metric's datapoints, oldest first.</summary>
    public Task<IReadOnlyList<CloudWatchDatapoint>> GetMetricStatisticsAsync(CloudWatchStatisticsRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new AwsParameters
        {
            { "Namespace", request.Metric.Namespace },
            { "MetricName", request.Metric.MetricName },
            { "Dimensions", request.Metric.Dimensions.Select(d => new AwsParameters { { "Name", d.Name }, { "Value", d.Value } }) },
            { "StartTime", request.StartTime },
            { "EndTime", request.EndTime },
            { "Period", request.PeriodSeconds },
            { "Statistics", request.Statistics },
        };
        return Protocol.CallAsync<IReadOnlyList<CloudWatchDatapoint>>(
            GetMetricStatisticsOperation,
            parameters,
            result => result.List("Datapoints", CloudWatchDatapoint.Read).OrderBy(d => d.Timestamp).ToList(),
            cancellationToken);
    }

    /// <summary>ListMetrics: every metric of <paramref name="metricNamespace"/> (optionally one name), every page.</summary>
    public Task<IReadOnlyList<CloudWatchMetric>> ListMetricsAsync(string metricNamespace, string? metricName = null, CancellationToken cancellationToken = default) =>
        Protocol.PaginateAllAsync(
            ListMetricsOperation,
            new AwsParameters { { "Namespace", metricNamespace }, { "MetricName", metricName } },
            CloudWatchMetric.Read,
            default,
            cancellationToken);

    /// <summary>DescribeAlarms: the metric alarms named <paramref name="alarmNames"/> (up to 100), or every metric alarm when none is named; every page.</summary>
    public Task<IReadOnlyList<CloudWatchAlarm>> DescribeAlarmsAsync(IReadOnlyList<string> alarmNames, CancellationToken cancellationToken = default) =>
        Protocol.PaginateAllAsync(
            DescribeAlarmsOperation,
            new AwsParameters { { "AlarmNames", alarmNames.Count == 0 ? null : alarmNames }, { "AlarmTypes", new[] { "MetricAlarm" } } },
            CloudWatchAlarm.Read,
            default,
            cancellationToken);

    /// <summary>DescribeAlarmHistory: the state changes of one alarm in [<paramref name="startTime"/>, <paramref name="endTime"/>], oldest first; every page.</summary>
    public async Task<IReadOnlyList<CloudWatchAlarmHistoryItem>> DescribeAlarmStateHistoryAsync(
        string alarmName, DateTimeOffset startTime, DateTimeOffset endTime, CancellationToken cancellationToken = default)
    {
        var items = await Protocol.PaginateAllAsync(
            DescribeAlarmHistoryOperation,
            new AwsParameters
            {
                { "AlarmName", alarmName },
                { "HistoryItemType", CloudWatchAlarmHistoryItem.StateUpdate },
                { "StartDate", startTime },
                { "EndDate", endTime },
            },
            CloudWatchAlarmHistoryItem.Read,
            default,
            cancellationToken).ConfigureAwait(false);
        return items.OrderBy(i => i.Timestamp).ToList();
    }
}
