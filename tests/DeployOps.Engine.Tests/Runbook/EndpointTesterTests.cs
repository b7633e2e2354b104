using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using DeployOps.Endpoints;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Operations;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>Runbook 000 step 4: the health URL through the sandbox's ALB listener, CORS included.</summary>
public sealed class EndpointTesterTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;
    private readonly EndpointTester _tester = new(NullOperationObserver.Instance);

    public EndpointTesterTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private async Task<string> HealthyAlbAsync()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var alb = await SandboxSessions.AlbUrlAsync(_sandbox);
        await Eventually.WaitUntilAsync(async () => (await _tester.TestAsync(new EndpointTestRequest { Url = alb + Lightwave.HealthPath }, default)).Success,
            "the ALB to route to a healthy task");
        return alb;
    }

    [Fact]
    public async Task Health_path_answers_200_through_the_alb()
    {
        var alb = await HealthyAlbAsync();

        var result = await _tester.TestAsync(new EndpointTestRequest { Url = alb + Lightwave.HealthPath }, default);

        Assert.True(result.Success);
        Assert.Equal((200, 200, 1, CorsVerdict.NotChecked), (result.StatusCode, result.ExpectedStatusCode, result.Attempts, result.CorsKind));
        Assert.True(result.LatencyMs > 0);
        Assert.Null(EndpointTester.ErrorFor(result));
    }

    [Fact]
    public async Task Unexpected_status_fails_after_the_retries_and_names_the_codes()
    {
        var alb = await HealthyAlbAsync();

        var result = await _tester.TestAsync(new EndpointTestRequest { Url = alb + Lightwave.WrongHealthPath, RetryCount = 2, RetryInterval = TimeSpan.FromMilliseconds(50) }, default);
        var error = EndpointTester.ErrorFor(result)!;

        Assert.False(result.Success);
        Assert.Equal((404, 3), (result.StatusCode, result.Attempts));
        Assert.Equal(ErrorIds.EndpointCheckFailed, error.ErrorId);
        Assert.Contains("status 404, expected 200", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://dev.lightwave.example", CorsVerdict.Allowed, true)]
    [InlineData("https://evil.example", CorsVerdict.Missing, false)]
    public async Task Cors_verdict_follows_access_control_allow_origin(string origin, CorsVerdict verdict, bool success)
    {
        var alb = await HealthyAlbAsync();

        var result = await _tester.TestAsync(new EndpointTestRequest { Url = alb + Lightwave.HealthPath, Origin = origin }, default);

        Assert.Equal((verdict, success), (result.CorsKind, result.Success));
        Assert.Equal(success ? origin : null, result.AccessControlAllowOrigin);
    }

    [Fact]
    public async Task Unreachable_endpoint_is_a_connection_error_naming_it()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var url = $"http://127.0.0.1:{port}/health/";

        var result = await _tester.TestAsync(new EndpointTestRequest { Url = url }, default);
        var error = EndpointTester.ErrorFor(result)!;

        Assert.Null(result.StatusCode);
        Assert.NotNull(result.Error);
        Assert.Equal((ErrorIds.EndpointCheckFailed, DeployOpsErrorKind.ConnectionError, (object?)url), (error.ErrorId, error.Kind, error.Target));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://example.com/health")]
    [InlineData("/relative/health")]
    public async Task Malformed_url_is_an_invalid_argument_naming_it(string url)
    {
        var error = await Assert.ThrowsAsync<DeployOpsException>(() => _tester.TestAsync(new EndpointTestRequest { Url = url }, default));

        Assert.Equal((ErrorIds.InvalidUrl, DeployOpsErrorKind.InvalidArgument), (error.Error.ErrorId, error.Error.Kind));
        Assert.Contains($"'{url}'", error.Error.Message, StringComparison.Ordinal);
    }
}
