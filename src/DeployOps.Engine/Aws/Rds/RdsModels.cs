using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Rds;

/// <summary>A DB instance (<c>DBInstance</c>).</summary>
public sealed record RdsDbInstance
{
    /// <summary><c>DBInstanceIdentifier</c>.</summary>
    public string Identifier { get; init; } = string.Empty;

    /// <summary><c>DBInstanceStatus</c>: creating, available, modifying, deleting, failed, incompatible-network...</summary>
    public string Status { get; init; } = string.Empty;

    /// <summary><c>DBInstanceClass</c>.</summary>
    public string? InstanceClass { get; init; }

    /// <summary><c>Engine</c>.</summary>
    public string? Engine { get; init; }

    /// <summary><c>InstanceCreateTime</c> (absent while creating).</summary>
    public DateTimeOffset? CreateTime { get; init; }

    /// <summary><c>AvailabilityZone</c>.</summary>
    public string? AvailabilityZone { get; init; }

    /// <summary><c>DBSubnetGroup.DBSubnetGroupName</c>.</summary>
    public string? SubnetGroupName { get; init; }

    /// <summary><c>DBClusterIdentifier</c>, for an Aurora instance.</summary>
    public string? ClusterIdentifier { get; init; }

    /// <summary><c>Endpoint.Address</c> (absent while creating).</summary>
    public string? EndpointAddress { get; init; }

    /// <summary><c>Endpoint.Port</c> (absent while creating).</summary>
    public int? Port { get; init; }

    /// <summary><c>VpcSecurityGroups</c>: the ids of its security groups.</summary>
    public IReadOnlyList<string> SecurityGroupIds { get; init; } = Array.Empty<string>();

    /// <summary><c>ReadReplicaSourceDBInstanceIdentifier</c>: the instance this one replicates, for a read replica.</summary>
    public string? ReadReplicaSource { get; init; }

    /// <summary><c>ReadReplicaDBInstanceIdentifiers</c>: its read replicas.</summary>
    public IReadOnlyList<string> ReadReplicas { get; init; } = Array.Empty<string>();

    internal static RdsDbInstance Read(XElement e) => new()
    {
        Identifier = e.Text("DBInstanceIdentifier") ?? string.Empty,
        Status = e.Text("DBInstanceStatus") ?? string.Empty,
        InstanceClass = e.Text("DBInstanceClass"),
        Engine = e.Text("Engine"),
        CreateTime = e.Timestamp("InstanceCreateTime"),
        AvailabilityZone = e.Text("AvailabilityZone"),
        SubnetGroupName = e.Child("DBSubnetGroup")?.Text("DBSubnetGroupName"),
        ClusterIdentifier = e.Text("DBClusterIdentifier"),
        EndpointAddress = e.Child("Endpoint")?.Text("Address"),
        Port = e.Child("Endpoint")?.Int("Port"),
        SecurityGroupIds = e.List("VpcSecurityGroups", g => g.Text("VpcSecurityGroupId") ?? string.Empty).Where(id => id.Length > 0).ToList(),
        ReadReplicaSource = e.Text("ReadReplicaSourceDBInstanceIdentifier"),
        ReadReplicas = e.Strings("ReadReplicaDBInstanceIdentifiers"),
    };
}

/// <summary>An Aurora DB cluster (<c>DBCluster</c>): status, endpoints, port, security groups, Serverless v2 capacity.</summary>
public sealed record RdsDbCluster
{
    /// <summary><c>Endpoint</c>: the cluster (writer) endpoint.</summary>
    public string? Endpoint { get; init; }

    /// <summary><c>ReaderEndpoint</c>: the read-only endpoint across the replicas.</summary>
    public string? ReaderEndpoint { get; init; }

    /// <summary><c>Port</c>: the engine's port.</summary>
    public int? Port { get; init; }

    /// <summary><c>VpcSecurityGroups</c>: the ids of its security groups.</summary>
    public IReadOnlyList<string> SecurityGroupIds { get; init; } = Array.Empty<string>();

    /// <summary><c>ServerlessV2ScalingConfiguration.MinCapacity</c> (ACUs), for Serverless v2.</summary>
    public double? MinCapacity { get; init; }

    /// <summary><c>ServerlessV2ScalingConfiguration.MaxCapacity</c> (ACUs), for Serverless v2.</summary>
    public double? MaxCapacity { get; init; }

    /// <summary><c>DBClusterIdentifier</c>.</summary>
    public string Identifier { get; init; } = string.Empty;

    /// <summary><c>Status</c>.</summary>
    public string Status { get; init; } = string.Empty;

    /// <summary><c>Engine</c>.</summary>
    public string? Engine { get; init; }

    /// <summary><c>DBSubnetGroup</c>: the subnet group's name.</summary>
    public string? SubnetGroupName { get; init; }

    internal static RdsDbCluster Read(XElement e) => new()
    {
        Identifier = e.Text("DBClusterIdentifier") ?? string.Empty,
        Status = e.Text("Status") ?? string.Empty,
        Engine = e.Text("Engine"),
        SubnetGroupName = e.Text("DBSubnetGroup"),
        Endpoint = e.Text("Endpoint"),
        ReaderEndpoint = e.Text("ReaderEndpoint"),
        Port = e.Int("Port"),
        SecurityGroupIds = e.List("VpcSecurityGroups", g => g.Text("VpcSecurityGroupId") ?? string.Empty).Where(id => id.Length > 0).ToList(),
        MinCapacity = e.Child("ServerlessV2ScalingConfiguration")?.Double("MinCapacity"),
        MaxCapacity = e.Child("ServerlessV2ScalingConfiguration")?.Double("MaxCapacity"),
    };
}

/// <summary>An RDS event (<c>Event</c>).</summary>
public sealed record RdsEvent
{
    /// <summary><c>SourceIdentifier</c>.</summary>
    public string SourceIdentifier { get; init; } = string.Empty;

    /// <summary><c>SourceType</c>: db-instance, db-cluster...</summary>
    public string SourceType { get; init; } = string.Empty;

    /// <summary><c>Message</c>.</summary>
    public string Message { get; init; } = string.Empty;

    /// <summary><c>EventCategories</c>.</summary>
    public IReadOnlyList<string> Categories { get; init; } = Array.Empty<string>();

    /// <summary><c>Date</c>.</summary>
    public DateTimeOffset? Date { get; init; }

    public override string ToString() => $"{Date:u} {Message}";

    internal static RdsEvent Read(XElement e) => new()
    {
        SourceIdentifier = e.Text("SourceIdentifier") ?? string.Empty,
        SourceType = e.Text("SourceType") ?? string.Empty,
        Message = e.Text("Message") ?? string.Empty,
        Categories = e.Strings("EventCategories"),
        Date = e.Timestamp("Date"),
    };
}

/// <summary>A DB subnet group (<c>DBSubnetGroup</c>) and its subnets.</summary>
public sealed record RdsSubnetGroup
{
    /// <summary><c>DBSubnetGroupName</c>.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary><c>VpcId</c>.</summary>
    public string? VpcId { get; init; }

    /// <summary><c>SubnetGroupStatus</c>.</summary>
    public string? Status { get; init; }

    /// <summary><c>Subnets</c>: each subnet's id and availability zone.</summary>
    public IReadOnlyList<RdsSubnet> Subnets { get; init; } = Array.Empty<RdsSubnet>();

    internal static RdsSubnetGroup Read(XElement e) => new()
    {
        Name = e.Text("DBSubnetGroupName") ?? string.Empty,
        VpcId = e.Text("VpcId"),
        Status = e.Text("SubnetGroupStatus"),
        Subnets = e.List("Subnets", s => new RdsSubnet(s.Text("SubnetIdentifier") ?? string.Empty, s.Child("SubnetAvailabilityZone")?.Text("Name"), s.Text("SubnetStatus"))),
    };
}

/// <summary>A subnet of a DB subnet group (<c>Subnet</c>).</summary>
public sealed record RdsSubnet(string SubnetIdentifier, string? AvailabilityZone, string? Status);
