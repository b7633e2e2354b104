using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using DeployOps.Sandbox.Moto;

namespace DeployOps.Sandbox.World;

/// <summary>A route: its destination block and its target (a gateway id, <c>local</c>, or a NAT gateway id).</summary>
public sealed record RouteConfig(string Destination, string? GatewayId, string? NatGatewayId, string State);

/// <summary>A route table, whether it is its VPC's main table, and the subnets explicitly associated with it.</summary>
public sealed record RouteTableConfig(string Id, string VpcId, bool Main, IReadOnlyList<string> SubnetIds, IReadOnlyList<RouteConfig> Routes);

public sealed record NatGatewayConfig(string Id, string VpcId, string SubnetId, string State);

public sealed record InternetGatewayConfig(string Id, IReadOnlyList<string> VpcIds);

public sealed record VpcEndpointConfig(string Id, string VpcId, string ServiceName, string Type, string State, IReadOnlyList<string> SubnetIds,
    IReadOnlyList<string> SecurityGroupIds, IReadOnlyList<string> RouteTableIds);

/// <summary>A network ACL entry; ports are -1 for every port.</summary>
public sealed record NetworkAclEntryConfig(int Rule, bool Egress, string Protocol, int FromPort, int ToPort, string Cidr, bool Allow);

public sealed record NetworkAclConfig(string Id, string VpcId, IReadOnlyList<string> SubnetIds, IReadOnlyList<NetworkAclEntryConfig> Entries);

/// <summary>
/// How a region's VPCs reach the outside, as moto stores it: route tables, NAT and internet gateways, VPC endpoints and
/// network ACLs. Part of <see cref="ConfigSnapshot"/>; <see cref="Egress"/> decides from it.
/// </summary>
public sealed class RoutingConfig
{
    public static readonly RoutingConfig Empty = new([], [], [], [], []);

    public RoutingConfig(IReadOnlyList<RouteTableConfig> routeTables, IReadOnlyList<NatGatewayConfig> natGateways, IReadOnlyList<InternetGatewayConfig> internetGateways,
        IReadOnlyList<VpcEndpointConfig> endpoints, IReadOnlyList<NetworkAclConfig> networkAcls)
    {
        RouteTables = routeTables;
        NatGateways = natGateways.ToDictionary(n => n.Id, StringComparer.Ordinal);
        InternetGateways = internetGateways.ToDictionary(g => g.Id, StringComparer.Ordinal);
        Endpoints = endpoints;
        NetworkAcls = networkAcls;
    }

    public IReadOnlyList<RouteTableConfig> RouteTables { get; }

    public IReadOnlyDictionary<string, NatGatewayConfig> NatGateways { get; }

    public IReadOnlyDictionary<string, InternetGatewayConfig> InternetGateways { get; }

    public IReadOnlyList<VpcEndpointConfig> Endpoints { get; }

    public IReadOnlyList<NetworkAclConfig> NetworkAcls { get; }

    /// <summary>The route table a subnet uses: the one associated with it, else its VPC's main table.</summary>
    public RouteTableConfig? RouteTableOf(string subnetId, string vpcId) =>
        RouteTables.FirstOrDefault(t => t.SubnetIds.Contains(subnetId)) ?? RouteTables.FirstOrDefault(t => t.Main && t.VpcId == vpcId);

    /// <summary>The network ACL of a subnet (every subnet has exactly one in EC2).</summary>
    public NetworkAclConfig? NetworkAclOf(string subnetId) => NetworkAcls.FirstOrDefault(a => a.SubnetIds.Contains(subnetId));

    public static async Task<RoutingConfig> ReadAsync(MotoClient moto, string region, CancellationToken cancellationToken)
    {
        var tables = await moto.Ec2Async("DescribeRouteTables", [], region, cancellationToken).ConfigureAwait(false);
        var nats = await moto.Ec2Async("DescribeNatGateways", [], region, cancellationToken).ConfigureAwait(false);
        var gateways = await moto.Ec2Async("DescribeInternetGateways", [], region, cancellationToken).ConfigureAwait(false);
        var endpoints = await moto.Ec2Async("DescribeVpcEndpoints", [], region, cancellationToken).ConfigureAwait(false);
        var acls = await moto.Ec2Async("DescribeNetworkAcls", [], region, cancellationToken).ConfigureAwait(false);
        return new RoutingConfig(
            tables.ListBelow("routeTableSet").Select(t => new RouteTableConfig(
                t.Text("routeTableId") ?? "",
                t.Text("vpcId") ?? "",
                t.Items("associationSet").Any(a => a.Bool("main") == true),
                t.Items("associationSet").Select(a => a.Text("subnetId")).Where(s => s is not null).Select(s => s!).ToList(),
                t.Items("routeSet").Select(r => new RouteConfig(r.Text("destinationCidrBlock") ?? r.Text("destinationPrefixListId") ?? "", r.Text("gatewayId"),
                    r.Text("natGatewayId"), r.Text("state") ?? "active")).ToList())).ToList(),
            nats.ListBelow("natGatewaySet").Select(n => new NatGatewayConfig(n.Text("natGatewayId") ?? "", n.Text("vpcId") ?? "", n.Text("subnetId") ?? "",
                n.Text("state") ?? "")).ToList(),
            gateways.ListBelow("internetGatewaySet").Select(g => new InternetGatewayConfig(g.Text("internetGatewayId") ?? "",
                g.Items("attachmentSet").Select(a => a.Text("vpcId") ?? "").ToList())).ToList(),
            endpoints.ListBelow("vpcEndpointSet").Select(ReadEndpoint).ToList(),
            acls.ListBelow("networkAclSet").Select(a => new NetworkAclConfig(
                a.Text("networkAclId") ?? "",
                a.Text("vpcId") ?? "",
                a.Items("associationSet").Select(s => s.Text("subnetId") ?? "").ToList(),
                a.Items("entrySet").Select(ReadAclEntry).ToList())).ToList());
    }

    private static VpcEndpointConfig ReadEndpoint(XElement e) => new(
        e.Text("vpcEndpointId") ?? "",
        e.Text("vpcId") ?? "",
        e.Text("serviceName") ?? "",
        e.Text("vpcEndpointType") ?? "Interface",
        e.Text("state") ?? "",
        e.Items("subnetIdSet").Select(s => s.Value).ToList(),
        e.Items("groupSet").Select(g => g.Text("groupId") ?? "").ToList(),
        e.Items("routeTableIdSet").Select(r => r.Value).ToList());

    private static NetworkAclEntryConfig ReadAclEntry(XElement e) => new(
        e.Int("ruleNumber") ?? 32767,
        e.Bool("egress") ?? false,
        e.Text("protocol") ?? "-1",
        e.Child("portRange").Int("from") ?? -1,
        e.Child("portRange").Int("to") ?? -1,
        e.Text("cidrBlock") ?? "",
        e.Text("ruleAction") == "allow");
}
