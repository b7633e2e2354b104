using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Sandbox.Tests;

/// <summary>The rollout state machine, the circuit breaker, task failures and ECS's event messages.</summary>
public sealed class DeploymentTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public DeploymentTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private MotoClient Aws => _sandbox.Aws;

    [Fact]
    public async Task Forced_deployment_rolls_out_to_completed_with_consistent_counts()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var before = await Aws.ServiceAsync();
        var oldDeployment = before.Primary()["id"]!.GetValue<string>();

        var reply = await Aws.EcsAsync("UpdateService", new JsonObject
        {
            ["cluster"] = Lightwave.Cluster,
            ["service"] = Lightwave.Service,
            ["forceNewDeployment"] = true,
        }, Lightwave.Region, default);

        var deployments = reply["service"]!["deployments"]!.AsArray();
        Assert.Equal(2, deployments.Count);
        Assert.Equal("IN_PROGRESS", (string?)deployments[0]!["rolloutState"]);
        Assert.Equal(oldDeployment, (string?)deployments[1]!["id"]);
        Assert.Equal("ACTIVE", (string?)deployments[1]!["status"]);

        var done = await Eventually.WaitForAsync(async () =>
        {
            var service = await Aws.ServiceAsync();
            var all = service["deployments"]!.AsArray();
            // The service's counts always add up over its deployments.
            Assert.Equal((int)service["runningCount"]!, all.Sum(d => (int)d!["runningCount"]!));
            Assert.Equal((int)service["pendingCount"]!, all.Sum(d => (int)d!["pendingCount"]!));
            return all.Count == 1 && (string?)all[0]!["rolloutState"] == "COMPLETED" ? service : null;
        }, "the forced deployment to complete");

        Assert.NotEqual(oldDeployment, done.Primary()["id"]!.GetValue<string>());
        Assert.Equal(2, (int)done["runningCount"]!);
        Assert.Equal("has reached a steady state.", done.EventMessages().First()[$"(service {Lightwave.Service}) ".Length..]);
        Assert.Contains(done.EventMessages(), m => Regex.IsMatch(m, $@"^\(service {Lightwave.Service}\) has started 2 tasks: \(task [0-9a-f]{{32}}\) \(task [0-9a-f]{{32}}\)\.$"));
        Assert.Contains(done.EventMessages(), m => m.Contains("deployment completed.", System.StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_secret_key_stops_tasks_with_exit_code_1_and_fails_the_rollout()
    {
        await _sandbox.LoadScenarioAsync("app-not-starting");

        var failed = await Eventually.WaitForAsync(async () =>
        {
            var service = await Aws.ServiceAsync();
            return (string?)service.Primary()["rolloutState"] == "FAILED" ? service : null;
        }, "the circuit breaker to fail the deployment");

        Assert.Equal(0, (int)failed["runningCount"]!);
        Assert.Equal(1, (int)failed["desiredCount"]!);
        Assert.True((int)failed.Primary()["failedTasks"]! >= 3);
        Assert.Equal("ECS deployment circuit breaker: tasks failed to start.", (string?)failed.Primary()["rolloutStateReason"]);
        Assert.Contains(failed.EventMessages(), m => Regex.IsMatch(m, @"deployment ecs-svc/\d{19} deployment failed: tasks failed to start\.$"));

        var stopped = await Aws.TasksAsync("STOPPED");
        Assert.NotEmpty(stopped);
        var task = stopped[0];
        Assert.Equal("STOPPED", (string?)task["lastStatus"]);
        Assert.Equal("EssentialContainerExited", (string?)task["stopCode"]);
        Assert.Equal("Essential container in task exited", (string?)task["stoppedReason"]);
        Assert.Equal(1, (int)task["containers"]![0]!["exitCode"]!);

        var logs = await Aws.LogsAsync("FilterLogEvents", new JsonObject { ["logGroupName"] = Lightwave.LogGroup, ["filterPattern"] = "SECRET_KEY" }, Lightwave.Region, default);
        Assert.Contains(logs["events"]!.AsArray(), e => (string?)e!["message"] == Lightwave.SecretKeyLogLine);
    }

    [Fact]
    public async Task Image_that_cannot_be_pulled_fails_and_rolls_back_to_the_last_completed_deployment()
    {
        await _sandbox.LoadScenarioAsync("bad-image");

        var rolledBack = await Eventually.WaitForAsync(async () =>
        {
            var service = await Aws.ServiceAsync();
            return service.EventMessages().Any(m => m.Contains("rolling back to deployment", System.StringComparison.Ordinal)) &&
                   (string?)service.Primary()["rolloutState"] == "COMPLETED" && service["deployments"]!.AsArray().Count == 1
                ? service
                : null;
        }, "the rollback to complete");

        Assert.EndsWith($"task-definition/{Lightwave.TaskFamily}:1", (string?)rolledBack["taskDefinition"]);
        Assert.Equal(2, (int)rolledBack["runningCount"]!);
        var pullFailures = (await Aws.TasksAsync("STOPPED")).Where(t => (string?)t["stopCode"] == "TaskFailedToStart").ToList();
        Assert.NotEmpty(pullFailures);
        Assert.All(pullFailures, t => Assert.StartsWith("CannotPullContainerError:", (string?)t["stoppedReason"]));
        Assert.All(pullFailures, t => Assert.Null(t["containers"]![0]!["exitCode"]));
    }

    [Fact]
    public async Task Out_of_memory_kills_running_tasks_with_exit_code_137()
    {
        await _sandbox.LoadScenarioAsync("out-of-memory");

        var killed = await Eventually.WaitForAsync(async () =>
            (await Aws.TasksAsync("STOPPED")).FirstOrDefault(t => (int?)t["containers"]![0]!["exitCode"] == 137), "a task killed for memory");

        Assert.Equal("OutOfMemoryError: Container killed due to memory usage", (string?)killed["containers"]![0]!["reason"]);
        Assert.Equal("EssentialContainerExited", (string?)killed["stopCode"]);
    }

    [Fact]
    public async Task Tasks_go_through_provisioning_pending_and_running_on_the_world_clock()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        await _sandbox.PostControlAsync("_sandbox/clock", """{"speed": 0.1}""");
        try
        {
            await Aws.EcsAsync("UpdateService", new JsonObject { ["cluster"] = Lightwave.Cluster, ["service"] = Lightwave.Service, ["forceNewDeployment"] = true },
                Lightwave.Region, default);
            await _sandbox.Host.World.TickAsync(default);

            var newest = await Eventually.WaitForAsync(async () => (await Aws.TasksAsync("RUNNING")).FirstOrDefault(t => (string?)t["lastStatus"] == "PROVISIONING"),
                "a task in PROVISIONING");
            var arn = newest["taskArn"]!.GetValue<string>();

            await _sandbox.PostControlAsync("_sandbox/clock", """{"advanceSeconds": 10}""");
            await WaitForStatusAsync(arn, "PENDING");
            await _sandbox.PostControlAsync("_sandbox/clock", """{"advanceSeconds": 10}""");
            var running = await WaitForStatusAsync(arn, "RUNNING");
            Assert.NotNull(running["startedAt"]);
            Assert.NotNull(running["pullStoppedAt"]);
        }
        finally
        {
            await _sandbox.PostControlAsync("_sandbox/clock", """{"speed": 30}""");
        }
    }

    private async Task<JsonObject> WaitForStatusAsync(string taskArn, string status) =>
        await Eventually.WaitForAsync(async () =>
        {
            var reply = await Aws.EcsAsync("DescribeTasks", new JsonObject { ["cluster"] = Lightwave.Cluster, ["tasks"] = new JsonArray(taskArn) }, Lightwave.Region, default);
            var task = reply["tasks"]![0]!.AsObject();
            return (string?)task["lastStatus"] == status ? task : null;
        }, $"task to reach {status}");

    [Fact]
    public async Task Unhealthy_targets_produce_the_elb_health_check_event()
    {
        await _sandbox.LoadScenarioAsync("health-check-mismatch");
        var arn = await Aws.TargetGroupArnAsync();

        await Eventually.WaitUntilAsync(async () => (await Aws.ServiceAsync()).EventMessages()
                .Any(m => Regex.IsMatch(m, $@"^\(service {Lightwave.Service}\) \(task [0-9a-f]{{32}}\) failed ELB health checks in \(target-group {Regex.Escape(arn)}\)$")),
            "the 'failed ELB health checks' event");
    }

    [Fact]
    public async Task Unknown_task_is_reported_missing_and_unknown_service_is_moto_s_error()
    {
        await _sandbox.LoadScenarioAsync("healthy");

        var reply = await Aws.EcsAsync("DescribeTasks", new JsonObject { ["cluster"] = Lightwave.Cluster, ["tasks"] = new JsonArray("0123456789abcdef0123456789abcdef") },
            Lightwave.Region, default);
        Assert.Equal("MISSING", (string?)reply["failures"]![0]!["reason"]);

        var error = await Assert.ThrowsAsync<MotoCallException>(() => Aws.EcsAsync("UpdateService",
            new JsonObject { ["cluster"] = Lightwave.Cluster, ["service"] = "no-such-service", ["forceNewDeployment"] = true }, Lightwave.Region, default));
        Assert.Equal("ServiceNotFoundException", error.Code);
    }
}
