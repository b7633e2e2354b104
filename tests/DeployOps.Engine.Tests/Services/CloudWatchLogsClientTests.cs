using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Logs;
using DeployOps.Aws.Protocols;
using DeployOps.Engine.Tests.Support;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Services;

/// <summary>The typed CloudWatch Logs client over real HTTP against moto, which paginates FilterLogEvents.</summary>
public sealed class CloudWatchLogsClientTests : MotoSessionTest
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddMinutes(-30);

    public CloudWatchLogsClientTests(MotoFixture moto)
        : base(moto)
    {
    }

    [Fact]
    public async Task FilterLogEventsFollowsNextTokenAcrossPages()
    {
        var group = await CreateStreamWithEventsAsync("app", 7);
        Session.Logs.PageSize = 2;

        var result = await Session.Logs.FilterLogEventsAsync(new LogsFilterRequest(group));

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"line {i}"), result.Events.Select(e => e.Message));
        Assert.False(result.Truncated);
        Assert.Equal(4, Session.Calls.Get("CloudWatch Logs", "FilterLogEvents").Calls);
        Assert.Equal(("app", Start.AddSeconds(3).ToUnixTimeMilliseconds()), (result.Events[3].LogStreamName, result.Events[3].Timestamp!.Value.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public async Task FilterLogEventsStopsAtTheCapAndSaysSo()
    {
        var group = await CreateStreamWithEventsAsync("app", 9);
        Session.Logs.PageSize = 2;

        var result = await Session.Logs.FilterLogEventsAsync(new LogsFilterRequest(group) { MaxEvents = 5 });

        Assert.Equal(5, result.Events.Count);
        Assert.True(result.Truncated);
    }

    [Fact]
    public async Task FilterLogEventsAppliesPatternStreamsAndTimeRange()
    {
        var group = await CreateStreamWithEventsAsync("app", 6);
        await PutEventsAsync(group, "other", 3);

        var result = await Session.Logs.FilterLogEventsAsync(new LogsFilterRequest(group)
        {
            LogStreamNames = new[] { "app" },
            FilterPattern = "line",
            StartTime = Start.AddSeconds(2),
            EndTime = Start.AddSeconds(4),
        });

        Assert.Equal(new[] { "line 2", "line 3", "line 4" }, result.Events.Select(e => e.Message));
    }

    [Fact]
    public async Task GetLogEventsReadsFromTheHeadWithALimit()
    {
        var group = await CreateStreamWithEventsAsync("app", 5);

        var events = await Session.Logs.GetLogEventsAsync(group, "app", startFromHead: true, limit: 2);

        Assert.Equal(new[] { "line 0", "line 1" }, events.Select(e => e.Message));
    }

    [Fact]
    public async Task UnknownLogGroupIsNotFound()
    {
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Session.Logs.FilterLogEventsAsync(new LogsFilterRequest("/no/such/group")));

        Assert.Equal(("ResourceNotFoundException", AwsErrorClassification.NotFound), (error.ErrorCode, error.Classification));
    }

    private async Task<string> CreateStreamWithEventsAsync(string stream, int count)
    {
        var group = "/ecs/" + MotoSessions.UniqueName("logs");
        await AwsCli.RunJsonAsync(Moto.Url, "logs", "create-log-group", "--log-group-name", group);
        await PutEventsAsync(group, stream, count);
        return group;
    }

    private async Task PutEventsAsync(string group, string stream, int count)
    {
        await AwsCli.RunJsonAsync(Moto.Url, "logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", stream);
        var events = Enumerable.Range(0, count)
            .Select(i => new AwsParameters { { "timestamp", Start.AddSeconds(i).ToUnixTimeMilliseconds() }, { "message", stream == "app" ? $"line {i}" : $"noise {i}" } })
            .ToList();
        await Session.Logs.Protocol.CallAsync(
            AwsOperation.NonIdempotent("PutLogEvents"),
            new AwsParameters { { "logGroupName", group }, { "logStreamName", stream }, { "logEvents", events } },
            CancellationToken.None);
    }
}
