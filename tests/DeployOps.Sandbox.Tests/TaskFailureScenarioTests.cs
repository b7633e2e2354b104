using System;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Sandbox.Tests;

/// <summary>The scenarios of runbook 004's "tasks failing to start" and "tasks restarting": what ECS and the logs say.</summary>
public sealed class TaskFailureScenarioTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public TaskFailureScenarioTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private MotoClient Aws => _sandbox.Aws;

    private async Task<JsonObject> FailedServiceAsync() => await Eventually.WaitForAsync(async () =>
    {
        var service = await Aws.ServiceAsync();
        return (string?)service.Primary()["rolloutState"] == "FAILED" ? service : null;
    }, "the circuit breaker to fail the deployment");

    private async Task<string[]> LogLinesAsync() =>
        (await Aws.LogsAsync("FilterLogEvents", new JsonObject { ["logGroupName"] = Lightwave.LogGroup }, Lightwave.Region, default))["events"]!.AsArray()
        .Select(e => (string)e!["message"]!).ToArray();

    [Fact]
    public async Task Secret_missing_stops_tasks_before_they_start_naming_the_secret_that_does_not_exist()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.SecretMissing.Scenario);

        var failed = await FailedServiceAsync();
        Assert.Equal(0, (int)failed["runningCount"]!);
        var task = (await Aws.TasksAsync("STOPPED")).First();
        Assert.Equal("TaskFailedToStart", (string?)task["stopCode"]);
        var reason = (string)task["stoppedReason"]!;
        Assert.StartsWith("ResourceInitializationError: unable to pull secrets or registry auth", reason, StringComparison.Ordinal);
        Assert.Contains($"failed to fetch secret {Lightwave.SecretMissing.MissingSecretArn} from secrets manager: ResourceNotFoundException", reason, StringComparison.Ordinal);
        Assert.Null(task["containers"]![0]!["exitCode"]);

        // The other secret exists, and the task definition names it by its real ARN.
        var secret = await AwsCli.RunJsonAsync(_sandbox.Url, "secretsmanager", "describe-secret", "--secret-id", Lightwave.SecretMissing.DatabaseUrlSecretName);
        var definition = await AwsCli.RunJsonAsync(_sandbox.Url, "ecs", "describe-task-definition", "--task-definition", Lightwave.SecretMissing.TaskDefinition);
        var secrets = definition.GetProperty("taskDefinition").GetProperty("containerDefinitions")[0].GetProperty("secrets").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("valueFrom").GetString());
        Assert.Equal(secret.GetProperty("ARN").GetString(), secrets["DATABASE_URL"]);
        Assert.Equal(Lightwave.SecretMissing.MissingSecretArn, secrets[Lightwave.SecretMissing.MissingSecretVariable]);
    }

    [Fact]
    public async Task Image_not_found_stops_tasks_with_the_registry_reference_not_found()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.ImageNotFound.Scenario);

        await FailedServiceAsync();
        var task = (await Aws.TasksAsync("STOPPED")).First();
        Assert.Equal("TaskFailedToStart", (string?)task["stopCode"]);
        var expected = $"CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref {Lightwave.ImageNotFound.Image}: {Lightwave.ImageNotFound.Image}: not found";
        Assert.Equal(expected, (string?)task["stoppedReason"]);
        Assert.Equal(expected, (string?)task["containers"]![0]!["reason"]);
    }

    [Fact]
    public async Task Crash_loop_runs_twenty_seconds_exits_1_and_is_replaced_again_and_again()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.CrashLoop.Scenario);

        var crashed = await Eventually.WaitForAsync(async () =>
        {
            var stopped = (await Aws.TasksAsync("STOPPED")).Where(t => ((string)t["taskDefinitionArn"]!).EndsWith(Lightwave.CrashLoop.TaskDefinition, StringComparison.Ordinal)).ToList();
            return stopped.Count >= 3 ? stopped : null;
        }, "three crashed tasks of the new revision");

        var speed = (double)(await _sandbox.StateAsync())["clock"]!["speed"]!;
        foreach (var task in crashed)
        {
            Assert.Equal("EssentialContainerExited", (string?)task["stopCode"]);
            Assert.Equal(1, (int)task["containers"]![0]!["exitCode"]!);
            var ranWorldSeconds = ((double)task["stoppingAt"]! - (double)task["startedAt"]!) * speed;
            Assert.InRange(ranWorldSeconds, Lightwave.CrashLoop.RunsSeconds - 2, Lightwave.CrashLoop.RunsSeconds + 10);
        }

        // The earlier revision keeps serving; no circuit breaker ends the rollout.
        var service = await Aws.ServiceAsync();
        Assert.Equal(2, (int)service["runningCount"]!);
        Assert.Equal("IN_PROGRESS", (string?)service.Primary()["rolloutState"]);
        Assert.Contains(Lightwave.CrashLoop.CrashLogLine, await LogLinesAsync());
    }

    [Fact]
    public async Task Partial_startup_serves_the_liveness_path_but_not_the_deep_one_and_never_logs_listening()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.PartialStartup.Scenario);
        var url = await Eventually.WaitForAsync(async () => (await _sandbox.StateAsync())["loadBalancers"]!.AsArray()
            .FirstOrDefault(l => (string?)l!["name"] == Lightwave.LoadBalancer)?["url"]?.GetValue<string>(), "the ALB's loopback listener");

        var targets = await Aws.TargetHealthAsync(await Aws.TargetGroupArnAsync());
        Assert.Equal(["healthy", "healthy"], targets.Select(t => t.State));
        Assert.Equal(HttpStatusCode.OK, (await _sandbox.Http.GetAsync(url + Lightwave.PartialStartup.LivenessPath)).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _sandbox.Http.GetAsync(url + Lightwave.HealthPath)).StatusCode);

        var lines = await Eventually.WaitForAsync(async () =>
        {
            var all = await LogLinesAsync();
            return all.Count(l => l.Contains(Lightwave.PartialStartup.StartingPhase, StringComparison.Ordinal)) >= 2 ? all : null;
        }, "both tasks' startup lines");
        Assert.DoesNotContain(lines, l => l.Contains(Lightwave.PartialStartup.ListeningPhase, StringComparison.Ordinal));
    }
}
