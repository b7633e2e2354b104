using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.Protocols;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Pipeline;

/// <summary>
/// A 2xx answer whose body cannot be read (cut short, an HTML page, empty where the model promises a member) is retried
/// like a transient error for an idempotent call, an unknown outcome for another, and then reported as an
/// AwsUnexpectedResponseException that says what was wrong. moto answers; <see cref="MotoFront"/> spoils the answers.
/// </summary>
public sealed class UnreadableAnswerTests : IClassFixture<MotoFixture>
{
    private const string HtmlPage = "<!DOCTYPE html><html><body><h1>Service Temporarily Unavailable</h1></body></html>";

    private readonly MotoFixture _moto;

    public UnreadableAnswerTests(MotoFixture moto) => _moto = moto;

    [Fact]
    public async Task AJsonAnswerCutShortIsRetriedAndTheSecondAnswerRead()
    {
        var cluster = await CreateClusterAsync();
        await using var front = MotoFront.ChangingFirst(_moto.Url, 1, answer => answer with { Body = answer.Body.Take(answer.Body.Length / 2).ToArray() });
        var delay = new RecordingDelay();
        using var session = front.Session(delay);

        var clusters = await session.Ecs.ListClustersAsync();

        Assert.Contains(clusters, arn => arn.EndsWith("/" + cluster, StringComparison.Ordinal));
        Assert.Equal(new AwsCallCount("ECS", "ListClusters", 1, 2), session.Calls.Get("ECS", "ListClusters"));
        Assert.Single(delay.Requested);
    }

    [Fact]
    public async Task AnHtmlPageEveryTimeEndsInAnErrorSayingSo()
    {
        await using var front = MotoFront.ChangingFirst(_moto.Url, int.MaxValue, answer => answer with { ContentType = "text/html", Body = Encoding.UTF8.GetBytes(HtmlPage) });
        using var session = front.Session();

        var error = await Assert.ThrowsAsync<AwsUnexpectedResponseException>(() => session.Ecs.ListClustersAsync());
        var translated = ErrorTranslator.Translate(error, null);

        Assert.Equal((200, "the body is an HTML page, not JSON", 3), (error.HttpStatus, error.BodyProblem, front.Requests));
        Assert.StartsWith($"ECS ListClusters: the endpoint '{front.Url}' answered HTTP 200 with a body that cannot be read: the body is an HTML page, not JSON.", error.Message);
        Assert.IsAssignableFrom<JsonException>(error.InnerException);
        Assert.Equal((ErrorIds.UnexpectedEndpointResponse, DeployOpsErrorKind.UnexpectedResponse), (translated.ErrorId, translated.Kind));
    }

    [Fact]
    public async Task AnEmptyBodyWhereTheModelPromisesAMemberIsUnreadable()
    {
        var family = MotoSessions.UniqueName("empty");
        await RegisterTaskDefinitionAsync(family);
        await using var front = MotoFront.ChangingFirst(_moto.Url, int.MaxValue, answer => answer with { Body = Array.Empty<byte>() });
        using var session = front.Session();

        var error = await Assert.ThrowsAsync<AwsUnexpectedResponseException>(() => session.Ecs.DescribeTaskDefinitionAsync(family));

        Assert.Equal(("the body is empty, and the response has no 'taskDefinition' member", 3), (error.BodyProblem, session.Calls.TotalAttempts));
        Assert.Equal(("ECS", "DescribeTaskDefinition"), (error.Service, error.Operation));
    }

    [Fact]
    public async Task AnUnreadableAnswerToANonIdempotentCallIsAnUnknownOutcomeAndIsNotResent()
    {
        var (cluster, service) = await CreateServiceAsync();
        await using var front = MotoFront.ChangingFirst(_moto.Url, int.MaxValue, answer => answer with { Body = Array.Empty<byte>() });
        using var session = front.Session();

        var error = await Assert.ThrowsAsync<AwsOutcomeUnknownException>(
            () => session.Ecs.UpdateServiceAsync(new EcsUpdateServiceRequest(cluster, service) { DesiredCount = 3 }));
        using var direct = MotoSessions.Create(_moto);
        var applied = await direct.Ecs.DescribeServicesAsync(cluster, new[] { service });

        Assert.Equal(1, front.Requests);
        Assert.Contains("may or may not have been applied", error.Message);
        Assert.Equal("the body is empty, and the response has no 'service' member", Assert.IsType<AwsUnexpectedResponseException>(error.InnerException).BodyProblem);
        Assert.Equal(3, applied.Found.Single().DesiredCount); // it was: resending it would not have been safe in general
    }

    [Fact]
    public async Task AQueryAnswerCutShortIsRetriedAndAPersistentOneSaysItWasCutOff()
    {
        await using var once = MotoFront.ChangingFirst(_moto.Url, 1, CutXml);
        await using var always = MotoFront.ChangingFirst(_moto.Url, int.MaxValue, CutXml);
        using var recovering = once.Session();
        using var failing = always.Session();

        await recovering.LoadBalancing.DescribeAllLoadBalancersAsync();
        var error = await Assert.ThrowsAsync<AwsUnexpectedResponseException>(() => failing.LoadBalancing.DescribeAllLoadBalancersAsync());

        Assert.Equal(2, recovering.Calls.Get("Elastic Load Balancing v2", "DescribeLoadBalancers").Attempts);
        Assert.Matches(@"^the body ends in the middle of its XML document \(\d+ characters\): it was cut off$", error.BodyProblem);
    }

    private static MotoAnswer CutXml(MotoAnswer answer) => answer with { Body = answer.Body.Take(answer.Body.Length - 40).ToArray() };

    private async Task<string> CreateClusterAsync()
    {
        var cluster = MotoSessions.UniqueName("cut");
        await AwsCli.RunJsonAsync(_moto.Url, "ecs", "create-cluster", "--cluster-name", cluster);
        return cluster;
    }

    private Task RegisterTaskDefinitionAsync(string family) => AwsCli.RunJsonAsync(
        _moto.Url, "ecs", "register-task-definition", "--family", family, "--container-definitions", """[{"name":"app","image":"nginx","memory":128}]""");

    private async Task<(string Cluster, string Service)> CreateServiceAsync()
    {
        var cluster = await CreateClusterAsync();
        var family = MotoSessions.UniqueName("svc");
        await RegisterTaskDefinitionAsync(family);
        await AwsCli.RunJsonAsync(_moto.Url, "ecs", "create-service", "--cluster", cluster, "--service-name", "api", "--task-definition", family, "--desired-count", "1");
        return (cluster, "api");
    }
}
