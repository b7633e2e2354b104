using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Sns;

/// <summary>Amazon SNS, typed (what runbook 004's "missing alarm notifications" reads): a topic's subscriptions, every page.</summary>
public sealed class SnsClient
{
    // Paginator as in botocore's sns/2010-03-31/paginators-1.json.
    private static readonly AwsOperation ListSubscriptionsByTopicOperation = AwsOperation.Idempotent("ListSubscriptionsByTopic")
        .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: null, "Subscriptions"));

    internal SnsClient(AwsQueryClient protocol)
    {
        Protocol = protocol;
    }

    /// <summary>The query client underneath, for operations without a typed method.</summary>
    public AwsQueryClient Protocol { get; }

    /// <summary>ListSubscriptionsByTopic: every subscription of the topic. An unknown topic fails with NotFound.</summary>
    public Task<IReadOnlyList<SnsSubscription>> ListSubscriptionsByTopicAsync(string topicArn, CancellationToken cancellationToken = default) =>
        Protocol.PaginateAllAsync(ListSubscriptionsByTopicOperation, new AwsParameters { { "TopicArn", topicArn } }, SnsSubscription.Read, default, cancellationToken);
}
