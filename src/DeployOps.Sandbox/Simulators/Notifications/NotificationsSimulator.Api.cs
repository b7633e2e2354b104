using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using DeployOps.Sandbox.Front;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.Notifications;

/// <summary>The SNS and CloudWatch operations the simulator answers or overlays, and its control entry.</summary>
public sealed partial class NotificationsSimulator
{
    private const int DefaultHistoryPage = 100;

    public override void Register(AwsRoutes routes)
    {
        routes.Answer("sns", "ListSubscriptionsByTopic", OverlaySubscriptionsAsync);
        routes.Answer("sns", "ListSubscriptions", OverlaySubscriptionsAsync);
        routes.Answer("sns", "Subscribe", SubscribeAsync);
        routes.Answer("monitoring", "DescribeAlarmHistory", (request, _) => Task.FromResult<AwsResponse?>(DescribeAlarmHistory(request)));
        routes.ObserveAfterMoto("monitoring", "SetAlarmState", request =>
            StateSet(request.Region, request.Param("AlarmName") ?? "", request.Param("StateValue") ?? "", request.Param("StateReason") ?? ""));
    }

    /// <summary><c>POST /_sandbox/sns/confirm</c> <c>{"endpoint": "oncall@example.com"}</c>: the endpoint's owner follows the link SNS sent.</summary>
    public override IEnumerable<ControlRoute> ControlRoutes() =>
    [
        new("POST", "sns/confirm", Confirm),
    ];

    private ControlAnswer Confirm(JsonNode? body)
    {
        var endpoint = body?["endpoint"]?.ToString();
        lock (Gate)
        {
            var confirmed = _pending.RemoveWhere(p => p.Endpoint == endpoint);
            return confirmed == 0
                ? ControlAnswer.Problem($"No subscription of '{endpoint}' is pending confirmation (pending: {(_pending.Count == 0 ? "none" : string.Join(", ", _pending.Select(p => p.Endpoint)))}).")
                : ControlAnswer.Ok(new JsonObject { ["confirmed"] = confirmed });
        }
    }

    /// <summary>moto lists the subscriptions; a pending one's SubscriptionArn says <c>PendingConfirmation</c>, as SNS's does.</summary>
    private async Task<AwsResponse?> OverlaySubscriptionsAsync(AwsRequest request, CancellationToken cancellationToken)
    {
        var reply = await World.Moto.ForwardAsync(request, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return reply;
        }

        var root = XElement.Parse(reply.BodyText);
        foreach (var member in root.Descendants().Where(e => e.Name.LocalName == "member" && e.Parent?.Name.LocalName == "Subscriptions"))
        {
            string? Text(string name) => member.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
            if (IsPending(request.Region, Text("TopicArn") ?? "", Text("Protocol") ?? "", Text("Endpoint") ?? "") &&
                member.Elements().FirstOrDefault(e => e.Name.LocalName == "SubscriptionArn") is { } arn)
            {
                arn.Value = "PendingConfirmation";
            }
        }

        return new AwsResponse(reply.Status, reply.ContentType, Encoding.UTF8.GetBytes(root.ToString(SaveOptions.DisableFormatting)), reply.Headers);
    }

    /// <summary>moto subscribes; an email or HTTP(S) endpoint then waits for its confirmation, and the answer says <c>pending confirmation</c>.</summary>
    private async Task<AwsResponse?> SubscribeAsync(AwsRequest request, CancellationToken cancellationToken)
    {
        var reply = await World.Moto.ForwardAsync(request, cancellationToken).ConfigureAwait(false);
        var protocol = request.FormValue("Protocol") ?? "";
        if (!reply.IsSuccess || !ConfirmedByEndpoint.Contains(protocol) || request.FormValue("TopicArn") is not { } topicArn || request.FormValue("Endpoint") is not { } endpoint)
        {
            return reply;
        }

        lock (Gate)
        {
            _pending.Add((request.Region, TopicName(topicArn), protocol, endpoint));
        }

        if (string.Equals(request.FormValue("ReturnSubscriptionArn"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return reply;
        }

        var root = XElement.Parse(reply.BodyText);
        foreach (var arn in root.Descendants().Where(e => e.Name.LocalName == "SubscriptionArn"))
        {
            arn.Value = "pending confirmation";
        }

        return new AwsResponse(reply.Status, reply.ContentType, Encoding.UTF8.GetBytes(root.ToString(SaveOptions.DisableFormatting)), reply.Headers);
    }

    /// <summary>The state changes of one alarm (or all) in the window, newest first unless ScanBy says otherwise, a page at a time.</summary>
    private AwsResponse DescribeAlarmHistory(AwsRequest request)
    {
        var type = request.Param("HistoryItemType");
        var alarm = request.Param("AlarmName");
        var start = request.Timestamp("StartDate");
        var end = request.Timestamp("EndDate");
        var pageSize = int.TryParse(request.Param("MaxRecords"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var max) ? max : DefaultHistoryPage;
        var offset = int.TryParse(request.Param("NextToken"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var next) ? next : 0;
        if (pageSize is < 1 or > 100 || offset < 0)
        {
            return AwsResponse.Error(request.Protocol!, 400, "InvalidParameterValue", "MaxRecords must be 1 to 100 and NextToken a token this API returned.");
        }

        List<(StateChange Change, DateTimeOffset At)> items;
        lock (Gate)
        {
            items = _history
                .Where(h => h.Region == request.Region && (alarm is null || h.Alarm == alarm) && (type is null || type == "StateUpdate"))
                .Select(h => (Change: h, At: World.Clock.Timestamp(h.At)))
                .Where(h => (start is null || h.At >= start) && (end is null || h.At <= end))
                .ToList();
        }

        items = request.Param("ScanBy") == "TimestampAscending" ? items.OrderBy(i => i.At).ToList() : items.OrderByDescending(i => i.At).ToList();
        var page = items.Skip(offset).Take(pageSize).ToList();
        var token = offset + page.Count < items.Count ? (offset + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        if (request.IsJson)
        {
            // CloudWatch's JSON protocol (AWS JSON 1.0 in query-compatible mode), which the aws CLI speaks now.
            var answer = new JsonObject
            {
                ["AlarmHistoryItems"] = new JsonArray(page.Select(i => (JsonNode)new JsonObject
                {
                    ["AlarmName"] = i.Change.Alarm,
                    ["AlarmType"] = "MetricAlarm",
                    ["Timestamp"] = i.At.ToUnixTimeMilliseconds() / 1000.0,
                    ["HistoryItemType"] = "StateUpdate",
                    ["HistorySummary"] = Summary(i.Change),
                    ["HistoryData"] = HistoryData(i.Change),
                }).ToArray()),
            };
            if (token is not null)
            {
                answer["NextToken"] = token;
            }

            return new AwsResponse(200, "application/x-amz-json-1.0", Encoding.UTF8.GetBytes(answer.ToJsonString()));
        }

        return QueryXml.Response(request.Protocol!, "DescribeAlarmHistory",
            QueryXml.List("AlarmHistoryItems", page.Select(i => new[]
            {
                QueryXml.Text("AlarmName", i.Change.Alarm),
                QueryXml.Text("AlarmType", "MetricAlarm"),
                QueryXml.Time("Timestamp", i.At),
                QueryXml.Text("HistoryItemType", "StateUpdate"),
                QueryXml.Text("HistorySummary", Summary(i.Change)),
                QueryXml.Text("HistoryData", HistoryData(i.Change)),
            })),
            QueryXml.Text("NextToken", token));
    }

    private static string Summary(StateChange change) => $"Alarm updated from {change.OldState} to {change.NewState}";

    private static string HistoryData(StateChange change) => new JsonObject
    {
        ["version"] = "1.0",
        ["oldState"] = new JsonObject { ["stateValue"] = change.OldState },
        ["newState"] = new JsonObject { ["stateValue"] = change.NewState, ["stateReason"] = change.Reason },
    }.ToJsonString();
}
