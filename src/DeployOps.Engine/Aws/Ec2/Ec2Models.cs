using System;
using System.Collections.Generic;
using System.Xml.Linq;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Ec2;

/// <summary>A security group (<c>SecurityGroup</c>).</summary>
public sealed record Ec2SecurityGroup
{
    /// <summary><c>groupId</c>.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary><c>groupName</c>.</summary>
    public string? Name { get; init; }

    /// <summary><c>groupDescription</c>.</summary>
    public string? Description { get; init; }

    /// <summary><c>vpcId</c>.</summary>
    public string? VpcId { get; init; }

    /// <summary><c>ipPermissions</c>: inbound rules.</summary>
    public IReadOnlyList<Ec2Permission> Ingress { get; init; } = Array.Empty<Ec2Permission>();

    /// <summary><c>ipPermissionsEgress</c>: outbound rules.</summary>
    public IReadOnlyList<Ec2Permission> Egress { get; init; } = Array.Empty<Ec2Permission>();

    internal static Ec2SecurityGroup Read(XElement e) => new()
    {
        Id = e.Text("groupId") ?? string.Empty,
        Name = e.Text("groupName"),
        Description = e.Text("groupDescription"),
        VpcId = e.Text("vpcId"),
        Ingress = e.List("ipPermissions", Ec2Permission.Read),
        Egress = e.List("ipPermissionsEgress", Ec2Permission.Read),
    };
}

/// <summary>
/// One rule (<c>IpPermission</c>). <see cref="Protocol"/> is <c>tcp</c>, <c>udp</c>, <c>icmp</c>, a number, or
/// <c>-1</c> for all; ports are absent for all-traffic rules.
/// </summary>
public sealed record Ec2Permission
{
    /// <summary><c>ipProtocol</c>.</summary>
    public string Protocol { get; init; } = string.Empty;

    /// <summary><c>fromPort</c>.</summary>
    public int? FromPort { get; init; }

    /// <summary><c>toPort</c>.</summary>
    public int? ToPort { get; init; }

    /// <summary><c>ipRanges[].cidrIp</c>.</summary>
    public IReadOnlyList<string> Ipv4Ranges { get; init; } = Array.Empty<string>();

    /// <summary><c>ipv6Ranges[].cidrIpv6</c>.</summary>
    public IReadOnlyList<string> Ipv6Ranges { get; init; } = Array.Empty<string>();

    /// <summary><c>groups[].groupId</c>: source (or destination) security groups.</summary>
    public IReadOnlyList<string> SecurityGroupIds { get; init; } = Array.Empty<string>();

    /// <summary><c>prefixListIds[].prefixListId</c>.</summary>
    public IReadOnlyList<string> PrefixListIds { get; init; } = Array.Empty<string>();

    internal static Ec2Permission Read(XElement e) => new()
    {
        Protocol = e.Text("ipProtocol") ?? string.Empty,
        FromPort = e.Int("fromPort"),
        ToPort = e.Int("toPort"),
        Ipv4Ranges = e.List("ipRanges", range => range.Text("cidrIp") ?? string.Empty),
        Ipv6Ranges = e.List("ipv6Ranges", range => range.Text("cidrIpv6") ?? string.Empty),
        SecurityGroupIds = e.List("groups", pair => pair.Text("groupId") ?? string.Empty),
        PrefixListIds = e.List("prefixListIds", list => list.Text("prefixListId") ?? string.Empty),
    };
}

/// <summary>A subnet (<c>Subnet</c>).</summary>
public sealed record Ec2Subnet(
    string Id,
    string? VpcId,
    string? CidrBlock,
    string? AvailabilityZone,
    int? AvailableIpAddressCount,
    string? State)
{
    internal static Ec2Subnet Read(XElement e) => new(
        e.Text("subnetId") ?? string.Empty,
        e.Text("vpcId"),
        e.Text("cidrBlock"),
        e.Text("availabilityZone"),
        e.Int("availableIpAddressCount"),
        e.Text("state"));
}
