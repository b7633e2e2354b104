using System;
using System.Collections.Generic;
using System.Linq;
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
    /// <summary><c>mapPublicIpOnLaunch</c>.</summary>
    public bool MapPublicIpOnLaunch { get; init; }

    /// <summary>The <c>Name</c> tag, when there is one.</summary>
    public string? Name { get; init; }

    internal static Ec2Subnet Read(XElement e) => new(
        e.Text("subnetId") ?? string.Empty,
        e.Text("vpcId"),
        e.Text("cidrBlock"),
        e.Text("availabilityZone"),
        e.Int("availableIpAddressCount"),
        e.Text("state"))
    {
        MapPublicIpOnLaunch = e.Bool("mapPublicIpOnLaunch") ?? false,
        Name = Ec2Tags.Name(e),
    };
}

/// <summary>A route table (<c>RouteTable</c>): the subnets associated with it (or that it is its VPC's main table) and its routes.</summary>
public sealed record Ec2RouteTable
{
    /// <summary><c>routeTableId</c>.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary><c>vpcId</c>.</summary>
    public string? VpcId { get; init; }

    /// <summary>True when an association says <c>main</c>: subnets associated with no table use this one.</summary>
    public bool IsMain { get; init; }

    /// <summary><c>associationSet[].subnetId</c>: the subnets explicitly associated.</summary>
    public IReadOnlyList<string> SubnetIds { get; init; } = Array.Empty<string>();

    /// <summary><c>routeSet</c>.</summary>
    public IReadOnlyList<Ec2Route> Routes { get; init; } = Array.Empty<Ec2Route>();

    /// <summary>The <c>Name</c> tag, when there is one.</summary>
    public string? Name { get; init; }

    internal static Ec2RouteTable Read(XElement e) => new()
    {
        Id = e.Text("routeTableId") ?? string.Empty,
        VpcId = e.Text("vpcId"),
        IsMain = e.Items("associationSet").Any(a => a.Bool("main") == true),
        SubnetIds = e.Items("associationSet").Select(a => a.Text("subnetId")).Where(id => id is not null).Select(id => id!).ToList(),
        Routes = e.List("routeSet", Ec2Route.Read),
        Name = Ec2Tags.Name(e),
    };
}

/// <summary>A route (<c>Route</c>): a destination (a CIDR block or a prefix list) and its target.</summary>
public sealed record Ec2Route(string? DestinationCidrBlock, string? DestinationPrefixListId, string? GatewayId, string? NatGatewayId, string? State)
{
    /// <summary>The target, whatever its kind: <c>local</c>, igw-..., nat-..., vpce-... (null for targets DeployOps does not read).</summary>
    public string? Target => NatGatewayId ?? GatewayId;

    internal static Ec2Route Read(XElement e) => new(
        e.Text("destinationCidrBlock"),
        e.Text("destinationPrefixListId"),
        e.Text("gatewayId"),
        e.Text("natGatewayId"),
        e.Text("state"));
}

/// <summary>A NAT gateway (<c>NatGateway</c>); a failed one says why in <see cref="FailureCode"/> and <see cref="FailureMessage"/>.</summary>
public sealed record Ec2NatGateway(string Id, string? VpcId, string? SubnetId, string? State, string? ConnectivityType)
{
    /// <summary><c>failureCode</c>, e.g. Gateway.NotAttached (failed gateways only).</summary>
    public string? FailureCode { get; init; }

    /// <summary><c>failureMessage</c>.</summary>
    public string? FailureMessage { get; init; }

    /// <summary>The <c>Name</c> tag.</summary>
    public string? Name { get; init; }

    internal static Ec2NatGateway Read(XElement e) => new(
        e.Text("natGatewayId") ?? string.Empty,
        e.Text("vpcId"),
        e.Text("subnetId"),
        e.Text("state"),
        e.Text("connectivityType"))
    {
        FailureCode = e.Text("failureCode"),
        FailureMessage = e.Text("failureMessage"),
        Name = Ec2Tags.Name(e),
    };
}

/// <summary>A VPC flow log (<c>FlowLog</c>): where it delivers, with which role, and whether delivery works.</summary>
public sealed record Ec2FlowLog
{
    /// <summary><c>flowLogId</c>.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary><c>flowLogStatus</c>: ACTIVE.</summary>
    public string? Status { get; init; }

    /// <summary><c>resourceId</c>: the VPC, subnet or interface it captures.</summary>
    public string? ResourceId { get; init; }

    /// <summary><c>trafficType</c>: ACCEPT, REJECT or ALL.</summary>
    public string? TrafficType { get; init; }

    /// <summary><c>logDestinationType</c>: cloud-watch-logs, s3 or kinesis-data-firehose.</summary>
    public string? DestinationType { get; init; }

    /// <summary><c>logGroupName</c>, for CloudWatch Logs delivery.</summary>
    public string? LogGroupName { get; init; }

    /// <summary><c>deliverLogsStatus</c>: SUCCESS or FAILED.</summary>
    public string? DeliverLogsStatus { get; init; }

    /// <summary><c>deliverLogsErrorMessage</c>: Rate limited, Access error, Unknown error.</summary>
    public string? DeliverLogsErrorMessage { get; init; }

    /// <summary><c>deliverLogsPermissionArn</c>: the IAM role that delivers the logs.</summary>
    public string? DeliverLogsPermissionArn { get; init; }

    /// <summary>True when it delivers to a CloudWatch Logs group (the default destination), the one kind that needs a delivery role.</summary>
    public bool DeliversToCloudWatchLogs => DestinationType is null or "cloud-watch-logs";

    internal static Ec2FlowLog Read(XElement e) => new()
    {
        Id = e.Text("flowLogId") ?? string.Empty,
        Status = e.Text("flowLogStatus"),
        ResourceId = e.Text("resourceId"),
        TrafficType = e.Text("trafficType"),
        DestinationType = e.Text("logDestinationType"),
        LogGroupName = e.Text("logGroupName"),
        DeliverLogsStatus = e.Text("deliverLogsStatus"),
        DeliverLogsErrorMessage = e.Text("deliverLogsErrorMessage"),
        DeliverLogsPermissionArn = e.Text("deliverLogsPermissionArn"),
    };
}

/// <summary>An internet gateway (<c>InternetGateway</c>) and the VPCs it is attached to.</summary>
public sealed record Ec2InternetGateway(string Id, IReadOnlyList<string> AttachedVpcIds)
{
    internal static Ec2InternetGateway Read(XElement e) => new(
        e.Text("internetGatewayId") ?? string.Empty,
        e.Items("attachmentSet").Select(a => a.Text("vpcId")).Where(id => id is not null).Select(id => id!).ToList());
}

/// <summary>A VPC endpoint (<c>VpcEndpoint</c>): Interface endpoints sit in subnets with security groups, Gateway ones in route tables.</summary>
public sealed record Ec2VpcEndpoint
{
    /// <summary><c>vpcEndpointId</c>.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary><c>vpcEndpointType</c>: Interface, Gateway or GatewayLoadBalancer.</summary>
    public string? Type { get; init; }

    /// <summary><c>vpcId</c>.</summary>
    public string? VpcId { get; init; }

    /// <summary><c>serviceName</c>, e.g. com.amazonaws.us-east-1.logs.</summary>
    public string ServiceName { get; init; } = string.Empty;

    /// <summary><c>state</c>, e.g. available.</summary>
    public string? State { get; init; }

    /// <summary><c>subnetIdSet</c>.</summary>
    public IReadOnlyList<string> SubnetIds { get; init; } = Array.Empty<string>();

    /// <summary><c>groupSet[].groupId</c>.</summary>
    public IReadOnlyList<string> SecurityGroupIds { get; init; } = Array.Empty<string>();

    /// <summary><c>routeTableIdSet</c>.</summary>
    public IReadOnlyList<string> RouteTableIds { get; init; } = Array.Empty<string>();

    /// <summary><c>privateDnsEnabled</c>: the service's own name resolves to the endpoint inside the VPC.</summary>
    public bool PrivateDnsEnabled { get; init; }

    internal static Ec2VpcEndpoint Read(XElement e) => new()
    {
        Id = e.Text("vpcEndpointId") ?? string.Empty,
        Type = e.Text("vpcEndpointType"),
        VpcId = e.Text("vpcId"),
        ServiceName = e.Text("serviceName") ?? string.Empty,
        State = e.Text("state"),
        SubnetIds = e.Strings("subnetIdSet"),
        SecurityGroupIds = e.List("groupSet", g => g.Text("groupId") ?? string.Empty),
        RouteTableIds = e.Strings("routeTableIdSet"),
        PrivateDnsEnabled = e.Bool("privateDnsEnabled") ?? false,
    };
}

/// <summary>A network ACL (<c>NetworkAcl</c>): its entries and the subnets associated with it.</summary>
public sealed record Ec2NetworkAcl(string Id, string? VpcId, bool IsDefault, IReadOnlyList<string> SubnetIds, IReadOnlyList<Ec2NetworkAclEntry> Entries)
{
    internal static Ec2NetworkAcl Read(XElement e) => new(
        e.Text("networkAclId") ?? string.Empty,
        e.Text("vpcId"),
        e.Bool("default") ?? false,
        e.Items("associationSet").Select(a => a.Text("subnetId")).Where(id => id is not null).Select(id => id!).ToList(),
        e.List("entrySet", Ec2NetworkAclEntry.Read));
}

/// <summary>A network ACL entry (<c>NetworkAclEntry</c>). <see cref="Protocol"/> is a number (6 for TCP) or -1 for all; ports are null for all ports.</summary>
public sealed record Ec2NetworkAclEntry(int RuleNumber, bool Egress, string Protocol, int? FromPort, int? ToPort, string? CidrBlock, bool Allow)
{
    internal static Ec2NetworkAclEntry Read(XElement e) => new(
        e.Int("ruleNumber") ?? 32767,
        e.Bool("egress") ?? false,
        e.Text("protocol") ?? "-1",
        e.Child("portRange")?.Int("from"),
        e.Child("portRange")?.Int("to"),
        e.Text("cidrBlock"),
        e.Text("ruleAction") == "allow");
}

/// <summary>EC2 tags.</summary>
internal static class Ec2Tags
{
    /// <summary>The value of the <c>Name</c> tag (<c>tagSet</c>), or null.</summary>
    public static string? Name(XElement resource) =>
        resource.Items("tagSet").FirstOrDefault(tag => tag.Text("key") == "Name")?.Text("value");
}
