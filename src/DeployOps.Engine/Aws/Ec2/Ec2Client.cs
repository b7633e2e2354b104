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
