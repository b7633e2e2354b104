using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DeployOps.Sandbox.Front;

namespace DeployOps.Sandbox.Simulators.Metrics;

/// <summary>
/// GetMetricData computed from the values the world published, for a request that asks for a percentile (<c>p50</c>,
/// <c>p99.9</c>): moto cannot compute those. Each query's values are grouped into periods from StartTime, and each period
/// gets the statistic: Sum, Average, Minimum, Maximum, SampleCount or a percentile (nearest rank, as CloudWatch's for raw
/// values). Periods without a value are left out, as CloudWatch does. One computation, two encodings: the query protocol
/// (form in, XML out) and AWS JSON 1.0 (<c>X-Amz-Target: GraniteServiceVersion20100801.GetMetricData</c>, the aws CLI's:
/// epoch-second timestamps both ways).
/// </summary>
internal static partial class Percentiles
{
    [GeneratedRegex(@"^p(\d{1,2}(\.\d+)?|100)$")]
    private static partial Regex PercentilePattern();

    /// <summary>True when one of the request's queries (query protocol or JSON 1.0) asks for a percentile.</summary>
    public static bool Answers(AwsRequest request) =>
        request.Protocol?.Protocol == WireProtocol.Query && Queries(request).Any(q => PercentilePattern().IsMatch(q.Stat));

    public static AwsResponse Answer(AwsRequest request, IReadOnlyList<MetricValue> history)
    {
        var results = Compute(request, history);
        if (request.IsJson)
        {
            var answer = new JsonObject
            {
                ["MetricDataResults"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
                {
                    ["Id"] = r.Id,
                    ["Label"] = r.Label,
                    ["StatusCode"] = "Complete",
                    ["Timestamps"] = new JsonArray(r.Periods.Select(p => (JsonNode)JsonValue.Create(p.At.ToUnixTimeSeconds())).ToArray()),
                    ["Values"] = new JsonArray(r.Periods.Select(p => (JsonNode)JsonValue.Create(p.Value)).ToArray()),
                }).ToArray()),
                ["Messages"] = new JsonArray(),
            };
            return new AwsResponse(200, "application/x-amz-json-1.0", Encoding.UTF8.GetBytes(answer.ToJsonString()));
        }

        return QueryXml.Response(request.Protocol!, "GetMetricData", QueryXml.List("MetricDataResults", results.Select(r => (IEnumerable<XElement?>)
        [
            QueryXml.Text("Id", r.Id),
            QueryXml.Text("Label", r.Label),
            QueryXml.Text("StatusCode", "Complete"),
            QueryXml.Strings("Timestamps", r.Periods.Select(p => p.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))),
            QueryXml.Strings("Values", r.Periods.Select(p => p.Value.ToString("R", CultureInfo.InvariantCulture))),
        ])), QueryXml.List("Messages", []));
    }

    /// <summary>Each query's periods with values, in the order asked.</summary>
    private static List<QueryResult> Compute(AwsRequest request, IReadOnlyList<MetricValue> history)
    {
        var start = request.Timestamp("StartTime") ?? DateTimeOffset.UtcNow;
        var end = request.Timestamp("EndTime") ?? DateTimeOffset.UtcNow;
        return Queries(request).Select(query =>
        {
            var values = history.Where(v => v.Region == request.Region && v.Namespace == query.Namespace && v.MetricName == query.MetricName &&
                                            v.Dimensions.Count == query.Dimensions.Count && query.Dimensions.All(d => v.Dimensions.Contains(d)) &&
                                            v.Timestamp >= start && v.Timestamp < end);
            var periods = values.GroupBy(v => start.AddSeconds(Math.Floor((v.Timestamp - start).TotalSeconds / query.Period) * query.Period))
                .OrderBy(g => g.Key).Select(g => (At: g.Key, Value: Statistic(query.Stat, g.Select(v => v.Value).ToList()))).ToList();
            return new QueryResult(query.Id, query.MetricName, periods);
        }).ToList();
    }

    private sealed record QueryResult(string Id, string Label, IReadOnlyList<(DateTimeOffset At, double Value)> Periods);

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
        if (request.IsJson)
        {
            foreach (var node in request.Json["MetricDataQueries"] as JsonArray ?? [])
            {
                var stat = node?["MetricStat"];
                var metric = stat?["Metric"];
                yield return new Query(Text(node?["Id"]) ?? "", Text(metric?["Namespace"]) ?? "", Text(metric?["MetricName"]) ?? "",
                    (metric?["Dimensions"] as JsonArray ?? []).Select(d => new KeyValuePair<string, string>(Text(d?["Name"]) ?? "", Text(d?["Value"]) ?? "")).ToList(),
                    int.TryParse(Text(stat?["Period"]), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : 60,
                    Text(stat?["Stat"]) ?? "");
            }

            yield break;
        }

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

    private static string? Text(JsonNode? node) => node is JsonValue value ? value.ToString() : null;
}
