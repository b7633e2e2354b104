using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Rds;

/// <summary>Amazon RDS, typed (the parts a stuck stack needs): DB instances and clusters, events, subnet groups; every page (Marker).</summary>
public sealed class RdsClient
{
    /// <summary>DescribeEvents' largest page (MaxRecords is 20 to 100).</summary>
    public const int MaxEventsPage = 100;

    // Paginators as in botocore's rds/2014-10-31/paginators-1.json.
    private static readonly AwsOperation DescribeDbInstancesOperation = AwsOperation.Idempotent("DescribeDBInstances")
        .Paged(AwsPaginator.Of(inputToken: "Marker", outputToken: "Marker", limitKey: "MaxRecords", "DBInstances"));

    private static readonly AwsOperation DescribeDbClustersOperation = AwsOperation.Idempotent("DescribeDBClusters")
        .Paged(AwsPaginator.Of(inputToken: "Marker", outputToken: "Marker", limitKey: "MaxRecords", "DBClusters"));

    private static readonly AwsOperation DescribeEventsOperation = AwsOperation.Idempotent("DescribeEvents")
        .Paged(AwsPaginator.Of(inputToken: "Marker", outputToken: "Marker", limitKey: "MaxRecords", "Events"));

    private static readonly AwsOperation DescribeDbSubnetGroupsOperation = AwsOperation.Idempotent("DescribeDBSubnetGroups")
        .Paged(AwsPaginator.Of(inputToken: "Marker", outputToken: "Marker", limitKey: "MaxRecords", "DBSubnetGroups"));

    // Starting a cluster that is starting or available fails with InvalidDBClusterStateFault, so a resend changes nothing.
    private static readonly AwsOperation StartDbClusterOperation = AwsOperation.Idempotent("StartDBCluster");

    // Starting an instance that is not stopped fails with InvalidDBInstanceState, so a resend changes nothing.
    private static readonly AwsOperation StartDbInstanceOperation = AwsOperation.Idempotent("StartDBInstance");

    internal RdsClient(AwsQueryClient protocol)
    {
        Protocol = protocol;
    }

    /// <summary>The query client underneath, for operations without a typed method.</summary>
    public AwsQueryClient Protocol { get; }

    /// <summary>DescribeDBInstances for one instance. An unknown identifier fails with DBInstanceNotFound (NotFound).</summary>
    public Task<IReadOnlyList<RdsDbInstance>> DescribeDbInstancesAsync(string identifier, CancellationToken cancellationToken = default) =>
        Protocol.PaginateAllAsync(DescribeDbInstancesOperation, new AwsParameters { { "DBInstanceIdentifier", identifier } }, RdsDbInstance.Read, default, cancellationToken);

    /// <summary>DescribeDBClusters for one cluster. An unknown identifier fails with DBClusterNotFoundFault (NotFound).</summary>
    public Task<IReadOnlyList<RdsDbCluster>> DescribeDbClustersAsync(string identifier, CancellationToken cancellationToken = default) =>
        Protocol.PaginateAllAsync(DescribeDbClustersOperation, new AwsParameters { { "DBClusterIdentifier", identifier } }, RdsDbCluster.Read, default, cancellationToken);

    /// <summary>DescribeDBClusters: every cluster of the region, every page.</summary>
    public Task<IReadOnlyList<RdsDbCluster>> DescribeAllDbClustersAsync(CancellationToken cancellationToken = default) =>
        Protocol.PaginateAllAsync(DescribeDbClustersOperation, new AwsParameters(), RdsDbCluster.Read, default, cancellationToken);

    /// <summary>DescribeEvents of one source over the last <paramref name="durationMinutes"/> minutes, oldest first.</summary>
    public Task<IReadOnlyList<RdsEvent>> DescribeEventsAsync(string sourceType, string sourceIdentifier, int durationMinutes, CancellationToken cancellationToken = default) =>
        Protocol.PaginateAllAsync(DescribeEventsOperation, new AwsParameters
        {
            { "SourceIdentifier", sourceIdentifier },
            { "SourceType", sourceType },
            { "Duration", durationMinutes },
        }, RdsEvent.Read, new AwsPageLimits(MaxEventsPage), cancellationToken);

    /// <summary>DescribeDBSubnetGroups for one group. An unknown name fails with DBSubnetGroupNotFoundFault (NotFound).</summary>
    public Task<IReadOnlyList<RdsSubnetGroup>> DescribeDbSubnetGroupsAsync(string name, CancellationToken cancellationToken = default) =>
        Protocol.PaginateAllAsync(DescribeDbSubnetGroupsOperation, new AwsParameters { { "DBSubnetGroupName", name } }, RdsSubnetGroup.Read, default, cancellationToken);

    /// <summary>StartDBCluster: the cluster as RDS answers (starting). A cluster that is not stopped fails with InvalidDBClusterStateFault (Conflict).</summary>
    public Task<RdsDbCluster> StartDbClusterAsync(string identifier, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(StartDbClusterOperation, new AwsParameters { { "DBClusterIdentifier", identifier } }, result => RdsDbCluster.Read(result.Child("DBCluster")!), cancellationToken);

    /// <summary>DescribeDBInstances: every instance of the region, every page.</summary>
    public Task<IReadOnlyList<RdsDbInstance>> DescribeAllDbInstancesAsync(CancellationToken cancellationToken = default) =>
        Protocol.PaginateAllAsync(DescribeDbInstancesOperation, new AwsParameters(), RdsDbInstance.Read, default, cancellationToken);

    /// <summary>
    /// StartDBInstance: the instance as RDS answers (starting). One that is not stopped fails with InvalidDBInstanceState
    /// (Conflict), an unknown one with DBInstanceNotFound (NotFound).
    /// </summary>
    public Task<RdsDbInstance> StartDbInstanceAsync(string identifier, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(StartDbInstanceOperation, new AwsParameters { { "DBInstanceIdentifier", identifier } }, result => RdsDbInstance.Read(result.Child("DBInstance")!), cancellationToken);
}
