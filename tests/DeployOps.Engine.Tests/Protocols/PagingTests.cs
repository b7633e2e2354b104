using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using DeployOps.Aws.Protocols;
using Xunit;

namespace DeployOps.Engine.Tests.Protocols;

/// <summary>
/// The pager and batcher on their own: the token loop, limits and caps, and reading pages of both protocols (paths,
/// EC2's location names, more_results). moto does not paginate ECS list calls nor EC2 describes, so they are checked
/// here; through HTTP the pager runs against ELBv2, CloudWatch Logs and Secrets Manager, which moto does paginate.
/// </summary>
public sealed class PagingTests
{
    private static readonly AwsPaginator EcsListClusters = AwsPaginator.Of(inputToken: "nextToken", outputToken: "nextToken", limitKey: "maxResults", "clusterArns");

    [Fact]
    public async Task ThePagerSendsEachTokenInTheInputMemberUntilTheLastPage()
    {
        var sent = new List<string>();
        var pages = new Dictionary<string, AwsPage<int>>
        {
            [""] = new(new[] { 1, 2 }, "t1"),
            ["t1"] = new(new[] { 3 }, "t2"),
            ["t2"] = new(new[] { 4 }, null),
        };

        var result = await AwsPager.CollectAsync<int>(
            EcsListClusters,
            new AwsParameters { { "cluster", "web" } },
            new AwsPageLimits(PageSize: 2),
            (request, _) =>
            {
                sent.Add(Fields(request));
                return Task.FromResult(pages[request.FirstOrDefault(m => m.Key == "nextToken").Value as string ?? string.Empty]);
            },
            CancellationToken.None);

        Assert.Equal(new[] { 1, 2, 3, 4 }, result.Items);
        Assert.False(result.Truncated);
        Assert.Equal(new[] { "cluster=web maxResults=2", "cluster=web nextToken=t1 maxResults=2", "cluster=web nextToken=t2 maxResults=2" }, sent);
    }

    [Fact]
    public async Task ThePagerStopsAtTheCapAsksForNoMoreThanIsMissingAndSaysItStopped()
    {
        var limits = new List<string>();
        var calls = 0;

        var result = await AwsPager.CollectAsync<int>(
            EcsListClusters,
            new AwsParameters(),
            new AwsPageLimits(PageSize: 3, MaxItems: 7),
            (request, _) =>
            {
                limits.Add(Fields(request.Without("nextToken")));
                return Task.FromResult(new AwsPage<int>(Enumerable.Range(++calls * 10, 3).ToList(), "page" + calls));
            },
            CancellationToken.None);

        Assert.Equal((7, true), (result.Items.Count, result.Truncated));
        Assert.Equal(new[] { "maxResults=3", "maxResults=3", "maxResults=1" }, limits);
    }

    [Fact]
    public async Task ACapReachedOnTheLastPageIsNotTruncation()
    {
        var result = await AwsPager.CollectAsync<int>(
            EcsListClusters, new AwsParameters(), new AwsPageLimits(MaxItems: 3), (_, _) => Task.FromResult(new AwsPage<int>(new[] { 1, 2, 3 }, null)), CancellationToken.None);

        Assert.Equal((3, false), (result.Items.Count, result.Truncated));
    }

    [Fact]
    public async Task APaginatorWithoutALimitKeySendsNoPageSizeAndTheCallersOwnTokenIsReplaced()
    {
        var sent = new List<string>();
        var listStacks = AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: null, "StackSummaries");

        await AwsPager.CollectAsync<int>(
            listStacks,
            new AwsParameters { { "NextToken", "stale" }, { "StackStatusFilter", new[] { "CREATE_COMPLETE" } } },
            new AwsPageLimits(PageSize: 5),
            (request, _) =>
            {
                sent.Add(Fields(request));
                return Task.FromResult(new AwsPage<int>(new[] { 1 }, null));
            },
            CancellationToken.None);

        Assert.Equal(new[] { "StackStatusFilter=CREATE_COMPLETE" }, sent);
    }

    [Fact]
    public void AJsonPageGivesItsResultKeyAndItsOutputToken()
    {
        using var document = JsonDocument.Parse("{\"clusterArns\":[\"a\",\"b\"],\"nextToken\":\"n1\"}");

        var page = AwsJsonClient.ReadJsonPage(document.RootElement, EcsListClusters, "clusterArns", JsonRead.StringValue, sentToken: null);

        Assert.Equal(("a,b", "n1"), (string.Join(",", page.Items), page.NextToken));
    }

    [Theory]
    [InlineData("{\"clusterArns\":[]}")]
    [InlineData("{\"clusterArns\":[],\"nextToken\":null}")]
    [InlineData("{\"clusterArns\":[],\"nextToken\":\"\"}")]
    public void AJsonPageWithoutATokenIsTheLast(string body)
    {
        using var document = JsonDocument.Parse(body);

        Assert.Null(AwsJsonClient.ReadJsonPage(document.RootElement, EcsListClusters, "clusterArns", JsonRead.StringValue, "t1").NextToken);
    }

    [Fact]
    public void ATokenThatComesBackUnchangedIsAnUnreadableAnswer()
    {
        using var document = JsonDocument.Parse("{\"clusterArns\":[\"a\"],\"nextToken\":\"same\"}");

        var error = Assert.Throws<InvalidDataException>(
            () => AwsJsonClient.ReadJsonPage(document.RootElement, EcsListClusters, "clusterArns", JsonRead.StringValue, "same"));

        Assert.Contains("nextToken is the token that was sent", error.Message);
    }

    [Fact]
    public void AQueryPageReadsMemberListsAndTheMarker()
    {
        var result = XElement.Parse(
            "<DescribeTargetGroupsResult xmlns=\"urn:x\"><TargetGroups><member><TargetGroupName>a</TargetGroupName></member>"
            + "<member><TargetGroupName>b</TargetGroupName></member></TargetGroups><NextMarker>m2</NextMarker></DescribeTargetGroupsResult>");
        var paginator = AwsPaginator.Of(inputToken: "Marker", outputToken: "NextMarker", limitKey: "PageSize", "TargetGroups");

        var page = AwsQueryClient.ReadXmlPage(result, paginator, "TargetGroups", group => group.Text("TargetGroupName"), "m1");

        Assert.Equal(("a,b", "m2"), (string.Join(",", page.Items), page.NextToken));
    }

    [Fact]
    public void AnEc2PageReadsTheModelsLocationNames()
    {
        var response = XElement.Parse(
            "<DescribeSecurityGroupsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><securityGroupInfo>"
            + "<item><groupId>sg-1</groupId></item><item><groupId>sg-2</groupId></item></securityGroupInfo><nextToken>t2</nextToken>"
            + "</DescribeSecurityGroupsResponse>");
        var paginator = AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: "MaxResults", "SecurityGroups")
            .WithLocationNames(("NextToken", "nextToken"), ("SecurityGroups", "securityGroupInfo"));

        var page = AwsQueryClient.ReadXmlPage(response, paginator, "SecurityGroups", group => group.Text("groupId"), null);

        Assert.Equal(("sg-1,sg-2", "t2"), (string.Join(",", page.Items), page.NextToken));
    }

    [Fact]
    public void AnOutputTokenAndAResultKeyMayBePaths()
    {
        // rds DescribeEngineDefaultParameters: output_token EngineDefaults.Marker, result_key EngineDefaults.Parameters.
        var result = XElement.Parse(
            "<DescribeEngineDefaultParametersResult><EngineDefaults><Parameters><Parameter><ParameterName>max_connections</ParameterName>"
            + "</Parameter></Parameters><Marker>p2</Marker></EngineDefaults></DescribeEngineDefaultParametersResult>");
        var paginator = AwsPaginator.Of(inputToken: "Marker", outputToken: "EngineDefaults.Marker", limitKey: "MaxRecords", "EngineDefaults.Parameters");

        var page = AwsQueryClient.ReadXmlPage(result, paginator, "EngineDefaults.Parameters", parameter => parameter.Text("ParameterName"), null);

        Assert.Equal(("max_connections", "p2"), (string.Join(",", page.Items), page.NextToken));
    }

    [Theory]
    [InlineData("<AdditionalDataPending>false</AdditionalDataPending>", null)]
    [InlineData("", null)]
    [InlineData("<AdditionalDataPending>true</AdditionalDataPending>", "m9")]
    public void MoreResultsFalseOrMissingEndsPagingWhateverTheToken(string moreResults, string? expected)
    {
        // rds DownloadDBLogFilePortion: more_results AdditionalDataPending.
        var result = XElement.Parse($"<R><Entries><member>x</member></Entries><Marker>m9</Marker>{moreResults}</R>");
        var paginator = AwsPaginator.Of(inputToken: "Marker", outputToken: "Marker", limitKey: "NumberOfLines", "Entries")
            .WithMoreResults("AdditionalDataPending");

        Assert.Equal(expected, AwsQueryClient.ReadXmlPage(result, paginator, "Entries", entry => entry.Value, "m1").NextToken);
    }

    [Fact]
    public void MoreResultsIsReadInJsonToo()
    {
        using var document = JsonDocument.Parse("{\"Routes\":[],\"NextToken\":\"t\",\"AdditionalRoutesAvailable\":false}");
        var paginator = AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: "MaxResults", "Routes")
            .WithMoreResults("AdditionalRoutesAvailable");

        Assert.Null(AwsJsonClient.ReadJsonPage(document.RootElement, paginator, "Routes", JsonRead.StringValue, null).NextToken);
    }

    private static string Fields(AwsParameters parameters) =>
        string.Join(" ", parameters.Select(member => member.Key + "=" + (member.Value is IEnumerable<object> list ? string.Join(",", list) : member.Value)));

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
