using System;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using DeployOps.Aws;
using DeployOps.Aws.CloudFormation;
using DeployOps.Aws.CloudWatch;
using DeployOps.Aws.Protocols;
using DeployOps.Aws.SecretsManager;
using DeployOps.Aws.Sns;
using DeployOps.Aws.Wafv2;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Services;

/// <summary>
/// The services the next cmdlets need, described but without typed clients yet: each description makes a real call
/// against moto through the generic protocol clients, the CLI creating what the call should see.
/// </summary>
public sealed class NextServicesTests : MotoSessionTest
{
    public NextServicesTests(MotoFixture moto)
        : base(moto)
    {
    }

    private AwsQueryClient CloudFormation => (AwsQueryClient)Session.ProtocolClient(CloudFormationApi.Description);

    [Fact]
    public async Task CloudFormationListStacks()
    {
        var stack = MotoSessions.UniqueName("stack");
        await CreateStackAsync(stack);

        var summaries = await CloudFormation.CallAsync(
            AwsOperation.Idempotent("ListStacks"), new AwsParameters(), result => result.List("StackSummaries", s => s.Text("StackName")), CancellationToken.None);

        Assert.Contains(stack, summaries);
    }

    [Fact]
    public async Task AMissingStackIsNotFoundAndTranslatesToStackNotFound()
    {
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => CloudFormation.CallAsync(
            AwsOperation.Idempotent("DescribeStacks"), new AwsParameters { { "StackName", "no-such-stack" } }, CancellationToken.None));
        var translated = ErrorTranslator.Translate(error, "no-such-stack");

        Assert.Equal(("ValidationError", AwsErrorClassification.NotFound), (error.ErrorCode, error.Classification));
        Assert.Equal((ErrorIds.StackNotFound, DeployOpsErrorKind.NotFound), (translated.ErrorId, translated.Kind));
        Assert.StartsWith("'no-such-stack' was not found: Stack with id no-such-stack does not exist", translated.Message);
    }

    [Fact]
    public async Task CloudFormationStackEventTimestampsAreIso8601()
    {
        var stack = MotoSessions.UniqueName("events");
        await CreateStackAsync(stack);
        var cli = await AwsCli.RunJsonAsync(Moto.Url, "cloudformation", "describe-stack-events", "--stack-name", stack);

        var times = await CloudFormation.CallAsync(
            AwsOperation.Idempotent("DescribeStackEvents"),
            new AwsParameters { { "StackName", stack } },
            result => result.List("StackEvents", e => e.Timestamp("Timestamp")!.Value),
            CancellationToken.None);

        Assert.Equal(cli.Get("StackEvents").EnumerateArray().Select(e => e.Time("Timestamp")!.Value.ToUnixTimeMilliseconds()), times.Select(t => t.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public async Task RdsDescribeDbClusters()
    {
        var cluster = MotoSessions.UniqueName("aurora");
        // The CLI's RDS commands ignore AWS_ENDPOINT_URL, so the endpoint is given on the command line.
        await AwsCli.RunJsonAsync(
            Moto.Url, "--endpoint-url", Moto.Url.ToString(), "rds", "create-db-cluster", "--db-cluster-identifier", cluster, "--engine", "aurora-postgresql",
            "--master-username", "admin", "--master-user-password", "not-a-real-secret-1");
        var rds = (AwsQueryClient)Session.ProtocolClient(AwsServices.Rds);

        var clusters = await rds.CallAsync(
            AwsOperation.Idempotent("DescribeDBClusters"),
            new AwsParameters { { "DBClusterIdentifier", cluster } },
            result => result.List("DBClusters", c => (Id: c.Text("DBClusterIdentifier"), Engine: c.Text("Engine"), Created: c.Timestamp("ClusterCreateTime"))),
            CancellationToken.None);

        Assert.Equal((cluster, "aurora-postgresql"), (clusters.Single().Id, clusters.Single().Engine));
        Assert.InRange(clusters.Single().Created!.Value, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task CloudWatchListMetricsAndGetMetricStatisticsWithDoublesAndTimestamps()
    {
        var ns = "DeployOps/" + MotoSessions.UniqueName("ns");
        var now = DateTimeOffset.UtcNow;
        var cloudWatch = (AwsQueryClient)Session.ProtocolClient(CloudWatchApi.Description);
        await cloudWatch.CallAsync(
            AwsOperation.NonIdempotent("PutMetricData"),
            new AwsParameters
            {
                { "Namespace", ns },
                {
                    "MetricData", new[]
                    {
                        new AwsParameters { { "MetricName", "Latency" }, { "Timestamp", now.AddSeconds(-30) }, { "Values", new[] { 0.25, 1.5 } }, { "Unit", "Seconds" } },
                        new AwsParameters { { "MetricName", "Latency" }, { "Timestamp", now.AddSeconds(-20) }, { "Value", 2.75 }, { "Unit", "Seconds" } },
                    }
                },
            },
            CancellationToken.None);

        var metrics = await cloudWatch.CallAsync(
            AwsOperation.Idempotent("ListMetrics"), new AwsParameters { { "Namespace", ns } }, result => result.List("Metrics", m => m.Text("MetricName")).Distinct().ToList(), CancellationToken.None);
        var datapoints = await cloudWatch.CallAsync(
            AwsOperation.Idempotent("GetMetricStatistics"),
            new AwsParameters
            {
                { "Namespace", ns }, { "MetricName", "Latency" }, { "StartTime", now.AddMinutes(-5) }, { "EndTime", now.AddMinutes(1) },
                { "Period", 3600 }, { "Statistics", new[] { "Maximum", "Minimum", "SampleCount" } },
            },
            result => result.List("Datapoints", d => (Max: d.Double("Maximum"), Min: d.Double("Minimum"), Count: d.Double("SampleCount"), At: d.Timestamp("Timestamp"))),
            CancellationToken.None);

        Assert.Equal(new[] { "Latency" }, metrics);
        var point = Assert.Single(datapoints);
        Assert.Equal((2.75, 0.25, 3.0), (point.Max, point.Min, point.Count));
        Assert.NotNull(point.At);
    }

    [Fact]
    public async Task SnsListTopics()
    {
        var name = MotoSessions.UniqueName("alerts");
        var created = await AwsCli.RunJsonAsync(Moto.Url, "sns", "create-topic", "--name", name);
        var sns = (AwsQueryClient)Session.ProtocolClient(SnsApi.Description);

        var topics = await sns.CallAsync(AwsOperation.Idempotent("ListTopics"), new AwsParameters(), result => result.List("Topics", t => t.Text("TopicArn")), CancellationToken.None);

        Assert.Contains(created.Text("TopicArn"), topics);
    }

    [Fact]
    public async Task Wafv2ListWebAclsInTheRegionalScope()
    {
        var wafv2 = (AwsJsonClient)Session.ProtocolClient(Wafv2Api.Description);

        var response = await wafv2.CallAsync(AwsOperation.Idempotent("ListWebACLs"), new AwsParameters { { "Scope", "REGIONAL" } }, CancellationToken.None);

        Assert.Equal(JsonValueKind.Array, response.Required("WebACLs").ValueKind);
    }

    [Fact]
    public async Task SecretsManagerListSecretsPagesThroughMotoWithBotocoresPaginator()
    {
        var prefix = MotoSessions.UniqueName("app");
        foreach (var i in Enumerable.Range(1, 5))
        {
            await AwsCli.RunJsonAsync(Moto.Url, "secretsmanager", "create-secret", "--name", $"{prefix}/{i}", "--secret-string", "not-a-real-secret");
        }

        var listSecrets = AwsOperation.Idempotent("ListSecrets")
            .Paged(AwsPaginator.Of(inputToken: "NextToken", outputToken: "NextToken", limitKey: "MaxResults", "SecretList"));
        var secrets = (AwsJsonClient)Session.ProtocolClient(SecretsManagerApi.Description);

        var listed = await secrets.PaginateAsync(
            listSecrets,
            new AwsParameters { { "Filters", new[] { new AwsParameters { { "Key", "name" }, { "Values", new[] { prefix } } } } } },
            s => (Name: s.String("Name"), Created: s.Timestamp("CreatedDate")),
            new AwsPageLimits(PageSize: 2));

        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"{prefix}/{i}"), listed.Items.Select(s => s.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(3, Session.Calls.Get("Secrets Manager", "ListSecrets").Calls);
        Assert.All(listed.Items, s => Assert.InRange(s.Created!.Value, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1)));
    }

    private Task CreateStackAsync(string stack) => AwsCli.RunJsonAsync(
        Moto.Url, "cloudformation", "create-stack", "--stack-name", stack,
        "--template-body", """{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}""");
}
