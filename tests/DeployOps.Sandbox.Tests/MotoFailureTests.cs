using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Sandbox.Tests;

/// <summary>A sandbox over the test scenarios (<c>scenarios/</c> of this project): <c>vpc-only</c> and <c>moto-unknown-region</c>.</summary>
public sealed class TestScenariosSandbox : SandboxFixture
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "test-scenarios");

    protected override string InitialScenario => "vpc-only";

    protected override string ScenariosDirectory => Folder;
}

/// <summary>
/// moto answering what no AWS protocol answers: each failure is one line that names the call, the HTTP status and
/// the end of moto's log; a start that fails or is cancelled leaves no moto_server behind; a running sandbox goes on.
/// </summary>
public sealed class MotoFailureTests : IClassFixture<TestScenariosSandbox>
{
    private readonly TestScenariosSandbox _sandbox;

    public MotoFailureTests(TestScenariosSandbox sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task A_start_moto_fails_names_the_call_the_status_and_moto_s_log_on_one_line_and_stops_moto()
    {
        var host = new SandboxHost(new SandboxOptions { Port = 0, Scenario = "moto-unknown-region", ScenariosDirectory = TestScenariosSandbox.Folder });

        var error = await Assert.ThrowsAsync<BadMotoAnswerException>(() => host.StartAsync());

        Assert.Equal(("ec2", "CreateVpc", 500), (error.Service, error.Operation, error.Status));
        Assert.StartsWith("moto gave an unusable answer to ec2 CreateVpc: HTTP 500 with an HTML page (\"500 Internal Server Error\") where XML was expected. moto's last log lines: ",
            error.Message, StringComparison.Ordinal);
        Assert.Contains("KeyError: 'eu-mars-1'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(IsRunning(host.MotoProcessId!.Value), $"moto_server {host.MotoProcessId} outlived the failed start");
    }

    [Fact]
    public async Task Cancelling_a_start_while_moto_starts_stops_moto()
    {
        using var ctrlC = new CancellationTokenSource();
        var host = new SandboxHost(new SandboxOptions { Port = 0, Scenario = "vpc-only", ScenariosDirectory = TestScenariosSandbox.Folder });

        var start = host.StartAsync(ctrlC.Token);
        var motoProcessId = await Eventually.WaitForAsync(() => Task.FromResult<object?>(host.MotoProcessId), "the sandbox to start moto_server");
        await ctrlC.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => start);
        Assert.False(IsRunning((int)motoProcessId), $"moto_server {motoProcessId} outlived the cancelled start");
    }

    [Fact]
    public async Task A_server_error_while_a_scenario_is_built_is_moto_s_failure_not_the_scenario_s()
    {
        // This fixture's sandbox stands in for moto, and answers CreateVpc with a 503 in the EC2 protocol's own shape.
        await using (await _sandbox.FaultsAsync("""{"seed": 1, "rules": [{"service": "ec2", "operation": "CreateVpc", "kind": "error", "rate": 1, "status": 503}]}"""))
        {
            var error = await Assert.ThrowsAsync<BadMotoAnswerException>(() => SandboxHost.StartAsync(new SandboxOptions
            {
                Port = 0,
                Scenario = "vpc-only",
                ScenariosDirectory = TestScenariosSandbox.Folder,
                MotoUrl = _sandbox.Url,
            }));

            Assert.Equal(
                $"moto gave an unusable answer to ec2 CreateVpc: HTTP 503 ServiceUnavailable: The sandbox injected this error. " +
                $"moto's log is not available (the moto at {_sandbox.Url.GetLeftPart(UriPartial.Authority)} was not started by the sandbox; look at its own output).",
                error.Message);
        }
    }

    [Fact]
    public async Task The_control_api_answers_a_scenario_moto_cannot_build_with_a_502_and_the_sandbox_goes_on()
    {
        using var failed = await _sandbox.PostControlAsync("_sandbox/scenario/moto-unknown-region", "");

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        var error = (string?)JsonNode.Parse(await failed.Content.ReadAsStringAsync())!["error"];
        Assert.StartsWith("moto gave an unusable answer to ec2 CreateVpc: HTTP 500 with an HTML page", error, StringComparison.Ordinal);
        Assert.Contains("KeyError: 'eu-mars-1'", error, StringComparison.Ordinal);

        using var loaded = await _sandbox.PostControlAsync("_sandbox/scenario/vpc-only", "");
        Assert.Equal(HttpStatusCode.OK, loaded.StatusCode);
        Assert.Equal("vpc-only", (string?)(await _sandbox.StateAsync())["scenario"]);
    }

    [Fact]
    public async Task A_broken_moto_answer_to_the_world_s_own_call_reaches_the_client_as_the_protocol_s_server_error()
    {
        // DescribeTasks for tasks the world does not run asks moto; in a region moto cannot serve it answers an HTML page.
        var error = await Assert.ThrowsAsync<MotoCallException>(() => _sandbox.Aws.EcsAsync("DescribeTasks",
            new JsonObject { ["cluster"] = "default", ["tasks"] = new JsonArray("0123456789abcdef") }, "eu-mars-1", default));

        Assert.Equal((500, "ServerException"), (error.Status, error.Code));
        Assert.StartsWith("moto gave an unusable answer to ecs DescribeTasks: HTTP 500 with an HTML page", error.AwsMessage, StringComparison.Ordinal);
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
