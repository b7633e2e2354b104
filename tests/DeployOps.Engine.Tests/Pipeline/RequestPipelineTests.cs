using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.Protocols;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Sandbox.Moto;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Pipeline;

/// <summary>
/// Retries and failures over real connections: a closed port, an unresolvable name, and moto's own HTTP 500 for
/// Lightsail (which it does not implement). Delays are recorded, never slept.
/// </summary>
public sealed class RequestPipelineTests : IClassFixture<MotoFixture>
{
    private readonly MotoFixture _moto;

    public RequestPipelineTests(MotoFixture moto) => _moto = moto;

    [Fact]
    public async Task RefusedConnectionIsRetriedThenReportedAsUnreachable()
    {
        var endpoint = $"http://127.0.0.1:{FreeTcpPort.Next()}/";
        var delay = new RecordingDelay();
        using var session = Session(endpoint, delay: delay);

        var error = await Assert.ThrowsAsync<AwsEndpointUnreachableException>(() => session.Ecs.ListClustersAsync());

        Assert.Equal((AwsUnreachableReason.ConnectionRefused, new Uri(endpoint)), (error.Reason, error.Endpoint));
        Assert.Contains(endpoint, error.Message);
        Assert.Equal(new AwsCallCount("ECS", "ListClusters", 1, 3), session.Calls.Get("ECS", "ListClusters"));
        Assert.Equal(2, delay.Requested.Count);
        Assert.All(delay.Requested.Zip(new[] { 1.0, 2.0 }), pair => Assert.InRange(pair.First, TimeSpan.Zero, TimeSpan.FromSeconds(pair.Second)));
    }

    [Fact]
    public async Task RefusedConnectionIsRetriedEvenForANonIdempotentCall()
    {
        using var session = Session($"http://127.0.0.1:{FreeTcpPort.Next()}/");

        await Assert.ThrowsAsync<AwsEndpointUnreachableException>(
            () => session.Ecs.UpdateServiceAsync(new EcsUpdateServiceRequest("web", "api") { ForceNewDeployment = true }));

        Assert.Equal(3, session.Calls.Get("ECS", "UpdateService").Attempts);
    }

    [Fact]
    public async Task UnresolvableHostIsReportedAsSuch()
    {
        using var session = Session("http://deployops-no-such-host.invalid/");

        var error = await Assert.ThrowsAsync<AwsEndpointUnreachableException>(() => session.Sts.GetCallerIdentityAsync());

        Assert.Equal(AwsUnreachableReason.NameNotResolved, error.Reason);
    }

    [Fact]
    public async Task ServerErrorIsRetriedForAnIdempotentCallAndNotBlamedOnAKnownRegion()
    {
        using var session = Session(_moto.Url.ToString());
        var lightsail = session.CreateJsonClient(AwsServices.Lightsail);

        // moto answers Lightsail with an HTML 500 page: an HTTP status, not an AWS error code.
        var error = await Assert.ThrowsAsync<AwsUnexpectedResponseException>(
            () => lightsail.CallAsync(AwsOperation.Idempotent("GetInstances"), new AwsParameters(), CancellationToken.None));
        var translated = ErrorTranslator.Translate(error, null);

        Assert.Equal((500, _moto.Url), (error.HttpStatus, error.Endpoint));
        Assert.Equal(3, session.Calls.Get("Lightsail", "GetInstances").Attempts);
        Assert.Equal(ErrorIds.UnexpectedEndpointResponse, translated.ErrorId);
        Assert.Contains("answered HTTP 500", translated.Message);
        Assert.DoesNotContain("region", translated.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ServerErrorOnANonIdempotentCallIsAnUnknownOutcomeAndIsNotResent()
    {
        using var session = Session(_moto.Url.ToString());
        var lightsail = session.CreateJsonClient(AwsServices.Lightsail);

        var error = await Assert.ThrowsAsync<AwsOutcomeUnknownException>(
            () => lightsail.CallAsync(AwsOperation.NonIdempotent("RebootInstance"), new AwsParameters { { "instanceName", "web" } }, CancellationToken.None));

        Assert.Equal(("Lightsail", "RebootInstance"), (error.Service, error.Operation));
        Assert.Contains("may or may not have been applied", error.Message);
        Assert.IsType<AwsUnexpectedResponseException>(error.InnerException);
        Assert.Equal(1, session.Calls.Get("Lightsail", "RebootInstance").Attempts);
    }

    [Fact]
    public async Task AnEndpointUrlWithAPathIsReportedAsTheStatusItAnsweredNotAsAMissingResource()
    {
        var endpoint = new Uri(_moto.Url, "some/path");
        using var session = Session(endpoint.ToString());

        var error = await Assert.ThrowsAsync<AwsUnexpectedResponseException>(() => session.Ecs.ListServicesAsync("web"));
        var translated = ErrorTranslator.Translate(error, "web");

        Assert.Equal((404, endpoint), (error.HttpStatus, error.Endpoint));
        Assert.Equal(1, session.Calls.TotalAttempts);
        Assert.Equal((ErrorIds.UnexpectedEndpointResponse, DeployOpsErrorKind.UnexpectedResponse), (translated.ErrorId, translated.Kind));
        Assert.Contains($"'{endpoint}' answered HTTP 404", translated.Message);
        Assert.Contains($"base URL without a path, e.g. '{_moto.Url}'", translated.Message);
        Assert.DoesNotContain("not found", translated.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnUnknownRegionThroughAnEndpointIsAnInvalidRegionNamingItAndItsSource()
    {
        using var session = AwsSession.Create(Options(_moto.Url.ToString()) with { Region = "xx-fake-9" }, MotoSessions.Runtime(new FixedAwsEnvironment()));

        // moto fails with an HTML 500 page for a region it does not serve; a 500 is retried, then translated.
        var error = await Assert.ThrowsAsync<AwsUnexpectedResponseException>(() => session.Ecs.ListClustersAsync());
        var translated = ErrorTranslator.Translate(error, null);

        Assert.Equal((500, 3), (error.HttpStatus, session.Calls.TotalAttempts));
        Assert.Equal((ErrorIds.InvalidRegion, DeployOpsErrorKind.InvalidArgument), (translated.ErrorId, translated.Kind));
        Assert.Contains("'xx-fake-9' (from -Region) is not a region AWS knows", translated.Message);
        Assert.Contains($"'{_moto.Url}' answered HTTP 500", translated.Message);
    }

    [Fact]
    public async Task AttemptCountComesFromTheOptionOrAwsMaxAttempts()
    {
        var endpoint = $"http://127.0.0.1:{FreeTcpPort.Next()}/";
        using var fromOption = Session(endpoint, new AwsSessionOptions { MaxAttempts = 1 });
        using var fromVariable = Session(endpoint, environment: new FixedAwsEnvironment().With("AWS_MAX_ATTEMPTS", "2"));

        await Assert.ThrowsAsync<AwsEndpointUnreachableException>(() => fromOption.Ecs.ListClustersAsync());
        await Assert.ThrowsAsync<AwsEndpointUnreachableException>(() => fromVariable.Ecs.ListClustersAsync());

        Assert.Equal((1, 2), (fromOption.Calls.TotalAttempts, fromVariable.Calls.TotalAttempts));
    }

    [Fact]
    public async Task CancellingDuringTheBackoffStopsTheCall()
    {
        using var cancellation = new CancellationTokenSource();
        using var session = AwsSession.Create(
            Options($"http://127.0.0.1:{FreeTcpPort.Next()}/"),
            MotoSessions.Runtime(
                new FixedAwsEnvironment(),
                (delay, token) =>
                {
                    cancellation.Cancel(); // Ctrl-C while waiting to retry
                    return Task.Delay(delay + TimeSpan.FromMinutes(1), token);
                }));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.Ecs.ListClustersAsync(cancellation.Token));

        Assert.Equal(1, session.Calls.TotalAttempts);
    }

    [Fact]
    public async Task AnAlreadyCancelledCallSendsNothing()
    {
        using var session = Session(_moto.Url.ToString());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.Ecs.ListClustersAsync(new CancellationToken(canceled: true)));

        Assert.Equal(new AwsCallCount("ECS", "ListClusters", 1, 0), session.Calls.Get("ECS", "ListClusters"));
    }

    [Fact]
    public void AtLeastOneConcurrentRequestIsRequired() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Session(_moto.Url.ToString(), new AwsSessionOptions { MaxConcurrency = 0 }));

    private static AwsSessionOptions Options(string endpoint, AwsSessionOptions? options = null) =>
        (options ?? new AwsSessionOptions()) with
        {
            Region = MotoSessions.Region,
            EndpointUrl = endpoint,
            Credential = new BasicAWSCredentials("testing", "testing"),
        };

    private static AwsSession Session(string endpoint, AwsSessionOptions? options = null, IAwsEnvironment? environment = null, RecordingDelay? delay = null) =>
        AwsSession.Create(Options(endpoint, options), MotoSessions.Runtime(environment ?? new FixedAwsEnvironment(), delay));
}
