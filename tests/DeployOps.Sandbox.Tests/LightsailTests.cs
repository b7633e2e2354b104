using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using DeployOps.Testing;
using Xunit;
using L = DeployOps.Testing.Lightwave.Lightsail;

namespace DeployOps.Sandbox.Tests;

/// <summary>
/// The Lightsail simulator through its real HTTP endpoint: the aws CLI as an independent client (get-container-services,
/// get-container-service-deployments, create-container-service-deployment, get-container-log, ...), the service and
/// deployment state machines, health checks with the deployment's own settings, the public endpoint and Lightsail's errors.
/// </summary>
public sealed class LightsailTests : IClassFixture<SandboxFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly SandboxFixture _sandbox;

    public LightsailTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private Task<JsonElement> CliAsync(params string[] arguments) => AwsCli.RunJsonAsync(_sandbox.Url, [.. arguments, "--region", L.Region]);

    private Task<JsonObject> CallAsync(string operation, JsonObject body) => _sandbox.Aws.LightsailAsync(operation, body, L.Region, default);

    // The aws CLI is the oracle where a test reads what a user would; polls go straight over HTTP (a CLI start is slow on a busy machine).
    private async Task<JsonElement> ServiceAsync(bool cli = false) =>
        (cli ? await CliAsync("lightsail", "get-container-services", "--service-name", L.Service) : await DirectAsync("GetContainerServices")).GetProperty("containerServices")[0];

    private async Task<IReadOnlyList<(int Version, string State, string Image)>> DeploymentsAsync(bool cli = false) =>
        (cli ? await CliAsync("lightsail", "get-container-service-deployments", "--service-name", L.Service) : await DirectAsync("GetContainerServiceDeployments"))
            .GetProperty("deployments").EnumerateArray()
            .Select(d => (d.GetProperty("version").GetInt32(), d.GetProperty("state").GetString()!, d.GetProperty("containers").GetProperty(L.Container).GetProperty("image").GetString()!))
            .ToList();

    private async Task<JsonElement> DirectAsync(string operation) =>
        JsonDocument.Parse((await CallAsync(operation, new JsonObject { ["serviceName"] = L.Service })).ToJsonString()).RootElement.Clone();

    private async Task<IReadOnlyList<string>> LogAsync(params string[] extra) =>
        (await CliAsync(["lightsail", "get-container-log", "--service-name", L.Service, "--container-name", L.Container, .. extra])).GetProperty("logEvents").EnumerateArray()
            .Select(e => e.GetProperty("message").GetString()!).ToList();

    private static async Task<int> StatusAsync(string url) => (int)(await Http.GetAsync(url)).StatusCode;

    private static string Containers(int image, bool withTokenBudget) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        [L.Container] = new Dictionary<string, object>
        {
            ["image"] = L.Image(image),
            ["environment"] = withTokenBudget
                ? new Dictionary<string, string> { ["NODE_ENV"] = "production", ["AI_MAX_TOKENS_INPUT"] = "120000", ["AI_MAX_TOKENS_OUTPUT"] = "16000" }
                : new Dictionary<string, string> { ["NODE_ENV"] = "production" },
            ["ports"] = new Dictionary<string, string> { ["3697"] = "HTTP" },
        },
    });

    private const string ReadyEndpoint = """{"containerName":"api","containerPort":3697,"healthCheck":{"path":"/health/ready"}}""";

    [Fact]
    public async Task The_stale_config_runs_162_whose_liveness_passes_while_readiness_and_the_api_answer_503()
    {
        await _sandbox.LoadScenarioAsync(L.StaleConfig.Scenario);

        var service = await ServiceAsync(cli: true);
        Assert.Equal(("RUNNING", 1, "small"), (service.GetProperty("state").GetString(), service.GetProperty("scale").GetInt32(), service.GetProperty("power").GetString()));
        var current = service.GetProperty("currentDeployment");
        Assert.Equal((L.StaleConfig.ActiveVersion, "ACTIVE"), (current.GetProperty("version").GetInt32(), current.GetProperty("state").GetString()));
        Assert.Equal(L.Image(L.StaleConfig.StaleImage), current.GetProperty("containers").GetProperty(L.Container).GetProperty("image").GetString());
        Assert.False(current.GetProperty("containers").GetProperty(L.Container).GetProperty("environment").TryGetProperty("AI_MAX_TOKENS_INPUT", out _));
        var check = current.GetProperty("publicEndpoint").GetProperty("healthCheck");
        Assert.Equal((L.LivenessPath, 2, 2, 2, 5, "200-499"), (check.GetProperty("path").GetString(), check.GetProperty("healthyThreshold").GetInt32(),
            check.GetProperty("unhealthyThreshold").GetInt32(), check.GetProperty("timeoutSeconds").GetInt32(), check.GetProperty("intervalSeconds").GetInt32(),
            check.GetProperty("successCodes").GetString()));
        Assert.False(service.TryGetProperty("stateDetail", out _));

        var url = service.GetProperty("url").GetString()!.TrimEnd('/');
        Assert.Equal(200, await StatusAsync(url + L.LivenessPath));
        Assert.Equal(503, await StatusAsync(url + L.ReadinessPath));
        Assert.Equal(503, await StatusAsync(url + "/api/v1/conversations"));

        var log = await LogAsync();
        Assert.Contains(log, line => line.Contains(L.StartingLine, StringComparison.Ordinal));
        Assert.DoesNotContain(log, line => line.Contains(L.ListeningLine, StringComparison.Ordinal));

        var images = (await CliAsync("lightsail", "get-container-images", "--service-name", L.Service)).GetProperty("containerImages").EnumerateArray()
            .Select(i => i.GetProperty("image").GetString()).ToList();
        Assert.Equal([L.Image(L.StaleConfig.FreshImage), L.Image(L.StaleConfig.StaleImage)], images);
    }

    [Fact]
    public async Task A_deployment_the_image_cannot_run_fails_and_leaves_the_previous_one_active_with_the_exit_in_the_log()
    {
        await _sandbox.LoadScenarioAsync(L.StaleConfig.Scenario);

        var started = await CliAsync("lightsail", "create-container-service-deployment", "--service-name", L.Service,
            "--containers", Containers(L.StaleConfig.FreshImage, withTokenBudget: false), "--public-endpoint", ReadyEndpoint);

        var service = started.GetProperty("containerService");
        Assert.Equal(("DEPLOYING", "CREATING_DEPLOYMENT"), (service.GetProperty("state").GetString(), service.GetProperty("stateDetail").GetProperty("code").GetString()));
        Assert.Equal(("ACTIVATING", 2), (service.GetProperty("nextDeployment").GetProperty("state").GetString(), service.GetProperty("nextDeployment").GetProperty("version").GetInt32()));
        await Eventually.WaitUntilAsync(async () => (await DeploymentsAsync())[0].State == "FAILED", "deployment 2 to fail");

        Assert.Equal([(2, "FAILED", L.Image(165)), (1, "ACTIVE", L.Image(162))], await DeploymentsAsync(cli: true));
        var after = await ServiceAsync();
        Assert.Equal("RUNNING", after.GetProperty("state").GetString());
        Assert.False(after.TryGetProperty("nextDeployment", out _));
        Assert.Contains("Config validation error: \"AI_MAX_TOKENS_INPUT\" is required", (await LogAsync()).Last(l => l.StartsWith("Error:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_good_deployment_goes_through_its_state_details_to_active_and_the_previous_turns_inactive()
    {
        await _sandbox.LoadScenarioAsync(L.StaleConfig.Scenario);

        await CliAsync("lightsail", "create-container-service-deployment", "--service-name", L.Service,
            "--containers", Containers(L.StaleConfig.FreshImage, withTokenBudget: true), "--public-endpoint", ReadyEndpoint);
        var details = new List<string>();
        await Eventually.WaitUntilAsync(async () =>
        {
            var service = await CallAsync("GetContainerServices", new JsonObject { ["serviceName"] = L.Service });
            var code = service["containerServices"]![0]!["stateDetail"]?["code"]?.GetValue<string>();
            if (code is not null && (details.Count == 0 || details[^1] != code))
            {
                details.Add(code);
            }

            return (string?)service["containerServices"]![0]!["state"] == "RUNNING";
        }, "deployment 2 to finish");

        Assert.Equal([(2, "ACTIVE", L.Image(165)), (1, "INACTIVE", L.Image(162))], await DeploymentsAsync());
        Assert.Subset(new HashSet<string> { "CREATING_DEPLOYMENT", "EVALUATING_HEALTH_CHECK", "ACTIVATING_DEPLOYMENT" }, details.ToHashSet());
        Assert.Equal(details.OrderBy(d => d switch { "CREATING_DEPLOYMENT" => 0, "EVALUATING_HEALTH_CHECK" => 1, _ => 2 }), details);
        var url = (await ServiceAsync()).GetProperty("url").GetString()!.TrimEnd('/');
        Assert.Equal(200, await StatusAsync(url + L.ReadinessPath));
        var log = await LogAsync();
        Assert.Contains(log, line => line.EndsWith(L.ListeningLine, StringComparison.Ordinal));
        Assert.Contains("[deployment:2] Reached a steady state", log);
    }

    [Fact]
    public async Task The_failed_deployment_scenario_ends_deployment_3_failed_on_its_health_checks_while_2_stays_active()
    {
        await _sandbox.LoadScenarioAsync(L.FailedDeployment.Scenario);

        await Eventually.WaitUntilAsync(async () => (await DeploymentsAsync())[0].State == "FAILED", "deployment 3 to fail");

        Assert.Equal([(3, "FAILED", L.Image(164)), (2, "ACTIVE", L.Image(163)), (1, "INACTIVE", L.Image(160))], await DeploymentsAsync(cli: true));
        var log = await LogAsync();
        Assert.Contains(log, line => line.Contains(L.FailedDeployment.FailureLogLine, StringComparison.Ordinal));
        Assert.Equal("[deployment:3] The deployment failed: its nodes failed 2 consecutive health checks of /health/ready (last answer: Health checks failed with these codes: [500]).",
            log.Last(line => line.StartsWith("[deployment:3]", StringComparison.Ordinal)));
        var url = (await ServiceAsync()).GetProperty("url").GetString()!.TrimEnd('/');
        Assert.Equal(200, await StatusAsync(url + L.ReadinessPath));
        var state = (await _sandbox.StateAsync())["lightsail"]![0]!;
        Assert.Equal(2, (int)state["currentVersion"]!);
        Assert.NotNull((string?)state["deployments"]![2]!["failedAt"]);
    }

    [Fact]
    public async Task Scaling_adds_healthy_nodes_and_disabling_stops_them_and_the_endpoint()
    {
        await _sandbox.LoadScenarioAsync(L.ScaleOne.Scenario);

        var updated = await CliAsync("lightsail", "update-container-service", "--service-name", L.Service, "--scale", "2");
        Assert.Equal(("UPDATING", 2), (updated.GetProperty("containerService").GetProperty("state").GetString(), updated.GetProperty("containerService").GetProperty("scale").GetInt32()));
        await Eventually.WaitUntilAsync(async () => (await ServiceAsync()).GetProperty("state").GetString() == "RUNNING", "the scale-out to settle");
        var nodes = (await _sandbox.StateAsync())["lightsail"]![0]!["nodes"]!.AsArray();
        Assert.Equal([true, true], nodes.Select(n => (bool)n!["healthy"]!));

        await CliAsync("lightsail", "update-container-service", "--service-name", L.Service, "--is-disabled");
        var disabled = await ServiceAsync();
        Assert.Equal(("DISABLED", true), (disabled.GetProperty("state").GetString(), disabled.GetProperty("isDisabled").GetBoolean()));
        Assert.Equal(503, await StatusAsync(disabled.GetProperty("url").GetString()!.TrimEnd('/') + L.LivenessPath));

        await CliAsync("lightsail", "update-container-service", "--service-name", L.Service, "--no-is-disabled");
        await Eventually.WaitUntilAsync(async () => (await ServiceAsync()).GetProperty("state").GetString() == "RUNNING", "the service to run again");
        Assert.Equal(200, await StatusAsync(disabled.GetProperty("url").GetString()!.TrimEnd('/') + L.LivenessPath));
    }

    [Fact]
    public async Task A_new_service_goes_pending_then_ready_and_a_deleted_one_goes_deleting_then_away()
    {
        await _sandbox.LoadScenarioAsync(L.Healthy.Scenario);

        var created = await CliAsync("lightsail", "create-container-service", "--service-name", "web", "--power", "nano", "--scale", "1");
        var service = created.GetProperty("containerService");
        Assert.Equal(("PENDING", "CREATING_SYSTEM_RESOURCES"), (service.GetProperty("state").GetString(), service.GetProperty("stateDetail").GetProperty("code").GetString()));
        await Eventually.WaitUntilAsync(async () =>
            (string?)(await CallAsync("GetContainerServices", new JsonObject { ["serviceName"] = "web" }))["containerServices"]![0]!["state"] == "READY",
            "the new service to be READY");

        await CliAsync("lightsail", "delete-container-service", "--service-name", "web");
        await Eventually.WaitUntilAsync(async () =>
            await Record.ExceptionAsync(() => CallAsync("GetContainerServices", new JsonObject { ["serviceName"] = "web" })) is MotoCallException { Code: "NotFoundException" },
            "the deleted service to be gone");
        Assert.Equal([L.Service], (await CliAsync("lightsail", "get-container-services")).GetProperty("containerServices").EnumerateArray().Select(s => s.GetProperty("containerServiceName").GetString()));
    }

    [Fact]
    public async Task Errors_come_in_lightsails_shapes()
    {
        await _sandbox.LoadScenarioAsync(L.StaleConfig.Scenario);

        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => CliAsync("lightsail", "get-container-services", "--service-name", "nope"));
        Assert.Contains("(NotFoundException) when calling the GetContainerServices operation: The container service nope does not exist in us-east-2.", missing.Message);
        var unknownImage = await Assert.ThrowsAsync<InvalidOperationException>(() => CliAsync("lightsail", "create-container-service-deployment", "--service-name", L.Service,
            "--containers", Containers(999, withTokenBudget: true)));
        Assert.Contains("(InvalidInputException)", unknownImage.Message);
        Assert.Contains("The container image :api.soft-launch-32.999 does not exist", unknownImage.Message);
        var badScale = await Assert.ThrowsAsync<MotoCallException>(() => CallAsync("UpdateContainerService", new JsonObject { ["serviceName"] = L.Service, ["scale"] = 21 }));
        Assert.Equal(("InvalidInputException", 400), (badScale.Code, badScale.Status));

        await CliAsync("lightsail", "create-container-service-deployment", "--service-name", L.Service, "--containers", Containers(165, withTokenBudget: true), "--public-endpoint", ReadyEndpoint);
        var busy = await Assert.ThrowsAsync<MotoCallException>(() => CallAsync("CreateContainerServiceDeployment", new JsonObject
        {
            ["serviceName"] = L.Service,
            ["containers"] = JsonNode.Parse(Containers(165, withTokenBudget: true)),
        }));
        Assert.Equal("InvalidInputException", busy.Code);
        Assert.Contains("cannot be given a new deployment while it is DEPLOYING", busy.AwsMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_log_merges_every_node_pages_and_filters_and_a_registered_image_gets_the_next_number()
    {
        await _sandbox.LoadScenarioAsync(L.FailedDeployment.Scenario);
        await Eventually.WaitUntilAsync(async () => (await DeploymentsAsync())[0].State == "FAILED", "deployment 3 to fail");
        await CliAsync("lightsail", "update-container-service", "--service-name", L.Service, "--scale", "20");
        await Eventually.WaitUntilAsync(async () => (await ServiceAsync()).GetProperty("state").GetString() == "RUNNING", "20 nodes to run");

        var all = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await CallAsync("GetContainerLog", new JsonObject { ["serviceName"] = L.Service, ["containerName"] = L.Container, ["pageToken"] = token });
            all.AddRange(page["logEvents"]!.AsArray().Select(e => (string)e!["message"]!));
            token = (string?)page["nextPageToken"];
            pages++;
        }
        while (token is not null);
        Assert.Equal(20 + 2, all.Count(l => l.Contains(L.StartingLine, StringComparison.Ordinal)));
        Assert.Equal((all.Count + LightsailSimulatorPageSize - 1) / LightsailSimulatorPageSize, pages);
        Assert.True(pages >= 2, $"{all.Count} lines came in {pages} page(s).");
        Assert.Equal(all.Take(LightsailSimulatorPageSize), await LogAsync());
        Assert.Equal(all.Where(l => l.Contains("ERROR", StringComparison.Ordinal)), await LogAsync("--filter-pattern", "ERROR"));
        Assert.Equal(all.Where(l => l.StartsWith("[deployment:", StringComparison.Ordinal) && !l.Contains("Creating", StringComparison.Ordinal)),
            await LogAsync("--filter-pattern", "\"[deployment:\" -Creating"));

        var images = (await CliAsync("lightsail", "get-container-images", "--service-name", L.Service)).GetProperty("containerImages");
        var digest = images.EnumerateArray().First(i => i.GetProperty("image").GetString() == L.Image(163)).GetProperty("digest").GetString()!;
        var registered = await CliAsync("lightsail", "register-container-image", "--service-name", L.Service, "--label", L.Label, "--digest", digest);
        Assert.Equal(L.Image(167), registered.GetProperty("containerImage").GetProperty("image").GetString());
        var metrics = await CliAsync("lightsail", "get-container-service-metric-data", "--service-name", L.Service, "--metric-name", "MemoryUtilization",
            "--start-time", DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeSeconds().ToString(), "--end-time", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(),
            "--period", "300", "--statistics", "Average");
        Assert.All(metrics.GetProperty("metricData").EnumerateArray(), p => Assert.InRange(p.GetProperty("average").GetDouble(), 30, 38));
        Assert.Equal(6, metrics.GetProperty("metricData").GetArrayLength());
    }

    private const int LightsailSimulatorPageSize = Simulators.Lightsail.LightsailSimulator.LogPageSize;
}
