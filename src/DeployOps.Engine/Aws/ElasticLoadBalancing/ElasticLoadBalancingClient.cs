using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.ElasticLoadBalancing;

/// <summary>Elastic Load Balancing v2, typed: every page (Marker), ARN and name lists in batches.</summary>
public sealed class ElasticLoadBalancingClient
{
    /// <summary>
    /// ARNs or names per describe call. DescribeLoadBalancers documents at most 20; DescribeTargetGroups documents
    /// no limit, so it is held to the same 20.
    /// </summary>
    public const int DescribeBatchSize = 20;

    // Paginators as in botocore's elbv2/2015-12-01/paginators-1.json.
    private static readonly AwsOperation DescribeTargetGroupsOperation = AwsOperation.Idempotent("DescribeTargetGroups")
        .Paged(AwsPaginator.Of(inputToken: "Marker", outputToken: "NextMarker", limitKey: "PageSize", "TargetGroups"));

    private static readonly AwsOperation DescribeLoadBalancersOperation = AwsOperation.Idempotent("DescribeLoadBalancers")
        .Paged(AwsPaginator.Of(inputToken: "Marker", outputToken: "NextMarker", limitKey: "PageSize", "LoadBalancers"));

    private static readonly AwsOperation DescribeListenersOperation = AwsOperation.Idempotent("DescribeListeners")
        .Paged(AwsPaginator.Of(inputToken: "Marker", outputToken: "NextMarker", limitKey: "PageSize", "Listeners"));

    private static readonly AwsOperation DescribeRulesOperation = AwsOperation.Idempotent("DescribeRules")
        .Paged(AwsPaginator.Of(inputToken: "Marker", outputToken: "NextMarker", limitKey: "PageSize", "Rules"));

    private static readonly AwsOperation DescribeLoadBalancerAttributesOperation = AwsOperation.Idempotent("DescribeLoadBalancerAttributes");

    // Sets absolute values: sending it twice leaves the same state.
    private static readonly AwsOperation ModifyLoadBalancerAttributesOperation = AwsOperation.Idempotent("ModifyLoadBalancerAttributes");

    private static readonly AwsOperation DescribeTargetHealthOperation = AwsOperation.Idempotent("DescribeTargetHealth");
    private static readonly AwsOperation DescribeTargetGroupAttributesOperation = AwsOperation.Idempotent("DescribeTargetGroupAttributes");

    // Sets absolute values: sending it twice leaves the same state.
    private static readonly AwsOperation ModifyTargetGroupOperation = AwsOperation.Idempotent("ModifyTargetGroup");

    internal ElasticLoadBalancingClient(AwsQueryClient protocol)
    {
        Protocol = protocol;
    }

    /// <summary>The query client underneath, for operations without a typed method.</summary>
    public AwsQueryClient Protocol { get; }

    /// <summary>PageSize for describe calls (the API's maximum, 400); tests lower it.</summary>
    internal int PageSize { get; set; } = 400;

    /// <summary>DescribeTargetGroups by ARN. An unknown ARN fails with TargetGroupNotFound (NotFound).</summary>
    public Task<IReadOnlyList<ElbTargetGroup>> DescribeTargetGroupsAsync(IReadOnlyList<string> targetGroupArns, CancellationToken cancellationToken = default) =>
        DescribeBatchedAsync(DescribeTargetGroupsOperation, "TargetGroupArns", targetGroupArns, ElbTargetGroup.Read, cancellationToken);

    /// <summary>DescribeTargetGroups by name.</summary>
    public Task<IReadOnlyList<ElbTargetGroup>> DescribeTargetGroupsByNameAsync(IReadOnlyList<string> names, CancellationToken cancellationToken = default) =>
        DescribeBatchedAsync(DescribeTargetGroupsOperation, "Names", names, ElbTargetGroup.Read, cancellationToken);

    /// <summary>DescribeTargetGroups of one load balancer.</summary>
    public Task<IReadOnlyList<ElbTargetGroup>> DescribeTargetGroupsOfLoadBalancerAsync(string loadBalancerArn, CancellationToken cancellationToken = default) =>
        DescribeAllPagesAsync(DescribeTargetGroupsOperation, new AwsParameters { { "LoadBalancerArn", loadBalancerArn } }, ElbTargetGroup.Read, cancellationToken);

    /// <summary>DescribeTargetHealth: every registered target of a group.</summary>
    public Task<IReadOnlyList<ElbTargetHealth>> DescribeTargetHealthAsync(string targetGroupArn, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(
            DescribeTargetHealthOperation,
            new AwsParameters { { "TargetGroupArn", targetGroupArn } },
            result => result.List("TargetHealthDescriptions", ElbTargetHealth.Read),
            cancellationToken);

    /// <summary>ModifyTargetGroup: changes the health-check settings that are set in <paramref name="changes"/>; returns the group as it now is.</summary>
    public Task<ElbTargetGroup> ModifyTargetGroupAsync(string targetGroupArn, ElbHealthCheck changes, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(
            ModifyTargetGroupOperation,
            changes.ToModifyParameters(targetGroupArn),
            result => result.List("TargetGroups", ElbTargetGroup.Read).FirstOrDefault() ?? throw new InvalidDataException("The response has no target group."),
            cancellationToken);

    /// <summary>DescribeLoadBalancers by ARN.</summary>
    public Task<IReadOnlyList<ElbLoadBalancer>> DescribeLoadBalancersAsync(IReadOnlyList<string> loadBalancerArns, CancellationToken cancellationToken = default) =>
        DescribeBatchedAsync(DescribeLoadBalancersOperation, "LoadBalancerArns", loadBalancerArns, ElbLoadBalancer.Read, cancellationToken);

    /// <summary>DescribeLoadBalancers by name.</summary>
    public Task<IReadOnlyList<ElbLoadBalancer>> DescribeLoadBalancersByNameAsync(IReadOnlyList<string> names, CancellationToken cancellationToken = default) =>
        DescribeBatchedAsync(DescribeLoadBalancersOperation, "Names", names, ElbLoadBalancer.Read, cancellationToken);

    /// <summary>DescribeLoadBalancers: every load balancer in the region.</summary>
    public Task<IReadOnlyList<ElbLoadBalancer>> DescribeAllLoadBalancersAsync(CancellationToken cancellationToken = default) =>
        DescribeAllPagesAsync(DescribeLoadBalancersOperation, new AwsParameters(), ElbLoadBalancer.Read, cancellationToken);

    /// <summary>DescribeListeners of one load balancer.</summary>
    public Task<IReadOnlyList<ElbListener>> DescribeListenersAsync(string loadBalancerArn, CancellationToken cancellationToken = default) =>
        DescribeAllPagesAsync(DescribeListenersOperation, new AwsParameters { { "LoadBalancerArn", loadBalancerArn } }, ElbListener.Read, cancellationToken);

    /// <summary>DescribeTargetGroupAttributes: key to value, e.g. <c>deregistration_delay.timeout_seconds</c>.</summary>
    public Task<IReadOnlyDictionary<string, string>> DescribeTargetGroupAttributesAsync(string targetGroupArn, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(
            DescribeTargetGroupAttributesOperation,
            new AwsParameters { { "TargetGroupArn", targetGroupArn } },
            ReadAttributes,
            cancellationToken);

    /// <summary>DescribeRules of one listener: its rules, the default one included (<see cref="ElbRule.IsDefault"/>).</summary>
    public Task<IReadOnlyList<ElbRule>> DescribeRulesAsync(string listenerArn, CancellationToken cancellationToken = default) =>
        DescribeAllPagesAsync(DescribeRulesOperation, new AwsParameters { { "ListenerArn", listenerArn } }, ElbRule.Read, cancellationToken);

    /// <summary>DescribeLoadBalancerAttributes: key to value, e.g. <c>idle_timeout.timeout_seconds</c>.</summary>
    public Task<IReadOnlyDictionary<string, string>> DescribeLoadBalancerAttributesAsync(string loadBalancerArn, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(
            DescribeLoadBalancerAttributesOperation,
            new AwsParameters { { "LoadBalancerArn", loadBalancerArn } },
            ReadAttributes,
            cancellationToken);

    /// <summary>ModifyLoadBalancerAttributes: sets the attributes given; returns every attribute as it now is.</summary>
    public Task<IReadOnlyDictionary<string, string>> ModifyLoadBalancerAttributesAsync(string loadBalancerArn, IReadOnlyDictionary<string, string> attributes,
        CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(
            ModifyLoadBalancerAttributesOperation,
            new AwsParameters
            {
                { "LoadBalancerArn", loadBalancerArn },
                { "Attributes", attributes.Select(a => new AwsParameters { { "Key", a.Key }, { "Value", a.Value } }) },
            },
            ReadAttributes,
            cancellationToken);

    private static IReadOnlyDictionary<string, string> ReadAttributes(XElement result) =>
        result.Items("Attributes")
            .Where(attribute => attribute.Text("Key") is not null)
            .ToDictionary(attribute => attribute.Text("Key")!, attribute => attribute.Text("Value") ?? string.Empty, StringComparer.Ordinal);

    private Task<IReadOnlyList<T>> DescribeAllPagesAsync<T>(
        AwsOperation operation,
        AwsParameters filters,
        Func<XElement, T> read,
        CancellationToken cancellationToken) =>
        Protocol.PaginateAllAsync(operation, filters, read, new AwsPageLimits(PageSize), cancellationToken);

    private Task<IReadOnlyList<T>> DescribeBatchedAsync<T>(
        AwsOperation operation,
        string filterMember,
        IReadOnlyList<string> values,
        Func<XElement, T> read,
        CancellationToken cancellationToken) =>
        AwsPaging.CollectBatchesAsync(
            values,
            DescribeBatchSize,
            (batch, ct) => DescribeAllPagesAsync(operation, new AwsParameters { { filterMember, batch } }, read, ct),
            cancellationToken);
}
