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

    private static readonly AwsOperation ListClustersOperation = AwsOperation.Idempotent("ListClusters");
    private static readonly AwsOperation ListServicesOperation = AwsOperation.Idempotent("ListServices");
    private static readonly AwsOperation DescribeServicesOperation = AwsOperation.Idempotent("DescribeServices");
    private static readonly AwsOperation DescribeTaskDefinitionOperation = AwsOperation.Idempotent("DescribeTaskDefinition");
    private static readonly AwsOperation ListTaskDefinitionsOperation = AwsOperation.Idempotent("ListTaskDefinitions");
    private static readonly AwsOperation ListTasksOperation = AwsOperation.Idempotent("ListTasks");
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
        ListAllAsync(ListClustersOperation, () => new AwsParameters(), "clusterArns", cancellationToken);

    /// <summary>ListServices: every service ARN in <paramref name="cluster"/>.</summary>
    public Task<IReadOnlyList<string>> ListServicesAsync(string cluster, CancellationToken cancellationToken = default) =>
        ListAllAsync(ListServicesOperation, () => new AwsParameters { { "cluster", cluster } }, "serviceArns", cancellationToken);

    /// <summary>DescribeServices in batches of 10, run concurrently; names ECS does not know come back in <c>Failures</c>.</summary>
    public Task<EcsDescribeResult<EcsService>> DescribeServicesAsync(
        string cluster,
        IReadOnlyList<string> services,
        CancellationToken cancellationToken = default) =>
        DescribeBatchedAsync(
            DescribeServicesOperation, cluster, "services", services, DescribeServicesBatchSize, EcsService.Read, cancellationToken);

    /// <summary>DescribeTaskDefinition: <paramref name="taskDefinition"/> is a family, family:revision or ARN.</summary>
    public async Task<EcsTaskDefinition> DescribeTaskDefinitionAsync(string taskDefinition, CancellationToken cancellationToken = default)
    {
        var response = await Protocol.CallAsync(
            DescribeTaskDefinitionOperation, new AwsParameters { { "taskDefinition", taskDefinition } }, cancellationToken).ConfigureAwait(false);
        return EcsTaskDefinition.Read(response.Required("taskDefinition"));
    }

    /// <summary>ListTaskDefinitions: every matching task definition ARN.</summary>
    public Task<IReadOnlyList<string>> ListTaskDefinitionsAsync(
        string? familyPrefix = null,
        EcsSortOrder? sort = null,
        EcsTaskDefinitionStatus? status = null,
        CancellationToken cancellationToken = default)
    {
        AwsParameters Filters() => new()
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
        return ListAllAsync(ListTaskDefinitionsOperation, Filters, "taskDefinitionArns", cancellationToken);
    }

    /// <summary>ListTasks: every matching task ARN.</summary>
    public Task<IReadOnlyList<string>> ListTasksAsync(EcsListTasksRequest request, CancellationToken cancellationToken = default)
    {
        AwsParameters Filters() => new()
        {
            { "cluster", request.Cluster },
            { "serviceName", request.ServiceName },
            { "desiredStatus", request.DesiredStatus?.ToString().ToUpperInvariant() },
            { "startedBy", request.StartedBy },
        };
        return ListAllAsync(ListTasksOperation, Filters, "taskArns", cancellationToken);
    }

    /// <summary>DescribeTasks in batches of 100, run concurrently; unknown tasks come back in <c>Failures</c>.</summary>
    public Task<EcsDescribeResult<EcsTask>> DescribeTasksAsync(
        string cluster,
        IReadOnlyList<string> tasks,
        CancellationToken cancellationToken = default) =>
        DescribeBatchedAsync(DescribeTasksOperation, cluster, "tasks", tasks, DescribeTasksBatchSize, EcsTask.Read, cancellationToken);

    /// <summary>UpdateService. Not idempotent: retried only when throttled or never sent; otherwise an unknown outcome is reported.</summary>
    public async Task<EcsService> UpdateServiceAsync(EcsUpdateServiceRequest request, CancellationToken cancellationToken = default)
    {
        var response = await Protocol.CallAsync(UpdateServiceOperation, request.ToParameters(), cancellationToken).ConfigureAwait(false);
        return EcsService.Read(response.Required("service"));
    }

    private Task<IReadOnlyList<string>> ListAllAsync(
        AwsOperation operation,
        Func<AwsParameters> filters,
        string listMember,
        CancellationToken cancellationToken) =>
        AwsPaging.CollectAsync(
            async (token, ct) =>
            {
                var parameters = filters();
                parameters.Add("nextToken", token);
                parameters.Add("maxResults", PageSize);
                var response = await Protocol.CallAsync(operation, parameters, ct).ConfigureAwait(false);
                return new AwsPage<string>(response.Strings(listMember), response.String("nextToken"));
            },
            cancellationToken);

    private async Task<EcsDescribeResult<T>> DescribeBatchedAsync<T>(
        AwsOperation operation,
        string cluster,
        string listMember,
        IReadOnlyList<string> names,
        int batchSize,
        Func<JsonElement, T> read,
        CancellationToken cancellationToken)
    {
        var responses = await AwsPaging.BatchAsync(
            names,
            batchSize,
            (batch, ct) => Protocol.CallAsync(operation, new AwsParameters { { "cluster", cluster }, { listMember, batch } }, ct),
            cancellationToken).ConfigureAwait(false);
        return new EcsDescribeResult<T>(
            responses.SelectMany(response => response.List(listMember, read)).ToList(),
            responses.SelectMany(response => response.List("failures", EcsFailure.Read)).ToList());
    }
}
