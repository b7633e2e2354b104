using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;
using DeployOps.Sandbox.Front;
using DeployOps.Sandbox.Moto;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.Vpc;

/// <summary>
/// Flow logs as EC2 reports their delivery: moto sets a flow log's delivery status once, when it is made (FAILED when its
/// log group is missing), and never looks at its IAM role. EC2 says <c>FAILED</c> / <c>Access error</c> while the role that
/// delivers to CloudWatch Logs does not exist, so DescribeFlowLogs is moto's answer with that status for each flow log whose
/// role IAM (moto's) does not know at the moment of the question. It owns nothing.
/// </summary>
public sealed class FlowLogsSimulator : Simulator
{
    public FlowLogsSimulator(WorldContext world)
        : base(world)
    {
    }

    public override void Register(AwsRoutes routes) => routes.Answer("ec2", "DescribeFlowLogs", DescribeAsync);

    protected override void Forget(ScenarioDefinition? next)
    {
    }

    private async Task<AwsResponse?> DescribeAsync(AwsRequest request, CancellationToken cancellationToken)
    {
        var reply = await World.Moto.ForwardAsync(request, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return reply;
        }

        IReadOnlyList<string> roles;
        try
        {
            roles = XElement.Parse(reply.BodyText).Descendants().Where(e => e.Name.LocalName == "item" && e.Text("logDestinationType") is null or "cloud-watch-logs")
                .Select(e => e.Text("deliverLogsPermissionArn")).Where(arn => arn is not null).Select(arn => arn!).Distinct(StringComparer.Ordinal).ToList();
        }
        catch (XmlException)
        {
            return reply;
        }

        var missing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var arn in roles)
        {
            try
            {
                await World.Moto.IamAsync("GetRole", [new("RoleName", arn[(arn.LastIndexOf('/') + 1)..])], cancellationToken).ConfigureAwait(false);
            }
            catch (MotoCallException ex) when (ex.Code == "NoSuchEntity")
            {
                missing.Add(arn);
            }
        }

        return missing.Count == 0 ? reply : QueryXml.Overlay(reply, root =>
        {
            var ns = root.Name.Namespace;
            foreach (var flowLog in root.Descendants(ns + "flowLogSet").Elements(ns + "item").Where(f => missing.Contains((string?)f.Element(ns + "deliverLogsPermissionArn") ?? "")))
            {
                flowLog.Element(ns + "deliverLogsStatus")?.Remove();
                flowLog.Element(ns + "deliverLogsErrorMessage")?.Remove();
                flowLog.Add(new XElement(ns + "deliverLogsStatus", "FAILED"), new XElement(ns + "deliverLogsErrorMessage", "Access error"));
            }
        });
    }
}
