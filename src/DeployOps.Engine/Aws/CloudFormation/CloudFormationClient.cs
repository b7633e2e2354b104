using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.CloudFormation;

/// <summary>
/// AWS CloudFormation, typed: stacks, their events (newest first, back to a known event), resources and template, and
/// the three actions a stuck stack allows (CancelUpdateStack, ContinueUpdateRollback, DeleteStack). The actions carry a
/// ClientRequestToken made once per call, so the pipeline's retries of one call are one action to CloudFormation.
/// </summary>
public sealed class CloudFormationClient
{
    // Paginators as in botocore's cloudformation/2010-05-15/paginators-1.json.
    private static readonly AwsOperation DescribeStacksOperation = AwsOperation.Idempotent("DescribeStacks")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: null, "Stacks"));

    private static readonly AwsOperation ListStacksOperation = AwsOperation.Idempotent("ListStacks")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: null, "StackSummaries"));

    private static readonly AwsOperation DescribeStackEventsOperation = AwsOperation.Idempotent("DescribeStackEvents")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: null, "StackEvents"));

    private static readonly AwsOperation ListStackResourcesOperation = AwsOperation.Idempotent("ListStackResources")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: null, "StackResourceSummaries"));

    private static readonly AwsOperation GetTemplateOperation = AwsOperation.Idempotent("GetTemplate");

    // With a ClientRequestToken, a resend of the same call is recognised by CloudFormation: safe to retry.
    private static readonly AwsOperation CancelUpdateStackOperation = AwsOperation.Idempotent("CancelUpdateStack");
    private static readonly AwsOperation ContinueUpdateRollbackOperation = AwsOperation.Idempotent("ContinueUpdateRollback");
    private static readonly AwsOperation DeleteStackOperation = AwsOperation.Idempotent("DeleteStack");

    internal CloudFormationClient(AwsQueryClient protocol)
    {
        Protocol = protocol;
    }

    /// <summary>The query client underneath, for operations without a typed method.</summary>
    public AwsQueryClient Protocol { get; }

    /// <summary>DescribeStacks for one stack, by name or stack id. A missing stack fails with StackNotFound (NotFound).</summary>
    public async Task<CfnStack> DescribeStackAsync(string stackName, CancellationToken cancellationToken = default)
    {
        var stacks = await Protocol.PaginateAllAsync(DescribeStacksOperation, new AwsParameters { { "StackName", stackName } }, CfnStack.Read, default, cancellationToken)
            .ConfigureAwait(false);
        return stacks.FirstOrDefault() ?? throw new InvalidDataException($"DescribeStacks answered no stack for '{stackName}'.");
    }

    /// <summary>ListStacks: every stack of the region, deleted ones included (for 90 days), filtered by status when given.</summary>
    public Task<IReadOnlyList<CfnStackSummary>> ListStacksAsync(IReadOnlyList<string>? statusFilter = null, CancellationToken cancellationToken = default) =>
        Protocol.PaginateAllAsync(ListStacksOperation, new AwsParameters { { "StackStatusFilter", statusFilter } }, CfnStackSummary.Read, default, cancellationToken);

    /// <summary>
    /// DescribeStackEvents, newest first: every event, or up to <paramref name="maxEvents"/>, or back to (and with) the
    /// first one <paramref name="stopAfter"/> accepts.
    /// </summary>
    public Task<AwsPagedList<CfnStackEvent>> DescribeStackEventsAsync(string stackName, int? maxEvents = null, Func<CfnStackEvent, bool>? stopAfter = null,
        CancellationToken cancellationToken = default) =>
        Protocol.PaginateAsync(DescribeStackEventsOperation, new AwsParameters { { "StackName", stackName } }, CfnStackEvent.Read, new AwsPageLimits(null, maxEvents),
            cancellationToken, stopAfter: stopAfter);

    /// <summary>ListStackResources: every resource an operation of the stack began.</summary>
    public Task<IReadOnlyList<CfnStackResource>> ListStackResourcesAsync(string stackName, CancellationToken cancellationToken = default) =>
        Protocol.PaginateAllAsync(ListStackResourcesOperation, new AwsParameters { { "StackName", stackName } }, CfnStackResource.Read, default, cancellationToken);

    /// <summary>GetTemplate: the template body as deployed.</summary>
    public Task<string> GetTemplateAsync(string stackName, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(GetTemplateOperation, new AwsParameters { { "StackName", stackName } }, result => result.Text("TemplateBody") ?? string.Empty, cancellationToken);

    /// <summary>CancelUpdateStack: an update in progress rolls back (valid only in UPDATE_IN_PROGRESS).</summary>
    public Task CancelUpdateStackAsync(string stackName, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(CancelUpdateStackOperation, new AwsParameters { { "StackName", stackName }, { "ClientRequestToken", NewToken("cancel") } }, cancellationToken);

    /// <summary>ContinueUpdateRollback: a stack in UPDATE_ROLLBACK_FAILED rolls back again, skipping <paramref name="resourcesToSkip"/>.</summary>
    public Task ContinueUpdateRollbackAsync(string stackName, IReadOnlyList<string> resourcesToSkip, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(ContinueUpdateRollbackOperation, new AwsParameters
        {
            { "StackName", stackName },
            { "ResourcesToSkip", resourcesToSkip.Count == 0 ? null : resourcesToSkip },
            { "ClientRequestToken", NewToken("continue") },
        }, cancellationToken);

    /// <summary>DeleteStack, keeping <paramref name="retainResources"/> (valid only in DELETE_FAILED).</summary>
    public Task DeleteStackAsync(string stackName, IReadOnlyList<string> retainResources, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(DeleteStackOperation, new AwsParameters
        {
            { "StackName", stackName },
            { "RetainResources", retainResources.Count == 0 ? null : retainResources },
            { "ClientRequestToken", NewToken("delete") },
        }, cancellationToken);

    // ClientRequestToken: [a-zA-Z0-9][-a-zA-Z0-9]*, at most 128 characters.
    private static string NewToken(string action) => $"deployops-{action}-{Guid.NewGuid():N}";
}
