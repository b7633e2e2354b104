using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;
using DeployOps.Sandbox.Front;
using DeployOps.Sandbox.Moto;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.Rds;

/// <summary>The RDS operations the simulator answers or overlays; moto answers every other one (subnet groups included).</summary>
public sealed partial class RdsSimulator
{
    /// <summary>DescribeEvents' default window when no time is given: the last hour, as RDS does.</summary>
    private const int DefaultEventMinutes = 60;

    public override void Register(AwsRoutes routes)
    {
        routes.Answer(Service, "CreateDBInstance", CreateInstanceAsync);
        routes.Answer(Service, "DescribeDBInstances", DescribeInstancesAsync);
        routes.Answer(Service, "DeleteDBInstance", DeleteInstanceAsync);
        routes.Answer(Service, "DescribeEvents", (request, _) => Task.FromResult<AwsResponse?>(DescribeEvents(request)));
        RegisterServers(routes);
    }

    /// <summary>moto creates the instance (and validates the request); the answer says <c>creating</c>, as RDS's does.</summary>
    private async Task<AwsResponse?> CreateInstanceAsync(AwsRequest request, CancellationToken cancellationToken)
    {
        var reply = await World.Moto.ForwardAsync(request, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess || request.FormValue("DBInstanceIdentifier") is not { } identifier)
        {
            return reply;
        }

        InstanceCreated(request.Region, identifier, World.Clock.Now);
        return Overlay(reply, request.Region);
    }

    /// <summary>moto lists what exists; each instance gets the status of its life, and one whose deletion is over is left out.</summary>
    private async Task<AwsResponse?> DescribeInstancesAsync(AwsRequest request, CancellationToken cancellationToken)
    {
        var reply = await World.Moto.ForwardAsync(request, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return reply;
        }

        if (request.FormValue("DBInstanceIdentifier") is { } identifier && InstanceStatus(request.Region, identifier, World.Clock.Now) is null && IsTracked(request.Region, identifier))
        {
            return NotFound(request, identifier);
        }

        return Overlay(reply, request.Region);
    }

    /// <summary>The instance turns <c>deleting</c> for <see cref="DatabaseLife.DeleteSeconds"/>; moto forgets it afterwards.</summary>
    private async Task<AwsResponse?> DeleteInstanceAsync(AwsRequest request, CancellationToken cancellationToken)
    {
        if (request.FormValue("DBInstanceIdentifier") is not { } identifier)
        {
            return null;
        }

        var status = InstanceStatus(request.Region, identifier, World.Clock.Now);
        if (status is null && IsTracked(request.Region, identifier))
        {
            return NotFound(request, identifier);
        }

        if (status == "deleting")
        {
            return AwsResponse.Error(request.Protocol!, 400, "InvalidDBInstanceState", $"Instance {identifier} is already being deleted.");
        }

        XElement described;
        try
        {
            described = await World.Moto.RdsAsync("DescribeDBInstances", [new("DBInstanceIdentifier", identifier)], request.Region, cancellationToken).ConfigureAwait(false);
        }
        catch (MotoCallException ex)
        {
            return AwsResponse.Error(request.Protocol!, ex.Status, ex.Code, ex.AwsMessage);
        }

        InstanceDeleted(request.Region, identifier, World.Clock.Now);
        var instance = described.Find("DBInstance")!;
        OverlayInstance(instance, request.Region, World.Clock.Now);
        return QueryXml.Response(request.Protocol!, "DeleteDBInstance", Unqualified(instance));
    }

    private AwsResponse? DescribeEvents(AwsRequest request)
    {
        var now = World.Clock.Now;
        var (from, to) = EventWindow(request, now);
        if (from is null)
        {
            return AwsResponse.Error(request.Protocol!, 400, "InvalidParameterValue", "Duration, StartTime and EndTime must be valid: Duration in minutes, times in ISO 8601.");
        }

        var sourceType = request.FormValue("SourceType");
        var sourceIdentifier = request.FormValue("SourceIdentifier");
        var categories = request.FormList("EventCategories");
        var maxRecords = int.TryParse(request.FormValue("MaxRecords"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var max) ? Math.Clamp(max, 20, 100) : 100;
        var offset = int.TryParse(request.FormValue("Marker"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var marker) ? marker : 0;
        List<DatabaseEvent> events;
        lock (Gate)
        {
            events = _instances.Values
                .Where(l => l.Region == request.Region)
                .Where(l => sourceType is null || l.SourceType == sourceType)
                .Where(l => sourceIdentifier is null || l.Identifier == sourceIdentifier)
                .SelectMany(l => l.EventsBy(now))
                .Where(e => e.At >= from && e.At <= to)
                .Where(e => categories.Count == 0 || categories.Contains(e.Category))
                .OrderBy(e => e.At)
                .ToList();
        }

        var page = events.Skip(offset).Take(maxRecords).ToList();
        return QueryXml.Response(request.Protocol!, "DescribeEvents",
            QueryXml.List("Events", page.Select(e => new[]
            {
                QueryXml.Text("SourceIdentifier", e.SourceIdentifier),
                QueryXml.Text("SourceType", e.SourceType),
                QueryXml.Text("Message", e.Message),
                QueryXml.Strings("EventCategories", [e.Category], "EventCategory"),
                QueryXml.Time("Date", World.Clock.Timestamp(e.At)),
                QueryXml.Text("SourceArn", e.SourceArn),
            }), "Event"),
            offset + maxRecords < events.Count ? QueryXml.Text("Marker", (offset + maxRecords).ToString(CultureInfo.InvariantCulture)) : null);
    }

    /// <summary>The world-time window DescribeEvents asks for: StartTime/EndTime, else the last Duration minutes (default 60); null when unreadable.</summary>
    private (double? From, double To) EventWindow(AwsRequest request, double now)
    {
        static DateTimeOffset? Time(string? text) =>
            text is null ? null : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : DateTimeOffset.MinValue;

        var start = Time(request.FormValue("StartTime"));
        var end = Time(request.FormValue("EndTime"));
        if (start == DateTimeOffset.MinValue || end == DateTimeOffset.MinValue)
        {
            return (null, now);
        }

        var to = end is { } e ? World.Clock.WorldSeconds(e) : now;
        if (start is { } s)
        {
            return (World.Clock.WorldSeconds(s), to);
        }

        var durationText = request.FormValue("Duration");
        if (durationText is not null && (!int.TryParse(durationText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var minutes) || minutes < 0))
        {
            return (null, now);
        }

        return (to - (durationText is null ? DefaultEventMinutes : int.Parse(durationText, CultureInfo.InvariantCulture)) * 60.0, to);
    }

    private bool IsTracked(string region, string identifier)
    {
        lock (Gate)
        {
            return _instances.ContainsKey((region, identifier));
        }
    }

    private static AwsResponse NotFound(AwsRequest request, string identifier) =>
        AwsResponse.Error(request.Protocol!, 404, "DBInstanceNotFound", $"DBInstance {identifier} not found.");

    /// <summary>moto's answer with every instance in the state of its life (and the ones whose deletion is over left out).</summary>
    private AwsResponse Overlay(AwsResponse reply, string region) => QueryXml.Overlay(reply, root =>
    {
        var now = World.Clock.Now;
        foreach (var instance in root.Descendants().Where(e => e.Name.LocalName == "DBInstance").ToList())
        {
            if (!OverlayInstance(instance, region, now))
            {
                instance.Remove();
            }
        }
    });

    /// <summary>Sets one DBInstance element's status (and what only an available instance has); false when its deletion is over.</summary>
    private bool OverlayInstance(XElement instance, string region, double now)
    {
        var identifier = instance.Text("DBInstanceIdentifier") ?? "";
        DatabaseLife? life;
        lock (Gate)
        {
            life = _instances.GetValueOrDefault((region, identifier));
        }

        if (life is null)
        {
            lock (Gate)
            {
                OverlayDbInstance(instance, region, now);
            }

            return true;
        }

        var status = life.StatusAt(now);
        if (status is null)
        {
            return false;
        }

        var ns = instance.Name.Namespace;
        instance.Child("DBInstanceStatus")?.SetValue(status);
        var createTime = instance.Child("InstanceCreateTime");
        if (status is "creating" or "failed")
        {
            instance.Child("Endpoint")?.Remove();
            createTime?.Remove();
        }
        else if (createTime is not null)
        {
            createTime.SetValue(WorldTimeline.Iso(World.Clock.Timestamp(life.CreatedAt)));
        }
        else
        {
            instance.Add(new XElement(ns + "InstanceCreateTime", WorldTimeline.Iso(World.Clock.Timestamp(life.CreatedAt))));
        }

        return true;
    }

    /// <summary>A copy of a moto element without its namespace, for <see cref="QueryXml.Response"/> to give it the service's.</summary>
    private static XElement Unqualified(XElement element)
    {
        var copy = new XElement(element);
        foreach (var e in copy.DescendantsAndSelf())
        {
            e.Name = e.Name.LocalName;
        }

        return copy;
    }
}
