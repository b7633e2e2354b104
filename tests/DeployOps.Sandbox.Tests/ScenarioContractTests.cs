using System;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Sandbox.Tests;

/// <summary>What the scenarios other suites build on promise (Lightwave.cs), seen through the aws CLI and moto's protocol.</summary>
public sealed class ScenarioContractTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public ScenarioContractTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private MotoClient Aws => _sandbox.Aws;

    private Task<JsonElement> CliAsync(params string[] arguments) => AwsCli.RunJsonAsync(_sandbox.Url, arguments);

    [Fact]
    public async Task Two_clusters_lists_the_dev_cluster_first_and_has_the_worker_only_in_the_workers_cluster()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.TwoClusters.Scenario);

        var clusters = (await CliAsync("ecs", "list-clusters")).GetProperty("clusterArns").EnumerateArray().Select(a => a.GetString()!).ToList();
        Assert.Equal(2, clusters.Count);
        Assert.EndsWith(":cluster/" + Lightwave.Cluster, clusters[0], StringComparison.Ordinal);
        Assert.EndsWith(":cluster/" + Lightwave.TwoClusters.WorkersCluster, clusters[1], StringComparison.Ordinal);

        var inWorkers = await CliAsync("ecs", "describe-services", "--cluster", Lightwave.TwoClusters.WorkersCluster, "--services", Lightwave.TwoClusters.WorkerService);
        var worker = Assert.Single(inWorkers.GetProperty("services").EnumerateArray());
        Assert.Equal(Lightwave.TwoClusters.WorkerService, worker.GetProperty("serviceName").GetString());
        var inDev = await CliAsync("ecs", "describe-services", "--cluster", Lightwave.Cluster, "--services", Lightwave.TwoClusters.WorkerService);
        Assert.Empty(inDev.GetProperty("services").EnumerateArray());
        Assert.Equal("MISSING", Assert.Single(inDev.GetProperty("failures").EnumerateArray()).GetProperty("reason").GetString());

        // Category A in the workers cluster, while the backend stays healthy.
        var workerGroup = await Aws.TargetGroupArnAsync(Lightwave.TwoClusters.WorkerTargetGroup);
        var backendGroup = await Aws.TargetGroupArnAsync();
        await Eventually.WaitUntilAsync(async () => (await Aws.TargetHealthAsync(workerGroup)).Any(t => t.Reason == "Target.ResponseCodeMismatch"),
            "the worker's target unhealthy with Target.ResponseCodeMismatch");
        Assert.Equal(["healthy", "healthy"], (await Aws.TargetHealthAsync(backendGroup)).Select(t => t.State));
    }

    [Fact]
    public async Task Target_group_deleted_answers_TargetGroupNotFound_for_the_arn_the_service_still_names()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.TargetGroupDeleted.Scenario);

        var services = await CliAsync("ecs", "describe-services", "--cluster", Lightwave.Cluster, "--services", Lightwave.TargetGroupDeleted.FrontendService);
        var mapping = Assert.Single(Assert.Single(services.GetProperty("services").EnumerateArray()).GetProperty("loadBalancers").EnumerateArray());
        var arn = mapping.GetProperty("targetGroupArn").GetString()!;
        Assert.Contains(":targetgroup/" + Lightwave.TargetGroupDeleted.FrontendTargetGroup + "/", arn, StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AwsCli.RunAsync(_sandbox.Url, "elbv2", "describe-target-groups", "--target-group-arns", arn));
        Assert.Contains("(TargetGroupNotFound)", error.Message, StringComparison.Ordinal);

        // The backend is untouched: its group exists and its targets are healthy.
        Assert.Equal(["healthy", "healthy"], (await Aws.TargetHealthAsync(await Aws.TargetGroupArnAsync())).Select(t => t.State));
    }

    [Fact]
    public async Task Secrets_seeds_its_values_in_the_task_definition_and_the_logs_and_fails_like_app_not_starting()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.Secrets.Scenario);

        var taskDefinition = (await CliAsync("ecs", "describe-task-definition", "--task-definition", Lightwave.Secrets.TaskDefinition)).GetProperty("taskDefinition");
        var environment = taskDefinition.GetProperty("containerDefinitions")[0].GetProperty("environment").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("value").GetString());
        Assert.Equal(Lightwave.Secrets.DatabaseUrl, environment["DATABASE_URL"]);
        Assert.Equal(Lightwave.Secrets.ApiToken, environment["API_TOKEN"]);
        var groups = await CliAsync("elbv2", "describe-target-groups", "--names", Lightwave.TargetGroup);
        Assert.Equal(Lightwave.Secrets.HealthCheckPath, groups.GetProperty("TargetGroups")[0].GetProperty("HealthCheckPath").GetString());

        var failed = await Eventually.WaitForAsync(async () =>
        {
            var service = await Aws.ServiceAsync();
            return (string?)service.Primary()["rolloutState"] == "FAILED" ? service : null;
        }, "the circuit breaker to fail the deployment");
        Assert.Equal(0, (int)failed["runningCount"]!);
        Assert.Contains(await Aws.TasksAsync("STOPPED"), t => (int?)t["containers"]![0]!["exitCode"] == 1 && (string?)t["stopCode"] == "EssentialContainerExited");

        var lines = await Eventually.WaitForAsync(async () =>
        {
            var events = await Aws.LogsAsync("FilterLogEvents", new JsonObject { ["logGroupName"] = Lightwave.LogGroup }, Lightwave.Region, default);
            var messages = events["events"]!.AsArray().Select(e => (string)e!["message"]!).ToList();
            return messages.Contains(Lightwave.Secrets.DatabaseLogLine) ? messages : null;
        }, "the line with the database URL in CloudWatch Logs");
        Assert.Contains(Lightwave.Secrets.ApiTokenLogLine, lines);
        Assert.Contains(Lightwave.Secrets.AccessKeyLogLine, lines);
    }

    [Fact]
    public async Task A_health_path_with_a_query_token_reaches_the_route_without_it()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var url = await Eventually.WaitForAsync(async () => (await _sandbox.StateAsync())["loadBalancers"]!.AsArray()
            .FirstOrDefault(l => (string?)l!["name"] == Lightwave.LoadBalancer)?["url"]?.GetValue<string>(), "the ALB's loopback listener");

        var answer = await Eventually.WaitForAsync(async () =>
        {
            var response = await _sandbox.Http.GetAsync(url + Lightwave.Secrets.HealthCheckPath);
            return response.StatusCode == HttpStatusCode.OK ? response : null;
        }, "a 200 from the health path with a token through the ALB");

        Assert.Contains("healthy", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
