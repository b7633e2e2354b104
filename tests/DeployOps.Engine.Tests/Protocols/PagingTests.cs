using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Protocols;
using Xunit;

namespace DeployOps.Engine.Tests.Protocols;

/// <summary>
/// The pager and batcher on their own. moto does not paginate ECS list calls, so the nextToken loop is checked here
/// and through ELBv2 and CloudWatch Logs, which moto does paginate.
/// </summary>
public sealed class PagingTests
{
    [Fact]
    public async Task CollectFollowsTokensUntilTheLastPage()
    {
        var sent = new List<string?>();
        var pages = new Dictionary<string, AwsPage<int>>
        {
            [""] = new(new[] { 1, 2 }, "t1"),
            ["t1"] = new(new[] { 3 }, "t2"),
            ["t2"] = new(new[] { 4 }, ""),
        };

        var items = await AwsPaging.CollectAsync<int>(
            (token, _) =>
            {
                sent.Add(token);
                return Task.FromResult(pages[token ?? string.Empty]);
            },
            CancellationToken.None);

        Assert.Equal(new[] { 1, 2, 3, 4 }, items);
        Assert.Equal(new[] { null, "t1", "t2" }, sent);
    }

    [Fact]
    public async Task CollectStopsAtTheCap()
    {
        var calls = 0;

        var items = await AwsPaging.CollectAsync<int>(
            (_, _) => Task.FromResult(new AwsPage<int>(Enumerable.Range(++calls * 10, 3).ToList(), "page" + calls)),
            CancellationToken.None,
            maxItems: 7);

        Assert.Equal(7, items.Count);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task ATokenThatComesBackUnchangedStopsPagingWithAnError() =>
        await Assert.ThrowsAsync<System.IO.InvalidDataException>(() => AwsPaging.CollectAsync<int>(
            (_, _) => Task.FromResult(new AwsPage<int>(new[] { 1 }, "same")),
            CancellationToken.None));

    [Fact]
    public async Task BatchDropsDuplicateItems()
    {
        var sent = new ConcurrentBag<string>();

        await AwsPaging.BatchAsync(
            new[] { "a", "b", "a", "c", "b" },
            2,
            (batch, _) =>
            {
                foreach (var item in batch)
                {
                    sent.Add(item);
                }

                return Task.FromResult(0);
            },
            CancellationToken.None);

        Assert.Equal(new[] { "a", "b", "c" }, sent.OrderBy(s => s));
    }

    [Fact]
    public async Task BatchSplitsRunsConcurrentlyAndKeepsOrder()
    {
        var batches = new ConcurrentBag<int>();
        var started = 0;
        var allStarted = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        var results = await AwsPaging.BatchAsync(
            Enumerable.Range(1, 23).ToList(),
            10,
            async (batch, _) =>
            {
                batches.Add(batch.Count);
                if (Interlocked.Increment(ref started) == 3)
                {
                    allStarted.SetResult(true);
                }

                await allStarted.Task; // completes only if all three batches are in flight together
                return batch.Sum();
            },
            CancellationToken.None);

        Assert.Equal(new[] { 3, 10, 10 }, batches.OrderBy(c => c));
        Assert.Equal(new[] { 55, 155, 66 }, results);
    }

    [Fact]
    public async Task FirstBatchFailureCancelsTheOthersAndIsTheErrorThrown()
    {
        var cancelled = 0;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AwsPaging.BatchAsync<int, int>(
            Enumerable.Range(1, 30).ToList(),
            10,
            async (batch, token) =>
            {
                if (batch[0] == 11)
                {
                    throw new InvalidOperationException("batch two failed");
                }

                try
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                    throw;
                }

                return 0;
            },
            CancellationToken.None));

        Assert.Equal("batch two failed", error.Message);
        Assert.Equal(2, cancelled);
    }

    [Fact]
    public async Task NoItemsMeansNoCalls()
    {
        var results = await AwsPaging.BatchAsync<string, int>(
            Array.Empty<string>(), 10, (_, _) => throw new InvalidOperationException("called"), CancellationToken.None);

        Assert.Empty(results);
    }
}
