using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Sandbox.Front;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.Metrics;

/// <summary>One value of a CloudWatch metric, as a simulator publishes it.</summary>
/// <param name="Region">The region the metric lives in.</param>
/// <param name="Namespace">E.g. <c>AWS/ECS</c>, <c>AWS/ApplicationELB</c>, <c>AWS/RDS</c>.</param>
/// <param name="MetricName">E.g. <c>MemoryUtilization</c>.</param>
/// <param name="Dimensions">Name and value pairs, in the order the service publishes them (ECS: ClusterName, ServiceName).</param>
/// <param name="Value">The value.</param>
/// <param name="Unit">A CloudWatch unit: Percent, Count, Seconds...</param>
/// <param name="Timestamp">The wall-clock time of the moment it describes.</param>
public sealed record MetricValue(
    string Region,
    string Namespace,
    string MetricName,
    IReadOnlyList<KeyValuePair<string, string>> Dimensions,
    double Value,
    string Unit,
    DateTimeOffset Timestamp);

/// <summary>
/// CloudWatch metrics of the world: simulators publish values (<see cref="Publish"/>) and this one puts them into moto
/// with PutMetricData, in batches, as an effect each tick. moto then answers GetMetricData, GetMetricStatistics and
/// ListMetrics itself, aggregating as CloudWatch does, so clients (DeployOps, the aws CLI) read what the world published.
/// Any namespace goes: the ECS runtime publishes AWS/ECS service utilization; load balancers and databases can publish
/// AWS/ApplicationELB and AWS/RDS metrics the same way. moto computes no percentile (it fails on <c>p50</c>), so a
/// GetMetricData (query protocol) that asks for one is answered here from what the world published (<see cref="Percentiles"/>);
/// every other call goes to moto. It calls no other simulator.
/// </summary>
public sealed class MetricsSimulator : Simulator
{
    /// <summary>PutMetricData takes at most 1,000 values per call.</summary>
    private const int ValuesPerCall = 1000;

    /// <summary>The most values kept for percentile queries; past it the older half goes.</summary>
    private const int HistoryLimit = 200_000;

    private readonly List<MetricValue> _pending = [];

    /// <summary>Every value published since the scenario was loaded, for the percentile queries moto cannot answer.</summary>
    private readonly List<MetricValue> _history = [];
    private readonly Dictionary<(string Namespace, string MetricName), (int Count, double Last)> _published = new();

    public MetricsSimulator(WorldContext world)
        : base(world)
    {
    }

    /// <summary>Queues one value for the next flush.</summary>
    public void Publish(MetricValue value)
    {
        lock (Gate)
        {
            _pending.Add(value);
            _history.Add(value);
            if (_history.Count > HistoryLimit)
            {
                _history.RemoveRange(0, HistoryLimit / 2);
            }
            var key = (value.Namespace, value.MetricName);
            _published[key] = (_published.GetValueOrDefault(key).Count + 1, value.Value);
        }
    }

    protected override void Step(double now)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var batches = _pending.GroupBy(v => (v.Region, v.Namespace)).SelectMany(g => g.Chunk(ValuesPerCall).Select(chunk => (g.Key.Region, g.Key.Namespace, Values: chunk))).ToList();
        _pending.Clear();
        Effect(() => FlushAsync(batches));
    }

    protected override void Forget(ScenarioDefinition? next)
    {
        _pending.Clear();
        _published.Clear();
        _history.Clear();
    }

    public override void Register(AwsRoutes routes) =>
        routes.Answer("monitoring", "GetMetricData", (request, _) => Task.FromResult(Percentiles.Answers(request) ? Percentiles.Answer(request, History()) : null));

    private List<MetricValue> History()
    {
        lock (Gate)
        {
            return [.. _history];
        }
    }

    /// <summary>Adds <c>metrics</c>: how many values of each metric were published, and the last one.</summary>
    public override void DescribeState(JsonObject state)
    {
        lock (Gate)
        {
            state["metrics"] = new JsonArray(_published.OrderBy(p => p.Key.Namespace, StringComparer.Ordinal).ThenBy(p => p.Key.MetricName, StringComparer.Ordinal)
                .Select(p => (JsonNode)new JsonObject
                {
                    ["namespace"] = p.Key.Namespace,
                    ["metricName"] = p.Key.MetricName,
                    ["published"] = p.Value.Count,
                    ["lastValue"] = p.Value.Last,
                }).ToArray());
        }
    }

    private async Task FlushAsync(List<(string Region, string Namespace, MetricValue[] Values)> batches)
    {
        foreach (var (region, metricNamespace, values) in batches)
        {
            var form = new List<KeyValuePair<string, string>> { new("Namespace", metricNamespace) };
            for (var i = 0; i < values.Length; i++)
            {
                var value = values[i];
                var prefix = string.Create(CultureInfo.InvariantCulture, $"MetricData.member.{i + 1}.");
                form.Add(new(prefix + "MetricName", value.MetricName));
                form.Add(new(prefix + "Value", value.Value.ToString("R", CultureInfo.InvariantCulture)));
                form.Add(new(prefix + "Unit", value.Unit));
                form.Add(new(prefix + "Timestamp", value.Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)));
                for (var d = 0; d < value.Dimensions.Count; d++)
                {
                    var dimension = string.Create(CultureInfo.InvariantCulture, $"{prefix}Dimensions.member.{d + 1}.");
                    form.Add(new(dimension + "Name", value.Dimensions[d].Key));
                    form.Add(new(dimension + "Value", value.Dimensions[d].Value));
                }
            }

            await World.Moto.CloudWatchAsync("PutMetricData", form, region, World.Stopping).ConfigureAwait(false);
        }
    }
}
