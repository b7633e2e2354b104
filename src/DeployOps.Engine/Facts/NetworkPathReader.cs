using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Ec2;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.Logs;
using DeployOps.Health;
using DeployOps.Networking;

namespace DeployOps.Facts;

/// <summary>
/// Reads the network a service's tasks sit in: the security groups and subnets between its load balancers and its tasks,
/// and the VPC's routing (route tables, NAT and internet gateways, VPC endpoints, network ACLs).
/// </summary>
public sealed class NetworkPathReader
{
    private readonly AwsFacts _facts;

    internal NetworkPathReader(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>
    /// The VPC of <paramref name="subnetIds"/>, every family read once: DescribeSubnets of those subnets finds the VPC,
    /// then its subnets, security groups, route tables, NAT gateways, internet gateways, endpoints and ACLs are read at
    /// once (filtered by VPC). A family that cannot be read is a gap of its own.
    /// </summary>
    public async Task<VpcNetwork> ReadVpcAsync(IReadOnlyList<string> subnetIds, CancellationToken cancellationToken)
    {
        var ec2 = _facts.Session.Ec2;
        var own = await _facts.Policy.ReadAsync($"subnets {string.Join(", ", subnetIds)}", () => ec2.DescribeSubnetsAsync(subnetIds, cancellationToken)).ConfigureAwait(false);
        if (!own.IsRead || own.Value.FirstOrDefault(s => s.VpcId is not null)?.VpcId is not { } vpcId)
        {
            return VpcNetwork.NotRead(own.Gap ?? new Gap($"the VPC of subnets {string.Join(", ", subnetIds)}", "the subnets do not exist"));
        }

        return await ReadVpcByIdAsync(vpcId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>VPC <paramref name="vpcId"/>: its subnets, security groups, route tables, NAT gateways, internet gateways, endpoints and ACLs, read at once.</summary>
    public async Task<VpcNetwork> ReadVpcByIdAsync(string vpcId, CancellationToken cancellationToken)
    {
        var ec2 = _facts.Session.Ec2;
        Task<Fact<IReadOnlyList<T>>> Read<T>(string what, Func<string, CancellationToken, Task<IReadOnlyList<T>>> describe) =>
            _facts.Policy.ReadAsync($"{what} of {vpcId}", () => describe(vpcId, cancellationToken));

        var subnets = Read("subnets", ec2.DescribeSubnetsInVpcAsync);
        var groups = Read("security groups", ec2.DescribeSecurityGroupsInVpcAsync);
        var tables = Read("route tables", ec2.DescribeRouteTablesAsync);
        var nats = Read("NAT gateways", ec2.DescribeNatGatewaysAsync);
        var gateways = Read("internet gateways", ec2.DescribeInternetGatewaysAsync);
        var endpoints = Read("VPC endpoints", ec2.DescribeVpcEndpointsAsync);
        var acls = Read("network ACLs", ec2.DescribeNetworkAclsAsync);
        await Task.WhenAll(subnets, groups, tables, nats, gateways, endpoints, acls).ConfigureAwait(false);
        return new VpcNetwork
        {
            VpcId = vpcId,
            Subnets = subnets.Result,
            SecurityGroups = groups.Result,
            RouteTables = tables.Result,
            NatGateways = nats.Result,
            InternetGateways = gateways.Result,
            Endpoints = endpoints.Result,
            NetworkAcls = acls.Result,
        };
    }

    /// <summary>The flow logs capturing VPC <paramref name="vpcId"/>.</summary>
    public Task<Fact<IReadOnlyList<Ec2FlowLog>>> FlowLogsAsync(string vpcId, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"flow logs of {vpcId}", () => _facts.Session.Ec2.DescribeFlowLogsAsync(vpcId, cancellationToken));

    /// <summary>Whether CloudWatch Logs has log group <paramref name="name"/> (a flow log's destination).</summary>
    public Task<Fact<bool>> LogGroupExistsAsync(string name, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"log group {name}", async () =>
            (await _facts.Session.Client<CloudWatchLogsClient>().DescribeLogGroupNamesAsync(name, cancellationToken).ConfigureAwait(false)).Contains(name));
}
