using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.CloudWatch;

/// <summary>A metric dimension (<c>Dimension</c>), e.g. ClusterName = lightwave-dev-ecs-cluster.</summary>
public sealed record CloudWatchDimension(string Name, string Value)
{
    internal static CloudWatchDimension Read(XElement e) => new(e.Text("Name") ?? string.Empty, e.Text("Value") ?? string.Empty);

    internal AwsParameters ToParameters() => new() { { "Name", Name }, { "Value", Value } };
}

/// <summary>A metric (<c>Metric</c>): namespace, name and dimensions.</summary>
public sealed record CloudWatchMetric(string Namespace, string MetricName, IReadOnlyList<CloudWatchDimension> Dimensions)
{
    internal static CloudWatchMetric Read(XElement e) =>
        new(e.Text("Namespace") ?? string.Empty, e.Text("MetricName") ?? string.Empty, e.List("Dimensions", CloudWatchDimension.Read));

    internal AwsParameters ToParameters() => new()
    {
        { "Namespace", Namespace },
        { "MetricName", MetricName },
        { "Dimensions", Dimensions.Select(d => d.ToParameters()) },
    };

    public override string ToString() => $"{Namespace} {MetricName} ({string.Join(", ", Dimensions.Select(d => $"{d.Name}={d.Value}"))})";
}

/// <summary>The statistics CloudWatch computes (<c>Statistic</c>; GetMetricData's <c>Stat</c> takes the same names).</summary>
public static class CloudWatchStatistic
{
    public const string Average = nameof(Average);
    public const string Maximum = nameof(Maximum);
    public const string Minimum = nameof(Minimum);
    public const string Sum = nameof(Sum);
    public const string SampleCount = nameof(SampleCount);
}

/// <summary>One query of GetMetricData (<c>MetricDataQuery</c> with a <c>MetricStat</c>).</summary>
/// <param name="Id">Unique in the call: a lower-case letter first, then letters, digits and underscores.</param>
/// <param name="Metric">The metric.</param>
/// <param name="PeriodSeconds">The period: 60 or a multiple of it (1, 5, 10, 20, 30 for high-resolution metrics).</param>
/// <param name="Stat">The statistic, e.g. <see cref="CloudWatchStatistic.Maximum"/>.</param>
public sealed record CloudWatchMetricQuery(string Id, CloudWatchMetric Metric, int PeriodSeconds, string Stat)
{
    internal AwsParameters ToParameters() => new()
    {
        { "Id", Id },
        {
            "MetricStat", new AwsParameters
            {
                { "Metric", Metric.ToParameters() },
                { "Period", PeriodSeconds },
                { "Stat", Stat },
            }
        },
        { "ReturnData", true },
    };
}

/// <summary>One timestamped value of a GetMetricData result.</summary>
public readonly record struct CloudWatchValue(DateTimeOffset Timestamp, double Value);

/// <summary>What GetMetricData returned for one query (<c>MetricDataResult</c>), every page merged, oldest first.</summary>
/// <param name="Id">The query's id.</param>
/// <param name="Label">CloudWatch's label for it.</param>
/// <param name="Values">The values with their timestamps, oldest first.</param>
/// <param name="StatusCode">Complete, InternalError, PartialData or Forbidden (the last page's).</param>
public sealed record CloudWatchMetricResult(string Id, string? Label, IReadOnlyList<CloudWatchValue> Values, string? StatusCode)
{
    /// <summary>True when CloudWatch returned every value of the window.</summary>
    public bool IsComplete => StatusCode is null or "Complete";

    internal static CloudWatchMetricResult Read(XElement e)
    {
        var timestamps = e.Items("Timestamps").Select(t => AwsWireValues.ParseTimestamp(t.Value, AwsTimestampFormat.Iso8601)).ToList();
        var values = e.Doubles("Values");
        return new CloudWatchMetricResult(
            e.Text("Id") ?? string.Empty,
            e.Text("Label"),
            timestamps.Zip(values, (at, value) => new CloudWatchValue(at, value)).ToList(),
            e.Text("StatusCode"));
    }

    /// <summary>The results of every page, one per query id, values oldest first.</summary>
    internal static IReadOnlyList<CloudWatchMetricResult> Merge(IEnumerable<CloudWatchMetricResult> pages) =>
        pages.GroupBy(r => r.Id, StringComparer.Ordinal)
            .Select(g => new CloudWatchMetricResult(g.Key, g.First().Label, g.SelectMany(r => r.Values).OrderBy(v => v.Timestamp).ToList(), g.Last().StatusCode))
            .ToList();
}

/// <summary>One datapoint of GetMetricStatistics (<c>Datapoint</c>); statistics not asked for are null.</summary>
public sealed record CloudWatchDatapoint(DateTimeOffset Timestamp, double? Average, double? Maximum, double? Minimum, double? Sum, double? SampleCount, string? Unit)
{
    internal static CloudWatchDatapoint Read(XElement e) => new(
        e.Timestamp("Timestamp") ?? DateTimeOffset.MinValue,
        e.Double("Average"),
        e.Double("Maximum"),
        e.Double("Minimum"),
        e.Double("Sum"),
        e.Double("SampleCount"),
        e.Text("Unit"));
}

/// <summary>What GetMetricStatistics asks for.</summary>
/// <param name="Metric">The metric (every dimension it was published with).</param>
/// <param name="StartTime">The start of the window (inclusive).</param>
/// <param name="EndTime">The end of the window (exclusive).</param>
/// <param name="PeriodSeconds">The period, 60 or a multiple of it.</param>
/// <param name="Statistics">The statistics, e.g. Average and Maximum.</param>
public sealed record CloudWatchStatisticsRequest(CloudWatchMetric Metric, DateTimeOffset StartTime, DateTimeOffset EndTime, int PeriodSeconds, IReadOnlyList<string> Statistics);
