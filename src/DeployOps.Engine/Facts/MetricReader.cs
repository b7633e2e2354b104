using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.CloudWatch;
using DeployOps.Databases;

namespace DeployOps.Facts;

/// <summary>One period of a utilization metric: when it starts, its average and its maximum (percent).</summary>
public sealed class MetricSample
{
    public DateTimeOffset Timestamp { get; init; }

    public double? Average { get; init; }

    public double? Maximum { get; init; }

    public override string ToString() => FormattableString.Invariant($"{Timestamp:u} avg {Average:0.#} max {Maximum:0.#}");
}

/// <summary>A utilization metric over a window: the average of every sample (weighted by how many there were per period), the highest, and the periods.</summary>
public sealed record MetricSeries(double? Average, double? Maximum, IReadOnlyList<MetricSample> Samples)
{
    /// <summary>No datapoint in the window.</summary>
    public bool IsEmpty => Samples.Count == 0;
}

/// <summary>An ECS service's CPU and memory utilization (namespace AWS/ECS, dimensions ClusterName and ServiceName) over a window.</summary>
public sealed record EcsServiceUtilization(string Cluster, string Service, MetricSeries Cpu, MetricSeries Memory);

/// <summary>
/// An Application Load Balancer's figures over a window (namespace AWS/ApplicationELB): its requests, the 5xx it answered
/// itself (502, 503, 504) and its targets' 5xx (sums), its targets' response time (p50 and maximum, seconds), and per target
/// group the fewest healthy and the most unhealthy hosts. Null: CloudWatch had no datapoint (ALB publishes request metrics
/// only when there are requests).
/// </summary>
public sealed record LoadBalancerFigures(
    double? RequestCount,
    double? ElbHttp502Count,
    double? ElbHttp503Count,
    double? ElbHttp504Count,
    double? TargetHttp5xxCount,
    double? TargetResponseTimeP50,
    double? TargetResponseTimeMaximum,
    IReadOnlyDictionary<string, (double? MinimumHealthy, double? MaximumUnhealthy)> HostCounts);

/// <summary>Reads CloudWatch metrics: every service's in one GetMetricData (500 queries per call), under the one partial-failure policy.</summary>
public sealed class MetricReader
{
    /// <summary>The namespace ECS publishes service utilization in.</summary>
    public const string EcsNamespace = "AWS/ECS";

    public const string CpuUtilization = "CPUUtilization";

    public const string MemoryUtilization = "MemoryUtilization";

    private static readonly string[] Stats = { CloudWatchStatistic.Average, CloudWatchStatistic.Maximum, CloudWatchStatistic.SampleCount };

    private readonly AwsFacts _facts;

    internal MetricReader(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>The AWS/ECS metric of a service, with its dimensions in the order ECS publishes them.</summary>
    public static CloudWatchMetric EcsServiceMetric(string cluster, string service, string metricName) =>
        new(EcsNamespace, metricName, new[] { new CloudWatchDimension("ClusterName", cluster), new CloudWatchDimension("ServiceName", service) });

    /// <summary>
    /// CPU and memory utilization of each service in [<paramref name="startTime"/>, <paramref name="endTime"/>) by
    /// <paramref name="periodSeconds"/>: six queries per service (average, maximum and sample count of each), one call for
    /// up to 83 services. When the call fails every service has the same gap.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, Fact<EcsServiceUtilization>>> EcsServicesAsync(
        string cluster, IReadOnlyList<string> services, DateTimeOffset startTime, DateTimeOffset endTime, int periodSeconds, CancellationToken cancellationToken)
    {
        var names = services.Distinct(StringComparer.Ordinal).ToList();
        var queries = names.SelectMany((service, index) => new[] { CpuUtilization, MemoryUtilization }.SelectMany(metric => Stats.Select(stat =>
            new CloudWatchMetricQuery(QueryId(index, metric, stat), EcsServiceMetric(cluster, service, metric), periodSeconds, stat)))).ToList();
        var what = names.Count == 1 ? $"CPU and memory utilization of {names[0]}" : $"CPU and memory utilization of {names.Count} services";
        var read = await _facts.Policy.ReadAsync(what, () => _facts.Session.Client<CloudWatchClient>().GetMetricDataAsync(queries, startTime, endTime, cancellationToken))
            .ConfigureAwait(false);
        return names.Select((service, index) => (service, index)).ToDictionary(
            x => x.service,
            x => read.Select(results =>
            {
                var byId = results.ToDictionary(r => r.Id, StringComparer.Ordinal);
                return new EcsServiceUtilization(cluster, x.service, Series(byId, x.index, CpuUtilization), Series(byId, x.index, MemoryUtilization));
            }),
            StringComparer.Ordinal);
    }

    /// <summary>The highest MemoryUtilization of a service in the window, or null when CloudWatch has no datapoint.</summary>
    public async Task<Fact<double?>> MaximumMemoryAsync(string cluster, string service, DateTimeOffset startTime, DateTimeOffset endTime, CancellationToken cancellationToken)
    {
        var read = await EcsServicesAsync(cluster, new[] { service }, startTime, endTime, 60, cancellationToken).ConfigureAwait(false);
        return read[service].Select(utilization => utilization.Memory.Maximum);
    }

    /// <summary>The namespace Application Load Balancers publish in.</summary>
    public const string LoadBalancerNamespace = "AWS/ApplicationELB";

    /// <summary>
    /// A load balancer's figures over [<paramref name="startTime"/>, <paramref name="endTime"/>) and its target groups'
    /// host counts: one GetMetricData of 7 + 2 per group queries, each over the whole window (one period).
    /// </summary>
    public async Task<Fact<LoadBalancerFigures>> LoadBalancerAsync(string loadBalancerArn, IReadOnlyList<string> targetGroupArns, DateTimeOffset startTime,
        DateTimeOffset endTime, CancellationToken cancellationToken)
    {
        var period = Math.Max(60, (int)Math.Ceiling((endTime - startTime).TotalSeconds / 60) * 60);
        var balancer = new CloudWatchDimension("LoadBalancer", AwsArn.LoadBalancerDimension(loadBalancerArn));
        CloudWatchMetricQuery Query(string id, string metric, string stat, params CloudWatchDimension[] dimensions) =>
            new(id, new CloudWatchMetric(LoadBalancerNamespace, metric, dimensions), period, stat);

        var queries = new List<CloudWatchMetricQuery>
        {
            Query("requests", "RequestCount", CloudWatchStatistic.Sum, balancer),
            Query("elb502", "HTTPCode_ELB_502_Count", CloudWatchStatistic.Sum, balancer),
            Query("elb503", "HTTPCode_ELB_503_Count", CloudWatchStatistic.Sum, balancer),
            Query("elb504", "HTTPCode_ELB_504_Count", CloudWatchStatistic.Sum, balancer),
            Query("target5xx", "HTTPCode_Target_5XX_Count", CloudWatchStatistic.Sum, balancer),
            Query("p50", "TargetResponseTime", "p50", balancer),
            Query("maximum", "TargetResponseTime", CloudWatchStatistic.Maximum, balancer),
        };
        var groups = targetGroupArns.Distinct(StringComparer.Ordinal).ToList();
        for (var i = 0; i < groups.Count; i++)
        {
            var group = new CloudWatchDimension("TargetGroup", AwsArn.TargetGroupDimension(groups[i]));
            queries.Add(Query(FormattableString.Invariant($"healthy{i}"), "HealthyHostCount", CloudWatchStatistic.Minimum, group, balancer));
            queries.Add(Query(FormattableString.Invariant($"unhealthy{i}"), "UnHealthyHostCount", CloudWatchStatistic.Maximum, group, balancer));
        }

        var read = await _facts.Policy.ReadAsync($"CloudWatch figures of load balancer {AwsArn.TargetGroupName(loadBalancerArn)}",
            () => _facts.Session.Client<CloudWatchClient>().GetMetricDataAsync(queries, startTime, endTime, cancellationToken)).ConfigureAwait(false);
        return read.Select(results =>
        {
            var byId = results.ToDictionary(r => r.Id, StringComparer.Ordinal);
            double? Values(string id, Func<IEnumerable<double>, double> combine) =>
                byId.TryGetValue(id, out var result) && result.Values.Count > 0 ? Math.Round(combine(result.Values.Select(v => v.Value)), 3) : null;

            return new LoadBalancerFigures(
                Values("requests", v => v.Sum()),
                Values("elb502", v => v.Sum()),
                Values("elb503", v => v.Sum()),
                Values("elb504", v => v.Sum()),
                Values("target5xx", v => v.Sum()),
                Values("p50", v => v.Max()),
                Values("maximum", v => v.Max()),
                groups.Select((arn, i) => (arn, i)).ToDictionary(
                    x => x.arn,
                    x => (Values(FormattableString.Invariant($"healthy{x.i}"), v => v.Min()), Values(FormattableString.Invariant($"unhealthy{x.i}"), v => v.Max())),
                    StringComparer.Ordinal));
        });
    }

    /// <summary>
    /// How many 502, 503 and 504 each load balancer answered itself in the window (HTTPCode_ELB_5xx_Count sums; zero without
    /// a datapoint): one GetMetricData of three queries per load balancer, for a quick look before a full reading.
    /// </summary>
    public async Task<Fact<IReadOnlyDictionary<string, double>>> LoadBalancerErrorsAsync(IReadOnlyList<string> loadBalancerArns, DateTimeOffset startTime,
        DateTimeOffset endTime, CancellationToken cancellationToken)
    {
        var arns = loadBalancerArns.Distinct(StringComparer.Ordinal).ToList();
        var period = Math.Max(60, (int)Math.Ceiling((endTime - startTime).TotalSeconds / 60) * 60);
        var codes = new[] { "502", "503", "504" };
        var queries = arns.SelectMany((arn, i) => codes.Select(code => new CloudWatchMetricQuery(FormattableString.Invariant($"lb{i}_{code}"),
            new CloudWatchMetric(LoadBalancerNamespace, $"HTTPCode_ELB_{code}_Count", new[] { new CloudWatchDimension("LoadBalancer", AwsArn.LoadBalancerDimension(arn)) }),
            period, CloudWatchStatistic.Sum))).ToList();
        var read = await _facts.Policy.ReadAsync($"the 5xx counts of load balancers {string.Join(", ", arns.Select(AwsArn.TargetGroupName))}",
            () => _facts.Session.Client<CloudWatchClient>().GetMetricDataAsync(queries, startTime, endTime, cancellationToken)).ConfigureAwait(false);
        return read.Select(results =>
        {
            var sums = results.ToDictionary(r => r.Id, r => r.Values.Sum(v => v.Value), StringComparer.Ordinal);
            return (IReadOnlyDictionary<string, double>)arns.Select((arn, i) => (arn, i)).ToDictionary(
                x => x.arn, x => codes.Sum(code => sums.TryGetValue(FormattableString.Invariant($"lb{x.i}_{code}"), out var sum) ? sum : 0), StringComparer.Ordinal);
        });
    }

    private static MetricSeries Series(IReadOnlyDictionary<string, CloudWatchMetricResult> results, int index, string metric) =>
        Series(results, stat => QueryId(index, metric, stat));

    /// <summary>A metric's series from the results of its Average, Maximum and SampleCount queries, whose ids <paramref name="queryId"/> gives by statistic.</summary>
    private static MetricSeries Series(IReadOnlyDictionary<string, CloudWatchMetricResult> results, Func<string, string> queryId)
    {
        IReadOnlyList<CloudWatchValue> Values(string stat) =>
            results.TryGetValue(queryId(stat), out var result) ? result.Values : Array.Empty<CloudWatchValue>();

        var averages = Values(CloudWatchStatistic.Average).ToDictionary(v => v.Timestamp, v => v.Value);
        var maximums = Values(CloudWatchStatistic.Maximum).ToDictionary(v => v.Timestamp, v => v.Value);
        var counts = Values(CloudWatchStatistic.SampleCount).ToDictionary(v => v.Timestamp, v => v.Value);
        var samples = averages.Keys.Union(maximums.Keys).OrderBy(t => t).Select(t => new MetricSample
        {
            Timestamp = t,
            Average = averages.TryGetValue(t, out var average) ? Math.Round(average, 2) : null,
            Maximum = maximums.TryGetValue(t, out var maximum) ? Math.Round(maximum, 2) : null,
        }).ToList();
        var weighted = averages.Select(a => (a.Value, Weight: counts.TryGetValue(a.Key, out var count) && count > 0 ? count : 1)).ToList();
        double? mean = weighted.Count == 0 ? null : Math.Round(weighted.Sum(w => w.Value * w.Weight) / weighted.Sum(w => w.Weight), 2);
        double? highest = maximums.Count == 0 ? null : Math.Round(maximums.Values.Max(), 2);
        return new MetricSeries(mean, highest, samples);
    }

    // GetMetricData ids start with a lower-case letter and hold letters, digits and underscores only.
    private static string QueryId(int index, string metric, string stat) =>
        FormattableString.Invariant($"s{index}_{(metric == CpuUtilization ? "cpu" : "mem")}_{stat.ToLowerInvariant()}");

    // ------------------------------------------------------------------ AWS/RDS (clusters and instances)

    /// <summary>The namespace RDS publishes cluster and instance metrics in.</summary>
    public const string RdsNamespace = "AWS/RDS";

    /// <summary>Aurora Serverless v2's capacity in use, in ACUs.</summary>
    public const string ServerlessDatabaseCapacity = "ServerlessDatabaseCapacity";

    /// <summary>Open connections to the cluster.</summary>
    public const string DatabaseConnections = "DatabaseConnections";

    /// <summary>The AWS/RDS metric of a cluster (dimension DBClusterIdentifier) or an instance (DBInstanceIdentifier).</summary>
    public static CloudWatchMetric DatabaseMetric(RdsDatabase database, string metricName) =>
        new(RdsNamespace, metricName, new[] { new CloudWatchDimension(database.Kind == DatabaseKind.Cluster ? "DBClusterIdentifier" : "DBInstanceIdentifier", database.Identifier) });

    /// <summary>
    /// A database's CPUUtilization and DatabaseConnections in [<paramref name="startTime"/>, <paramref name="endTime"/>) by
    /// <paramref name="periodSeconds"/>, and ServerlessDatabaseCapacity for a cluster or a db.serverless instance: one call
    /// (runbook 004 "Database performance issues" steps 1 and 2).
    /// </summary>
    public async Task<Fact<DatabaseLoadSeries>> DatabaseAsync(RdsDatabase database, DateTimeOffset startTime, DateTimeOffset endTime, int periodSeconds,
        CancellationToken cancellationToken)
    {
        static string Id(string metric, string stat) => $"db_{metric.ToLowerInvariant()}_{stat.ToLowerInvariant()}";
        var serverless = database.Kind == DatabaseKind.Cluster || database.InstanceClass == ServerlessInstanceClass;
        var metrics = serverless ? new[] { ServerlessDatabaseCapacity, CpuUtilization, DatabaseConnections } : new[] { CpuUtilization, DatabaseConnections };
        var queries = metrics.SelectMany(metric => Stats.Select(stat =>
            new CloudWatchMetricQuery(Id(metric, stat), DatabaseMetric(database, metric), periodSeconds, stat))).ToList();
        var read = await _facts.Policy.ReadAsync($"AWS/RDS metrics of {database.Identifier}",
            () => _facts.Session.Client<CloudWatchClient>().GetMetricDataAsync(queries, startTime, endTime, cancellationToken)).ConfigureAwait(false);
        return read.Select(results =>
        {
            var byId = results.ToDictionary(r => r.Id, StringComparer.Ordinal);
            MetricSeries Of(string metric) => Series(byId, stat => Id(metric, stat));
            return new DatabaseLoadSeries(database.Identifier, Of(ServerlessDatabaseCapacity), Of(CpuUtilization), Of(DatabaseConnections));
        });
    }

    /// <summary>The instance class of an Aurora Serverless v2 instance.</summary>
    public const string ServerlessInstanceClass = "db.serverless";
}

/// <summary>A database's load over a window (namespace AWS/RDS, by DBClusterIdentifier or DBInstanceIdentifier); Capacity is empty when not asked for.</summary>
public sealed record DatabaseLoadSeries(string Identifier, MetricSeries Capacity, MetricSeries Cpu, MetricSeries Connections);
