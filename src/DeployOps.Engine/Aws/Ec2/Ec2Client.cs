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

    private static readonly AwsOperation DescribeSecurityGroupsOperation = AwsOperation.Idempotent("DescribeSecurityGroups");
    private static readonly AwsOperation DescribeSubnetsOperation = AwsOperation.Idempotent("DescribeSubnets");

    internal Ec2Client(AwsQueryClient protocol)
    {
        Protocol = protocol;
    }

    /// <summary>The EC2 query client underneath, for operations without a typed method.</summary>
    public AwsQueryClient Protocol { get; }

    /// <summary>DescribeSecurityGroups by id. An unknown id fails with InvalidGroup.NotFound (NotFound).</summary>
    public Task<IReadOnlyList<Ec2SecurityGroup>> DescribeSecurityGroupsAsync(IReadOnlyList<string> groupIds, CancellationToken cancellationToken = default) =>
        DescribeByIdsAsync(DescribeSecurityGroupsOperation, "GroupId", groupIds, "securityGroupInfo", Ec2SecurityGroup.Read, cancellationToken);

    /// <summary>DescribeSubnets by id. An unknown id fails with InvalidSubnetID.NotFound (NotFound).</summary>
    public Task<IReadOnlyList<Ec2Subnet>> DescribeSubnetsAsync(IReadOnlyList<string> subnetIds, CancellationToken cancellationToken = default) =>
        DescribeByIdsAsync(DescribeSubnetsOperation, "SubnetId", subnetIds, "subnetSet", Ec2Subnet.Read, cancellationToken);

    // The id list's wire name is the model's locationName (GroupId.N, SubnetId.N); the response list is e.g. securityGroupInfo/item.
    private Task<IReadOnlyList<T>> DescribeByIdsAsync<T>(
        AwsOperation operation,
        string idMember,
        IReadOnlyList<string> ids,
        string listMember,
        Func<XElement, T> read,
        CancellationToken cancellationToken) =>
        AwsPaging.CollectBatchesAsync(
            ids,
            DescribeBatchSize,
            (batch, ct) => AwsPaging.CollectAsync(
                async (token, pageCt) =>
                {
                    var parameters = new AwsParameters { { idMember, batch }, { "NextToken", token } };
                    var result = await Protocol.CallAsync(operation, parameters, pageCt).ConfigureAwait(false);
                    return new AwsPage<T>(result.List(listMember, read), result.Text("nextToken"));
                },
                ct),
            cancellationToken);
}
