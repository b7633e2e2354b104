using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Ec2;

/// <summary>Amazon EC2, typed (the parts DeployOps needs): id lists in batches, every page (NextToken).</summary>
public sealed class Ec2Client
{
    /// <summary>Ids per describe call. EC2 documents no limit for id lists; 200 is its limit for filter values.</summary>
    public const int DescribeBatchSize = 200;

    // Paginators as in botocore's ec2/2016-11-15/paginators-1.json, with the model's locationName of each response member.
    private static readonly AwsOperation DescribeSecurityGroupsOperation = AwsOperation.Idempotent("DescribeSecurityGroups")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: "MaxResults", "SecurityGroups")
            .WithLocationNames(("NextToken", "nextToken"), ("SecurityGroups", "securityGroupInfo")));

    private static readonly AwsOperation DescribeSubnetsOperation = AwsOperation.Idempotent("DescribeSubnets")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: "MaxResults", "Subnets")
            .WithLocationNames(("NextToken", "nextToken"), ("Subnets", "subnetSet")));

    private static readonly AwsOperation DescribeRouteTablesOperation = AwsOperation.Idempotent("DescribeRouteTables")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: "MaxResults", "RouteTables")
            .WithLocationNames(("NextToken", "nextToken"), ("RouteTables", "routeTableSet")));

    private static readonly AwsOperation DescribeNatGatewaysOperation = AwsOperation.Idempotent("DescribeNatGateways")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: "MaxResults", "NatGateways")
            .WithLocationNames(("NextToken", "nextToken"), ("NatGateways", "natGatewaySet")));

    private static readonly AwsOperation DescribeInternetGatewaysOperation = AwsOperation.Idempotent("DescribeInternetGateways")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: "MaxResults", "InternetGateways")
            .WithLocationNames(("NextToken", "nextToken"), ("InternetGateways", "internetGatewaySet")));

    private static readonly AwsOperation DescribeVpcEndpointsOperation = AwsOperation.Idempotent("DescribeVpcEndpoints")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: "MaxResults", "VpcEndpoints")
            .WithLocationNames(("NextToken", "nextToken"), ("VpcEndpoints", "vpcEndpointSet")));

    private static readonly AwsOperation DescribeNetworkAclsOperation = AwsOperation.Idempotent("DescribeNetworkAcls")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: "MaxResults", "NetworkAcls")
            .WithLocationNames(("NextToken", "nextToken"), ("NetworkAcls", "networkAclSet")));

    private static readonly AwsOperation DescribeFlowLogsOperation = AwsOperation.Idempotent("DescribeFlowLogs")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: "MaxResults", "FlowLogs")
            .WithLocationNames(("NextToken", "nextToken"), ("FlowLogs", "flowLogSet")));

    // Sending an existing rule again changes nothing (EC2 answers InvalidPermission.Duplicate), so a resend is safe.
    private static readonly AwsOperation AuthorizeSecurityGroupIngressOperation = AwsOperation.Idempotent("AuthorizeSecurityGroupIngress");

    internal Ec2Client(AwsQueryClient protocol)
    {
        Protocol = protocol;
    }

    /// <summary>The EC2 query client underneath, for operations without a typed method.</summary>
    public AwsQueryClient Protocol { get; }

    /// <summary>DescribeSecurityGroups by id. An unknown id fails with InvalidGroup.NotFound (NotFound).</summary>
    public Task<IReadOnlyList<Ec2SecurityGroup>> DescribeSecurityGroupsAsync(IReadOnlyList<string> groupIds, CancellationToken cancellationToken = default) =>
        DescribeByIdsAsync(DescribeSecurityGroupsOperation, "GroupId", groupIds, Ec2SecurityGroup.Read, cancellationToken);

    /// <summary>DescribeSubnets by id. An unknown id fails with InvalidSubnetID.NotFound (NotFound).</summary>
    public Task<IReadOnlyList<Ec2Subnet>> DescribeSubnetsAsync(IReadOnlyList<string> subnetIds, CancellationToken cancellationToken = default) =>
        DescribeByIdsAsync(DescribeSubnetsOperation, "SubnetId", subnetIds, Ec2Subnet.Read, cancellationToken);

    /// <summary>DescribeSecurityGroups of a VPC (every group in it).</summary>
    public Task<IReadOnlyList<Ec2SecurityGroup>> DescribeSecurityGroupsInVpcAsync(string vpcId, CancellationToken cancellationToken = default) =>
        DescribeInVpcAsync(DescribeSecurityGroupsOperation, "vpc-id", vpcId, Ec2SecurityGroup.Read, cancellationToken);

    /// <summary>DescribeSubnets of a VPC (every subnet in it).</summary>
    public Task<IReadOnlyList<Ec2Subnet>> DescribeSubnetsInVpcAsync(string vpcId, CancellationToken cancellationToken = default) =>
        DescribeInVpcAsync(DescribeSubnetsOperation, "vpc-id", vpcId, Ec2Subnet.Read, cancellationToken);

    /// <summary>DescribeRouteTables of a VPC (every table, main or not, with its associations and routes).</summary>
    public Task<IReadOnlyList<Ec2RouteTable>> DescribeRouteTablesAsync(string vpcId, CancellationToken cancellationToken = default) =>
        DescribeInVpcAsync(DescribeRouteTablesOperation, "vpc-id", vpcId, Ec2RouteTable.Read, cancellationToken);

    /// <summary>DescribeNatGateways of a VPC (deleted ones included: their state says so).</summary>
    public Task<IReadOnlyList<Ec2NatGateway>> DescribeNatGatewaysAsync(string vpcId, CancellationToken cancellationToken = default) =>
        DescribeInVpcAsync(DescribeNatGatewaysOperation, "vpc-id", vpcId, Ec2NatGateway.Read, cancellationToken);

    /// <summary>DescribeInternetGateways attached to a VPC.</summary>
    public Task<IReadOnlyList<Ec2InternetGateway>> DescribeInternetGatewaysAsync(string vpcId, CancellationToken cancellationToken = default) =>
        DescribeInVpcAsync(DescribeInternetGatewaysOperation, "attachment.vpc-id", vpcId, Ec2InternetGateway.Read, cancellationToken);

    /// <summary>DescribeVpcEndpoints of a VPC.</summary>
    public Task<IReadOnlyList<Ec2VpcEndpoint>> DescribeVpcEndpointsAsync(string vpcId, CancellationToken cancellationToken = default) =>
        DescribeInVpcAsync(DescribeVpcEndpointsOperation, "vpc-id", vpcId, Ec2VpcEndpoint.Read, cancellationToken);

    /// <summary>DescribeNetworkAcls of a VPC.</summary>
    public Task<IReadOnlyList<Ec2NetworkAcl>> DescribeNetworkAclsAsync(string vpcId, CancellationToken cancellationToken = default) =>
        DescribeInVpcAsync(DescribeNetworkAclsOperation, "vpc-id", vpcId, Ec2NetworkAcl.Read, cancellationToken);

    /// <summary>DescribeFlowLogs of a resource (a VPC, subnet or network interface id).</summary>
    public Task<IReadOnlyList<Ec2FlowLog>> DescribeFlowLogsAsync(string resourceId, CancellationToken cancellationToken = default) =>
        DescribeInVpcAsync(DescribeFlowLogsOperation, "resource-id", resourceId, Ec2FlowLog.Read, cancellationToken);

    /// <summary>
    /// AuthorizeSecurityGroupIngress: lets TCP <paramref name="port"/> into <paramref name="groupId"/> from
    /// <paramref name="sourceGroupId"/>. A rule that exists already fails with InvalidPermission.Duplicate (AlreadyExists).
    /// </summary>
    public Task<bool> AuthorizeSecurityGroupIngressAsync(string groupId, int port, string sourceGroupId, string description, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(
            AuthorizeSecurityGroupIngressOperation,
            new AwsParameters
            {
                { "GroupId", groupId },
                {
                    "IpPermissions", new[]
                    {
                        new AwsParameters
                        {
                            { "IpProtocol", "tcp" },
                            { "FromPort", port },
                            { "ToPort", port },
                            { "Groups", new[] { new AwsParameters { { "GroupId", sourceGroupId }, { "Description", description } } } },
                        },
                    }
                },
            },
            result => result.Bool("return") ?? true,
            cancellationToken);

    // Every page of one filter (Filter.1.Name / Filter.1.Value.1: the model's locationName "Filter" in every one of these operations).
    private Task<IReadOnlyList<T>> DescribeInVpcAsync<T>(AwsOperation operation, string filter, string value, Func<XElement, T> read, CancellationToken cancellationToken) =>
        Protocol.PaginateAllAsync(
            operation,
            new AwsParameters { { "Filter", new[] { new AwsParameters { { "Name", filter }, { "Value", new[] { value } } } } } },
            read,
            default,
            cancellationToken);

    // The id list's wire name is the model's locationName (GroupId.N, SubnetId.N). No page size: EC2 refuses MaxResults with ids.
    private Task<IReadOnlyList<T>> DescribeByIdsAsync<T>(
        AwsOperation operation,
        string idMember,
        IReadOnlyList<string> ids,
        Func<XElement, T> read,
        CancellationToken cancellationToken) =>
        AwsPaging.CollectBatchesAsync(
            ids,
            DescribeBatchSize,
            (batch, ct) => Protocol.PaginateAllAsync(operation, new AwsParameters { { idMember, batch } }, read, default, ct),
            cancellationToken);
}
