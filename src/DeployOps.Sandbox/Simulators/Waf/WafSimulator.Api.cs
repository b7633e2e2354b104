using System;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Sandbox.Front;

namespace DeployOps.Sandbox.Simulators.Waf;

/// <summary>The WAFV2 operations the simulator answers (GetSampledRequests, which moto lacks) or hears; moto answers the rest.</summary>
public sealed partial class WafSimulator
{
    public override void Register(AwsRoutes routes)
    {
        routes.Answer(Service, "GetSampledRequests", (request, _) => Task.FromResult<AwsResponse?>(GetSampledRequests(request)));
        // A web ACL changed (UpdateWebACL, AssociateWebACL...): read them again on the next step.
        routes.OnWrite(Service, request =>
        {
            lock (Gate)
            {
                _staleRegions.Add(request.Region);
            }
        });
    }

    /// <summary>
    /// The samples of the web ACL in the time window: all of them for the web ACL's own metric name, those a rule blocked
    /// for the rule's; the most recent <c>MaxItems</c>, each weighing its share of the population.
    /// </summary>
    private AwsResponse GetSampledRequests(AwsRequest request)
    {
        var input = request.Json;
        var aclArn = input["WebAclArn"]?.GetValue<string>();
        var metricName = input["RuleMetricName"]?.GetValue<string>();
        var start = Time(input["TimeWindow"]?["StartTime"]);
        var end = Time(input["TimeWindow"]?["EndTime"]);
        var maxItems = input["MaxItems"] is JsonValue max && max.TryGetValue<long>(out var items) ? items : 0;
        if (aclArn is null || metricName is null || start is null || end is null || maxItems is < 1 or > 500 || input["Scope"]?.GetValue<string>() is not ("REGIONAL" or "CLOUDFRONT"))
        {
            return AwsResponse.Error(request.Protocol!, 400, "WAFInvalidParameterException",
                "WebAclArn, RuleMetricName, Scope, TimeWindow (StartTime, EndTime) and MaxItems (1 to 500) are required.");
        }

        lock (Gate)
        {
            var acl = _byLoadBalancer.Values.FirstOrDefault(a => a.Arn == aclArn);
            if (acl is null)
            {
                return AwsResponse.Error(request.Protocol!, 400, "WAFNonexistentItemException", "AWS WAF couldn't perform the operation because your resource doesn't exist.");
            }

            var population = _samples
                .Where(s => s.AclArn == aclArn && s.At >= start && s.At <= end && (metricName == acl.MetricName || s.RuleMetricName == metricName))
                .ToList();
            var chosen = population.OrderByDescending(s => s.At).Take((int)maxItems).ToList();
            var weight = chosen.Count == 0 ? 1 : Math.Max(1, population.Count / chosen.Count);
            return AwsResponse.Json(new JsonObject
            {
                ["SampledRequests"] = new JsonArray(chosen.Select(s => (JsonNode)new JsonObject
                {
                    ["Request"] = new JsonObject
                    {
                        ["ClientIP"] = s.ClientIp,
                        ["Country"] = "-",
                        ["URI"] = s.Uri,
                        ["Method"] = s.Method,
                        ["HTTPVersion"] = "HTTP/1.1",
                        ["Headers"] = new JsonArray(s.Host is null ? [] : [new JsonObject { ["Name"] = "Host", ["Value"] = s.Host }]),
                    },
                    ["Weight"] = weight,
                    ["Timestamp"] = s.At.ToUnixTimeMilliseconds() / 1000.0,
                    ["Action"] = s.Action,
                }).ToArray()),
                ["PopulationSize"] = population.Count,
                ["TimeWindow"] = new JsonObject
                {
                    ["StartTime"] = start.Value.ToUnixTimeMilliseconds() / 1000.0,
                    ["EndTime"] = end.Value.ToUnixTimeMilliseconds() / 1000.0,
                },
            });
        }
    }

    /// <summary>A JSON-protocol timestamp: epoch seconds (fractional), or ISO 8601 text.</summary>
    private static DateTimeOffset? Time(JsonNode? node) =>
        node is JsonValue value
            ? value.GetValueKind() == JsonValueKind.Number
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(value.GetValue<double>() * 1000))
                : DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null
            : null;
}
