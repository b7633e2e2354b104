using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DeployOps.Sandbox.Front;

namespace DeployOps.Sandbox.Simulators.Metrics;

/// <summary>
/// GetMetricData (query protocol) computed from the values the world published, for a request that asks for a percentile
/// (<c>p50</c>, <c>p99.9</c>): moto cannot compute those. Each query's values are grouped into periods from StartTime,
/// and each period gets the statistic: Sum, Average, Minimum, Maximum, SampleCount or a percentile (nearest rank, as
/// CloudWatch's for raw values). Periods without a value are left out, as CloudWatch does.
/// </summary>
internal static partial class Percentiles
{
    [GeneratedRegex(@"^p(\d{1,2}(\.\d+)?|100)$")]
    private static partial Regex PercentilePattern();

    /// <summary>True when the request is query protocol and one of its queries asks for a percentile.</summary>
    public static bool Answers(AwsRequest request) =>
        request.Protocol?.Protocol == WireProtocol.Query && Queries(request).Any(q => PercentilePattern().IsMatch(q.Stat));

    public static AwsResponse Answer(AwsRequest request, IReadOnlyList<MetricValue> history)
    {
        var start = Time(request.FormValue("StartTime"));
        var end = Time(request.FormValue("EndTime"));
        var results = Queries(request).Select(query =>
        {
            var values = history.Where(v => v.Region == request.Region && v.Namespace == query.Namespace && v.MetricName == query.MetricName &&
                                            v.Dimensions.Count == query.Dimensions.Count && query.Dimensions.All(d => v.Dimensions.Contains(d)) &&
                                            v.Timestamp >= start && v.Timestamp < end);
            var periods = values.GroupBy(v => start.AddSeconds(Math.Floor((v.Timestamp - start).TotalSeconds / query.Period) * query.Period))
                .OrderBy(g => g.Key).Select(g => (At: g.Key, Value: Statistic(query.Stat, g.Select(v => v.Value).ToList()))).ToList();
            return (IEnumerable<XElement?>)
            [
                QueryXml.Text("Id", query.Id),
                QueryXml.Text("Label", query.MetricName),
                QueryXml.Text("StatusCode", "Complete"),
                QueryXml.Strings("Timestamps", periods.Select(p => p.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))),
                QueryXml.Strings("Values", periods.Select(p => p.Value.ToString("R", CultureInfo.InvariantCulture))),
            ];
        });
        return QueryXml.Response(request.Protocol!, "GetMetricData", QueryXml.List("MetricDataResults", results), QueryXml.List("Messages", []));
    }

    private static double Statistic(string stat, List<double> values) => stat switch
    {
        "Sum" => values.Sum(),
        "Average" => values.Average(),
        "Minimum" => values.Min(),
        "Maximum" => values.Max(),
        "SampleCount" => values.Count,
        _ => NearestRank(values, double.Parse(stat[1..], CultureInfo.InvariantCulture)),
    };

    private static double NearestRank(List<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    private sealed record Query(string Id, string Namespace, string MetricName, IReadOnlyList<KeyValuePair<string, string>> Dimensions, int Period, string Stat);

    private static IEnumerable<Query> Queries(AwsRequest request)
    {
        for (var i = 1; request.FormValue($"MetricDataQueries.member.{i}.Id") is { } id; i++)
        {
            var stat = $"MetricDataQueries.member.{i}.MetricStat.";
            var dimensions = new List<KeyValuePair<string, string>>();
            for (var d = 1; request.FormValue($"{stat}Metric.Dimensions.member.{d}.Name") is { } name; d++)
            {
                dimensions.Add(new(name, request.FormValue($"{stat}Metric.Dimensions.member.{d}.Value") ?? ""));
            }

            yield return new Query(id, request.FormValue($"{stat}Metric.Namespace") ?? "", request.FormValue($"{stat}Metric.MetricName") ?? "", dimensions,
                int.TryParse(request.FormValue($"{stat}Period"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var period) && period > 0 ? period : 60,
                request.FormValue($"{stat}Stat") ?? "");
        }
    }

    private static DateTimeOffset Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : DateTimeOffset.UtcNow;
}
