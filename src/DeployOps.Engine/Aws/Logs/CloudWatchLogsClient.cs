using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Logs;

/// <summary>Amazon CloudWatch Logs, typed: FilterLogEvents across pages up to a cap, GetLogEvents.</summary>
public sealed class CloudWatchLogsClient
{
    private const int MaxLimit = 10000;

    // Paginator as in botocore's logs/2014-03-28/paginators-1.json.
    private static readonly AwsOperation FilterLogEventsOperation = AwsOperation.Idempotent("FilterLogEvents")
        .Paged(AwsPaginator.Of(inputToken: "nextToken", outputToken: "nextToken", limitKey: "limit", "events", "searchedLogStreams"));

    private static readonly AwsOperation GetLogEventsOperation = AwsOperation.Idempotent("GetLogEvents");

    private static readonly AwsOperation DescribeLogGroupsOperation = AwsOperation.Idempotent("DescribeLogGroups")
        .Paged(AwsPaginator.Of(inputToken: "nextToken", outputToken: "nextToken", limitKey: "limit", "logGroups"));

    internal CloudWatchLogsClient(AwsJsonClient protocol)
    {
        Protocol = protocol;
    }

    /// <summary>The JSON client underneath, for operations without a typed method.</summary>
    public AwsJsonClient Protocol { get; }

    /// <summary>Largest <c>limit</c> sent per page (the API's 10,000); tests lower it.</summary>
    internal int PageSize { get; set; } = MaxLimit;

    /// <summary>FilterLogEvents: matching events, page after page, until there are no more or the cap is reached.</summary>
    public async Task<LogsFilterResult> FilterLogEventsAsync(LogsFilterRequest request, CancellationToken cancellationToken = default)
    {
        if (request.MaxEvents < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.MaxEvents, "MaxEvents must be 1 or more.");
        }

        if (request.LogStreamNames is not null && request.LogStreamNamePrefix is not null)
        {
            throw new ArgumentException("FilterLogEvents takes logStreamNames or logStreamNamePrefix, not both.", nameof(request));
        }

        var parameters = new AwsParameters
        {
            { "logGroupName", request.LogGroupName },
            { "logStreamNames", request.LogStreamNames },
            { "logStreamNamePrefix", request.LogStreamNamePrefix },
            { "filterPattern", request.FilterPattern },
            { "startTime", request.StartTime?.ToUnixTimeMilliseconds() },
            { "endTime", request.EndTime?.ToUnixTimeMilliseconds() },
        };
        var events = await Protocol.PaginateAsync(
            FilterLogEventsOperation, parameters, LogEvent.Read, new AwsPageLimits(PageSize, request.MaxEvents), cancellationToken).ConfigureAwait(false);
        return new LogsFilterResult(events.Items, events.Truncated);
    }

    /// <summary>GetLogEvents: one page of a stream, oldest first when <paramref name="startFromHead"/>, else the newest.</summary>
    public Task<IReadOnlyList<LogEvent>> GetLogEventsAsync(
        string logGroupName,
        string logStreamName,
        bool startFromHead = false,
        int? limit = null,
        CancellationToken cancellationToken = default)
    {
        var parameters = new AwsParameters
        {
            { "logGroupName", logGroupName },
            { "logStreamName", logStreamName },
            { "startFromHead", startFromHead },
            { "limit", limit },
        };
        return Protocol.CallAsync(GetLogEventsOperation, parameters, response => response.List("events", LogEvent.Read), cancellationToken);
    }

    /// <summary>DescribeLogGroups: the names of the log groups starting with <paramref name="prefix"/>, every page.</summary>
    public Task<IReadOnlyList<string>> DescribeLogGroupNamesAsync(string prefix, CancellationToken cancellationToken = default) =>
        Protocol.PaginateAllAsync(DescribeLogGroupsOperation, new AwsParameters { { "logGroupNamePrefix", prefix } }, group => group.String("logGroupName") ?? string.Empty, default,
            cancellationToken);
}
