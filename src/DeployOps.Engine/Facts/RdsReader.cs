using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Ec2;
using DeployOps.Aws.Rds;
using DeployOps.Databases;

namespace DeployOps.Facts;

/// <summary>A subnet a database may be placed in, and how many addresses it has free.</summary>
public sealed class DatabaseSubnet
{
    public string SubnetId { get; init; } = "";

    public string? AvailabilityZone { get; init; }

    public string? CidrBlock { get; init; }

    /// <summary>EC2's <c>AvailableIpAddressCount</c>; null when the subnet could not be read.</summary>
    public int? FreeAddresses { get; init; }

    public override string ToString() => $"{SubnetId} ({AvailabilityZone}, {CidrBlock}): {(FreeAddresses is { } free ? $"{free} free IP{(free == 1 ? "" : "s")}" : "free IPs not read")}";
}

/// <summary>Reads RDS: a DB instance or cluster, its events, its subnet group with each subnet's free addresses.</summary>
public sealed class RdsReader
{
    /// <summary>Runbook 001 reads the last hour of RDS events.</summary>
    public const int EventMinutes = 60;

    private readonly AwsFacts _facts;

    internal RdsReader(AwsFacts facts)
    {
        _facts = facts;
    }

    private RdsClient Client => _facts.Session.Client<RdsClient>();

    public async Task<Fact<RdsDbInstance>> InstanceAsync(string identifier, CancellationToken cancellationToken)
    {
        var read = await _facts.Policy.ReadAsync($"RDS instance {identifier}", () => Client.DescribeDbInstancesAsync(identifier, cancellationToken)).ConfigureAwait(false);
        return read.IsRead && read.Value.Count == 0 ? Fact<RdsDbInstance>.NotFound() : read.Select(list => list[0]);
    }

    public async Task<Fact<RdsDbCluster>> ClusterAsync(string identifier, CancellationToken cancellationToken)
    {
        var read = await _facts.Policy.ReadAsync($"RDS cluster {identifier}", () => Client.DescribeDbClustersAsync(identifier, cancellationToken)).ConfigureAwait(false);
        return read.IsRead && read.Value.Count == 0 ? Fact<RdsDbCluster>.NotFound() : read.Select(list => list[0]);
    }

    /// <summary>
    /// The database a cluster or instance identifier names, as the checks read it: a cluster with its reader endpoint, an
    /// instance with each read replica's endpoint (a replica that could not be read keeps a null endpoint).
    /// </summary>
    public async Task<Fact<RdsDatabase>> DatabaseAsync(DatabaseKind kind, string identifier, CancellationToken cancellationToken)
    {
        if (kind == DatabaseKind.Cluster)
        {
            return (await ClusterAsync(identifier, cancellationToken).ConfigureAwait(false)).Select(RdsDatabase.Of);
        }

        var instance = await InstanceAsync(identifier, cancellationToken).ConfigureAwait(false);
        if (!instance.IsRead)
        {
            return instance.Select(i => RdsDatabase.Of(i, Array.Empty<DatabaseReader>()));
        }

        var replicas = await Task.WhenAll(instance.Value.ReadReplicas.Select(async replica =>
        {
            var read = await InstanceAsync(replica, cancellationToken).ConfigureAwait(false);
            return new DatabaseReader($"read replica {replica}", read.IsRead ? read.Value.EndpointAddress : null);
        })).ConfigureAwait(false);
        return Fact<RdsDatabase>.Of(RdsDatabase.Of(instance.Value, replicas));
    }

    /// <summary>The events of one source (db-instance, db-cluster) over the last <see cref="EventMinutes"/> minutes, oldest first.</summary>
    public Task<Fact<IReadOnlyList<RdsEvent>>> EventsAsync(string sourceType, string identifier, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"RDS events of {identifier}", () => Client.DescribeEventsAsync(sourceType, identifier, EventMinutes, cancellationToken));

    /// <summary>The subnet group's subnets, each with its free addresses (EC2's count).</summary>
    public Task<Fact<IReadOnlyList<DatabaseSubnet>>> SubnetsAsync(string subnetGroup, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"DB subnet group {subnetGroup}", async () =>
        {
            var group = (await Client.DescribeDbSubnetGroupsAsync(subnetGroup, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            var ids = group?.Subnets.Select(s => s.SubnetIdentifier).Where(s => s.Length > 0).ToList() ?? new List<string>();
            var subnets = ids.Count == 0 ? Array.Empty<Ec2Subnet>() : await _facts.Session.Ec2.DescribeSubnetsAsync(ids, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<DatabaseSubnet>)(group?.Subnets ?? Array.Empty<RdsSubnet>()).Select(s =>
            {
                var subnet = subnets.FirstOrDefault(e => e.Id == s.SubnetIdentifier);
                return new DatabaseSubnet { SubnetId = s.SubnetIdentifier, AvailabilityZone = s.AvailabilityZone ?? subnet?.AvailabilityZone, CidrBlock = subnet?.CidrBlock, FreeAddresses = subnet?.AvailableIpAddressCount };
            }).ToList();
        });
}
