using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.CloudWatch;

/// <summary>Amazon CloudWatch metrics, typed: GetMetricData (queries in batches of 500, every page), GetMetricStatistics, ListMetrics.</summary>
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
}
