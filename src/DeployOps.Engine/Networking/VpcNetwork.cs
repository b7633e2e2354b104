using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.Ec2;
using DeployOps.Facts;

namespace DeployOps.Networking;

/// <summary>
/// One VPC's network as the fact readers found it: subnets, security groups, route tables, NAT and internet gateways,
/// VPC endpoints and network ACLs, each its own fact (a family that could not be read makes only the hops that need it
/// Unknown).
/// </summary>
public sealed class VpcNetwork
{
    public string? VpcId { get; init; }

    public Fact<IReadOnlyList<Ec2Subnet>> Subnets { get; init; } = Unread<Ec2Subnet>();

    public Fact<IReadOnlyList<Ec2SecurityGroup>> SecurityGroups { get; init; } = Unread<Ec2SecurityGroup>();

    public Fact<IReadOnlyList<Ec2RouteTable>> RouteTables { get; init; } = Unread<Ec2RouteTable>();

    public Fact<IReadOnlyList<Ec2NatGateway>> NatGateways { get; init; } = Unread<Ec2NatGateway>();

    public Fact<IReadOnlyList<Ec2InternetGateway>> InternetGateways { get; init; } = Unread<Ec2InternetGateway>();

    public Fact<IReadOnlyList<Ec2VpcEndpoint>> Endpoints { get; init; } = Unread<Ec2VpcEndpoint>();

    public Fact<IReadOnlyList<Ec2NetworkAcl>> NetworkAcls { get; init; } = Unread<Ec2NetworkAcl>();

    /// <summary>What could not be read.</summary>
    public IEnumerable<Gap> Gaps =>
        new[] { Subnets.Gap, SecurityGroups.Gap, RouteTables.Gap, NatGateways.Gap, InternetGateways.Gap, Endpoints.Gap, NetworkAcls.Gap }
            .Where(gap => gap is not null).Select(gap => gap!).Distinct();

    /// <summary>A subnet of the VPC by id, when subnets were read.</summary>
    public Ec2Subnet? Subnet(string id) => Subnets.ValueOr(null)?.FirstOrDefault(s => s.Id == id);

    /// <summary>The route table a subnet uses: the one explicitly associated with it, else the VPC's main table.</summary>
    public Ec2RouteTable? RouteTableOf(string subnetId) =>
        RouteTables.ValueOr(null) is { } tables ? tables.FirstOrDefault(t => t.SubnetIds.Contains(subnetId)) ?? tables.FirstOrDefault(t => t.IsMain) : null;

    /// <summary>The network ACL associated with a subnet (every subnet has one).</summary>
    public Ec2NetworkAcl? NetworkAclOf(string subnetId) => NetworkAcls.ValueOr(null)?.FirstOrDefault(a => a.SubnetIds.Contains(subnetId));

    /// <summary>The CIDR blocks of <paramref name="subnetIds"/> that were read.</summary>
    public IReadOnlyList<string> CidrsOf(IEnumerable<string> subnetIds) =>
        subnetIds.Select(Subnet).Where(s => s?.CidrBlock is not null).Select(s => s!.CidrBlock!).ToList();

    /// <summary>A network whose every family is the same gap (the service's subnets could not be read, so neither could the VPC).</summary>
    public static VpcNetwork NotRead(Gap gap) => new()
    {
        Subnets = Fact<IReadOnlyList<Ec2Subnet>>.Unread(gap),
        SecurityGroups = Fact<IReadOnlyList<Ec2SecurityGroup>>.Unread(gap),
        RouteTables = Fact<IReadOnlyList<Ec2RouteTable>>.Unread(gap),
        NatGateways = Fact<IReadOnlyList<Ec2NatGateway>>.Unread(gap),
        InternetGateways = Fact<IReadOnlyList<Ec2InternetGateway>>.Unread(gap),
        Endpoints = Fact<IReadOnlyList<Ec2VpcEndpoint>>.Unread(gap),
        NetworkAcls = Fact<IReadOnlyList<Ec2NetworkAcl>>.Unread(gap),
    };

    private static Fact<IReadOnlyList<T>> Unread<T>() => Fact<IReadOnlyList<T>>.Unread(new Gap("the VPC", "not read"));
}
