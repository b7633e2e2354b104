using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Ecs;

/// <summary>Amazon ECS, typed: complete pagination, batched describes, failures reported rather than dropped.</summary>
public sealed class EcsClient
{
    /// <summary>DescribeServices takes at most 10 services per call.</summary>
    public const int DescribeServicesBatchSize = 10;

    /// <summary>DescribeTasks takes at most 100 tasks per call.</summary>
    public const int DescribeTasksBatchSize = 100;

    // Paginators as in botocore's ecs/2014-11-13/paginators-1.json.
    private static readonly AwsOperation ListClustersOperation = AwsOperation.Idempotent("ListClusters")
        .Paged(AwsPaginator.Of(inputToken: "nextToken", outputToken: "nextToken", limitKey: "maxResults", "clusterArns"));

    private static readonly AwsOperation ListServicesOperation = AwsOperation.Idempotent("ListServices")
        .Paged(AwsPaginator.Of(inputToken: "nextToken", outputToken: "nextToken", limitKey: "maxResults", "serviceArns"));

    private static readonly AwsOperation ListTaskDefinitionsOperation = AwsOperation.Idempotent("ListTaskDefinitions")
        .Paged(AwsPaginator.Of(inputToken: "nextToken", outputToken: "nextToken", limitKey: "maxResults", "taskDefinitionArns"));

    private static readonly AwsOperation ListTasksOperation = AwsOperation.Idempotent("ListTasks")
        .Paged(AwsPaginator.Of(inputToken: "nextToken", outputToken: "nextToken", limitKey: "maxResults", "taskArns"));

    private static readonly AwsOperation DescribeServicesOperation = AwsOperation.Idempotent("DescribeServices");
    private static readonly AwsOperation DescribeTaskDefinitionOperation = AwsOperation.Idempotent("DescribeTaskDefinition");
    private static readonly AwsOperation DescribeTasksOperation = AwsOperation.Idempotent("DescribeTasks");

    // With forceNewDeployment every call starts another deployment: never resent when the outcome is unknown.
    private static readonly AwsOperation UpdateServiceOperation = AwsOperation.NonIdempotent("UpdateService");

    internal EcsClient(AwsJsonClient protocol)
    {
        Protocol = protocol;
    }

    /// <summary>The JSON client underneath, for operations without a typed method.</summary>
    public AwsJsonClient Protocol { get; }

    /// <summary>maxResults for list calls (the API's maximum, 100); tests lower it.</summary>
    internal int PageSize { get; set; } = 100;

    /// <summary>ListClusters: every cluster ARN.</summary>
    public Task<IReadOnlyList<string>> ListClustersAsync(CancellationToken cancellationToken = default) =>
        ListAllAsync(ListClustersOperation, new AwsParameters(), cancellationToken);

    /// <summary>ListServices: every service ARN in <paramref name="cluster"/>.</summary>
    public Task<IReadOnlyList<string>> ListServicesAsync(string cluster, CancellationToken cancellationToken = default) =>
        ListAllAsync(ListServicesOperation, new AwsParameters { { "cluster", cluster } }, cancellationToken);

    /// <summary>DescribeServices in batches of 10, run concurrently; names ECS does not know come back in <c>Failures</c>.</summary>
    public Task<EcsDescribeResult<EcsService>> DescribeServicesAsync(
        string cluster,
        IReadOnlyList<string> services,
        CancellationToken cancellationToken = default) =>
        DescribeBatchedAsync(
            DescribeServicesOperation, cluster, "services", services, DescribeServicesBatchSize, EcsService.Read, cancellationToken);

    /// <summary>DescribeTaskDefinition: <paramref name="taskDefinition"/> is a family, family:revision or ARN.</summary>
    public Task<EcsTaskDefinition> DescribeTaskDefinitionAsync(string taskDefinition, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(
            DescribeTaskDefinitionOperation,
            new AwsParameters { { "taskDefinition", taskDefinition } },
            response => EcsTaskDefinition.Read(response.Required("taskDefinition")),
            cancellationToken);

    /// <summary>ListTaskDefinitions: every matching task definition ARN.</summary>
    public Task<IReadOnlyList<string>> ListTaskDefinitionsAsync(
        string? familyPrefix = null,
        EcsSortOrder? sort = null,
        EcsTaskDefinitionStatus? status = null,
        CancellationToken cancellationToken = default)
    {
        var filters = new AwsParameters
        {
            { "familyPrefix", familyPrefix },
            { "sort", sort switch { EcsSortOrder.Ascending => "ASC", EcsSortOrder.Descending => "DESC", _ => null } },
            { "status", status switch
                {
                    EcsTaskDefinitionStatus.Active => "ACTIVE",
                    EcsTaskDefinitionStatus.Inactive => "INACTIVE",
                    EcsTaskDefinitionStatus.DeleteInProgress => "DELETE_IN_PROGRESS",
                    _ => null,
                }
            },
        };
        return ListAllAsync(ListTaskDefinitionsOperation, filters, cancellationToken);
    }

    /// <summary>ListTasks: every matching task ARN.</summary>
    public Task<IReadOnlyList<string>> ListTasksAsync(EcsListTasksRequest request, CancellationToken cancellationToken = default)
    {
        var filters = new AwsParameters
        {
            { "cluster", request.Cluster },
            { "serviceName", request.ServiceName },
            { "desiredStatus", request.DesiredStatus?.ToString().ToUpperInvariant() },
            { "startedBy", request.StartedBy },
        };
        return ListAllAsync(ListTasksOperation, filters, cancellationToken);
    }

    /// <summary>DescribeTasks in batches of 100, run concurrently; unknown tasks come back in <c>Failures</c>.</summary>
    public Task<EcsDescribeResult<EcsTask>> DescribeTasksAsync(
        string cluster,
        IReadOnlyList<string> tasks,
        CancellationToken cancellationToken = default) =>
        DescribeBatchedAsync(DescribeTasksOperation, cluster, "tasks", tasks, DescribeTasksBatchSize, EcsTask.Read, cancellationToken);

    /// <summary>UpdateService. Not idempotent: retried only when throttled or never sent; otherwise an unknown outcome is reported.</summary>
    public Task<EcsService> UpdateServiceAsync(EcsUpdateServiceRequest request, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(UpdateServiceOperation, request.ToParameters(), response => EcsService.Read(response.Required("service")), cancellationToken);

    private Task<IReadOnlyList<string>> ListAllAsync(AwsOperation operation, AwsParameters filters, CancellationToken cancellationToken) =>
        Protocol.PaginateAllAsync(operation, filters, JsonRead.StringValue, new AwsPageLimits(PageSize), cancellationToken);

    private async Task<EcsDescribeResult<T>> DescribeBatchedAsync<T>(
        AwsOperation operation,
        string cluster,
        string listMember,
        IReadOnlyList<string> names,
        int batchSize,
        Func<JsonElement, T> read,
        CancellationToken cancellationToken)
    {
        var batches = await AwsPaging.BatchAsync(
            names,
            batchSize,
            (batch, ct) => Protocol.CallAsync(
                operation,
                new AwsParameters { { "cluster", cluster }, { listMember, batch } },
                response => (Items: response.List(listMember, read), Failures: response.List("failures", EcsFailure.Read)),
                ct),
            cancellationToken).ConfigureAwait(false);
        return new EcsDescribeResult<T>(
            batches.SelectMany(batch => batch.Items).ToList(),
            batches.SelectMany(batch => batch.Failures).ToList());
    }
}
