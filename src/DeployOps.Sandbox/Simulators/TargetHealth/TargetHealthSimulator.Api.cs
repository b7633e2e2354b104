using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using DeployOps.Sandbox.Front;
using DeployOps.Sandbox.Moto;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.TargetHealth;

/// <summary>The ELBv2 operations target health answers or hears about; moto answers every other one.</summary>
public sealed partial class TargetHealthSimulator
{
    private const string ElbNamespace = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

    public override void Register(AwsRoutes routes)
    {
        routes.Answer(Service, "DescribeTargetHealth", DescribeTargetHealthAsync);
        routes.ObserveAfterMoto(Service, "DeregisterTargets", OnTargetsDeregistered);
        routes.ObserveAfterMoto(Service, "ModifyTargetGroup", OnTargetGroupModified);
    }

    /// <summary>Someone deregistered targets through the API: they drain like the world's own.</summary>
    private void OnTargetsDeregistered(AwsRequest request)
    {
        if (request.FormValue("TargetGroupArn") is not { } arn)
        {
            return;
        }

        lock (Gate)
        {
            var group = World.Configuration.Snapshot(RegionOf(arn)).TargetGroups.GetValueOrDefault(arn);
            foreach (var (id, port) in RequestedTargets(request))
            {
                _book.Deregister(arn, id, port ?? group?.Port ?? 80, World.Clock.Now, group?.DeregistrationDelaySeconds ?? 300);
            }
        }
    }

    private void OnTargetGroupModified(AwsRequest request)
    {
        if (request.FormValue("TargetGroupArn") is { } arn)
        {
            _modifications.AddOrUpdate(arn, 1, (_, count) => count + 1);
        }
    }

    private static List<(string Id, int? Port)> RequestedTargets(AwsRequest request)
    {
        var targets = new List<(string, int?)>();
        for (var i = 1; request.FormValue($"Targets.member.{i}.Id") is { } id; i++)
        {
            targets.Add((id, int.TryParse(request.FormValue($"Targets.member.{i}.Port"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) ? port : null));
        }

        return targets;
    }

    /// <summary>
    /// moto validates the request and lists the registered targets; target health supplies their health
    /// (and the targets still draining, which moto has already forgotten).
    /// </summary>
    private async Task<AwsResponse?> DescribeTargetHealthAsync(AwsRequest request, CancellationToken cancellationToken)
    {
        var arn = request.FormValue("TargetGroupArn");
        if (arn is null)
        {
            return null;
        }

        // moto checks the group exists and lists what is registered (asked without Targets, so that
        // a target that was asked for but never registered is not listed as if it were).
        XElement registrations;
        try
        {
            registrations = await World.Moto.ElbAsync("DescribeTargetHealth", [new("TargetGroupArn", arn)], request.Region, cancellationToken).ConfigureAwait(false);
        }
        catch (MotoCallException ex)
        {
            return AwsResponse.Error(request.Protocol!, ex.Status, ex.Code, ex.AwsMessage);
        }

        var registered = registrations.ListBelow("TargetHealthDescriptions")
            .Select(d => d.Child("Target"))
            .Select(t => (Id: t.Text("Id") ?? "", Port: t.Int("Port") ?? 0, Zone: t.Text("AvailabilityZone")))
            .Distinct()
            .ToList();
        var requested = RequestedTargets(request);
        var rows = new StringBuilder();
        lock (Gate)
        {
            var group = World.Configuration.Snapshot(request.Region).TargetGroups.GetValueOrDefault(arn);
            var now = World.Clock.Now;
            var known = _book.ForGroup(arn);
            var listed = registered.Select(r => known.FirstOrDefault(e => e.Id == r.Id && e.Port == r.Port)
                    ?? _book.Register(arn, r.Id, r.Port, r.Zone, now, startHealthy: false, group?.HealthyThreshold ?? 5))
                .Concat(known.Where(e => e.IsDraining))
                .Distinct()
                .ToList();
            if (requested.Count > 0)
            {
                foreach (var (id, port) in requested)
                {
                    var entry = listed.FirstOrDefault(e => e.Id == id && (port is null || e.Port == port));
                    var targetPort = port ?? group?.Port ?? 80;
                    rows.Append(entry is null
                        ? Row(id, targetPort, null, group, ("unused", "Target.NotRegistered", "Target is not registered to the target group"))
                        : Row(entry.Id, entry.Port, entry.AvailabilityZone, group, TargetHealthBook.Report(entry, group)));
                }
            }
            else
            {
                foreach (var entry in listed)
                {
                    rows.Append(Row(entry.Id, entry.Port, entry.AvailabilityZone, group, TargetHealthBook.Report(entry, group)));
                }
            }
        }

        return AwsResponse.Xml(
            $"<DescribeTargetHealthResponse xmlns=\"{ElbNamespace}\"><DescribeTargetHealthResult><TargetHealthDescriptions>{rows}</TargetHealthDescriptions>" +
            $"</DescribeTargetHealthResult><ResponseMetadata><RequestId>{AwsServiceProtocol.NewRequestId()}</RequestId></ResponseMetadata></DescribeTargetHealthResponse>");
    }

    private static string Row(string id, int port, string? zone, TargetGroupConfig? group, (string State, string? Reason, string? Description) health)
    {
        var xml = new StringBuilder("<member><Target><Id>").Append(SecurityElement.Escape(id)).Append("</Id><Port>").Append(port).Append("</Port>");
        if (zone is not null)
        {
            xml.Append("<AvailabilityZone>").Append(zone).Append("</AvailabilityZone>");
        }

        xml.Append("</Target><HealthCheckPort>").Append(group?.ProbePort(port) ?? port).Append("</HealthCheckPort><TargetHealth><State>").Append(health.State).Append("</State>");
        if (health.Reason is not null)
        {
            xml.Append("<Reason>").Append(health.Reason).Append("</Reason>");
        }

        if (health.Description is not null)
        {
            xml.Append("<Description>").Append(SecurityElement.Escape(health.Description)).Append("</Description>");
        }

        return xml.Append("</TargetHealth></member>").ToString();
    }
}
