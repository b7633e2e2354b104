using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;
using DeployOps.Sandbox.Front;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.Vpc;

/// <summary>
/// NAT gateways a scenario declares <c>failed</c> (moto has no such state): the loader deletes them in moto, so the
/// world's egress finds no available gateway, and this simulator shows them in DescribeNatGateways as EC2 does a failed
/// one, with <c>state</c> failed, a <c>failureCode</c> and a <c>failureMessage</c>. It owns nothing else and calls nobody.
/// </summary>
public sealed class NatGatewaysSimulator : Simulator
{
    /// <summary>EC2's messages for the failure codes a scenario may name.</summary>
    private static readonly Dictionary<string, string> FailureMessages = new()
    {
        ["Gateway.NotAttached"] = "Network has no Internet gateway attached",
        ["InsufficientFreeAddressesInSubnet"] = "Subnet has insufficient free addresses to create this NAT gateway",
        ["InvalidAllocationID.NotFound"] = "Elastic IP address could not be associated with this NAT gateway",
        ["InternalError"] = "Internal error occurred while creating the NAT gateway",
    };

    /// <summary>Failed gateways by Name tag, with their failure code.</summary>
    private Dictionary<string, string> _failed = new();

    public NatGatewaysSimulator(WorldContext world)
        : base(world)
    {
    }

    public override void Register(AwsRoutes routes) => routes.Answer("ec2", "DescribeNatGateways", DescribeAsync);

    protected override void Forget(ScenarioDefinition? next) =>
        _failed = (next?.NatGateways ?? []).Where(n => n.State == "failed").ToDictionary(n => n.Name, n => n.FailureCode ?? "InternalError");

    private async Task<AwsResponse?> DescribeAsync(AwsRequest request, CancellationToken cancellationToken)
    {
        var reply = await World.Moto.ForwardAsync(request, cancellationToken).ConfigureAwait(false);
        Dictionary<string, string> failed;
        lock (Gate)
        {
            failed = _failed;
        }

        if (!reply.IsSuccess || failed.Count == 0)
        {
            return reply;
        }

        return QueryXml.Overlay(reply, root =>
        {
            var ns = root.Name.Namespace;
            foreach (var gateway in root.Descendants(ns + "natGatewaySet").Elements(ns + "item"))
            {
                var name = gateway.Element(ns + "tagSet")?.Elements(ns + "item").FirstOrDefault(t => (string?)t.Element(ns + "key") == "Name")?.Element(ns + "value")?.Value;
                if (name is null || !failed.TryGetValue(name, out var code))
                {
                    continue;
                }

                gateway.Element(ns + "state")?.SetValue("failed");
                gateway.Element(ns + "failureCode")?.Remove();
                gateway.Element(ns + "failureMessage")?.Remove();
                gateway.Add(new XElement(ns + "failureCode", code), new XElement(ns + "failureMessage", FailureMessages.GetValueOrDefault(code, code)));
            }
        });
    }
}
