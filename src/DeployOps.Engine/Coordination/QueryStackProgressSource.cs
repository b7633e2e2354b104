using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using DeployOps.Aws.CloudFormation;
using DeployOps.Aws.Protocols;
using DeployOps.Facts;

namespace DeployOps.Coordination;

/// <summary>
/// <see cref="IStackProgressSource"/> over the session's generic query client for CloudFormation (no typed client
/// needed): DescribeStacks, DescribeStackEvents and ListStacks, read with botocore's member names.
/// </summary>
internal sealed class QueryStackProgressSource : IStackProgressSource
{
    // Paginators as in botocore's cloudformation/2010-05-15/paginators-1.json.
    private static readonly AwsOperation DescribeStacksOperation = AwsOperation.Idempotent("DescribeStacks");

    private static readonly AwsPaginator EventsPaginator = AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: null, "StackEvents");
    private static readonly AwsOperation DescribeStackEventsOperation = AwsOperation.Idempotent("DescribeStackEvents").Paged(EventsPaginator);

    private static readonly AwsOperation ListStacksOperation = AwsOperation.Idempotent("ListStacks")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: null, "StackSummaries"));

    private readonly AwsFacts _facts;

    public QueryStackProgressSource(AwsFacts facts)
    {
        _facts = facts;
    }

    private AwsQueryClient Client => _facts.Session.CreateQueryClient(CloudFormationApi.Description);

    public Task<Fact<StackProgress>> DescribeStackAsync(string stackNameOrId, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"stack '{stackNameOrId}'", () => Client.CallAsync(
            DescribeStacksOperation,
            new AwsParameters { { "StackName", stackNameOrId } },
            result => result.Items("Stacks").Select(ReadStack).FirstOrDefault() ?? throw new InvalidDataException("The response lists no stack."),
            cancellationToken));

    public Task<Fact<IReadOnlyList<StackProgressEvent>>> DescribeEventsAsync(string stackNameOrId, Func<StackProgressEvent, bool> isLast, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"events of stack '{stackNameOrId}'", async () =>
        {
            var events = new List<StackProgressEvent>();
            string? token = null;
            do
            {
                var sent = token;
                var parameters = new AwsParameters { { "StackName", stackNameOrId }, { "NextToken", token } };
                var page = await Client.CallAsync(
                    DescribeStackEventsOperation,
                    parameters,
                    result => AwsQueryClient.ReadXmlPage(result, EventsPaginator, "StackEvents", ReadEvent, sent),
                    cancellationToken).ConfigureAwait(false);
                foreach (var stackEvent in page.Items)
                {
                    events.Add(stackEvent);
                    if (isLast(stackEvent))
                    {
                        return (IReadOnlyList<StackProgressEvent>)events;
                    }
                }

                token = page.NextToken;
            }
            while (token is not null);

            return events;
        });

    public Task<Fact<IReadOnlyList<StackProgress>>> ListInProgressAsync(CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync("the stacks in progress", async () => await Client.PaginateAllAsync(
            ListStacksOperation,
            new AwsParameters { { "StackStatusFilter", StackStatusKinds.InProgressStatuses } },
            ReadStack,
            default,
            cancellationToken).ConfigureAwait(false));

    private static StackProgress ReadStack(XElement stack) => new(
        stack.Required("StackId").Value,
        stack.Required("StackName").Value,
        stack.Required("StackStatus").Value,
        stack.Text("StackStatusReason"),
        stack.Timestamp("CreationTime") ?? throw new InvalidDataException("The stack has no CreationTime."),
        stack.Timestamp("LastUpdatedTime"));

    private static StackProgressEvent ReadEvent(XElement e) => new(
        e.Required("EventId").Value,
        e.Required("StackId").Value,
        e.Required("LogicalResourceId").Value,
        e.Text("PhysicalResourceId"),
        e.Text("ResourceType") ?? string.Empty,
        e.Text("ResourceStatus") ?? string.Empty,
        e.Text("ResourceStatusReason"),
        e.Timestamp("Timestamp") ?? throw new InvalidDataException("The stack event has no Timestamp."));
}
