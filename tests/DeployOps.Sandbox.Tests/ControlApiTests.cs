using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Sandbox.Tests;

/// <summary>The JSON control API under /_sandbox/.</summary>
public sealed class ControlApiTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public ControlApiTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task State_reports_scenario_clock_services_tasks_targets_and_alb_urls()
    {
        using var load = await _sandbox.PostControlAsync("_sandbox/scenario/healthy", "");
        Assert.Equal(HttpStatusCode.OK, load.StatusCode);

        var state = await Eventually.WaitForAsync(async () =>
        {
            var s = await _sandbox.StateAsync();
            return s["targetGroups"]!.AsArray().SelectMany(g => g!["targets"]!.AsArray()).Count() == 2 ? s : null;
        }, "the state to list both targets");

        Assert.Equal("healthy", (string?)state["scenario"]);
        Assert.Equal(30, (double)state["clock"]!["speed"]!);
        var service = state["services"]!.AsArray().Single()!;
        Assert.Equal(Lightwave.Service, (string?)service["service"]);
        Assert.Equal(2, service["tasks"]!.AsArray().Count(t => (string?)t!["lastStatus"] == "RUNNING"));
        var alb = state["loadBalancers"]!.AsArray().Single()!;
        Assert.StartsWith("lightwave-dev-alb-", (string?)alb["dnsName"]);
        Assert.StartsWith("http://127.0.0.1:", (string?)alb["url"]);
    }

    [Fact]
    public async Task State_read_right_after_ModifyTargetGroup_shows_the_new_health_check_path()
    {
        await _sandbox.LoadScenarioAsync("health-check-mismatch");
        var arn = await _sandbox.Aws.TargetGroupArnAsync();

        // Alternate the path, so that every round is a real change; a state read from a snapshot one tick old would show the other one.
        for (var round = 0; round < 20; round++)
        {
            var path = round % 2 == 0 ? Lightwave.HealthPath : Lightwave.WrongHealthPath;
            await _sandbox.Aws.ElbAsync("ModifyTargetGroup", [new("TargetGroupArn", arn), new("HealthCheckPath", path)], Lightwave.Region, default);

            var state = await _sandbox.StateAsync();

            var group = state["targetGroups"]!.AsArray().Single(g => (string?)g!["arn"] == arn)!;
            Assert.Equal((round, path, round + 1), (round, (string?)group["healthCheckPath"], (int)group["modifications"]!));
        }
    }

    [Fact]
    public async Task Clock_speed_and_advance_are_applied_and_bad_values_are_refused()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var before = (double)(await _sandbox.StateAsync())["clock"]!["worldSeconds"]!;

        using var advanced = await _sandbox.PostControlAsync("_sandbox/clock", """{"advanceSeconds": 3600}""");
        var after = JsonNode.Parse(await advanced.Content.ReadAsStringAsync())!;
        Assert.True((double)after["worldSeconds"]! >= before + 3600);

        using var bad = await _sandbox.PostControlAsync("_sandbox/clock", """{"speed": 0}""");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("0.1 to 1000", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_scenario_and_bad_fault_settings_are_refused_with_what_was_expected()
    {
        using var unknown = await _sandbox.PostControlAsync("_sandbox/scenario/no-such-scenario", "");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var message = await unknown.Content.ReadAsStringAsync();
        Assert.Contains("no-such-scenario", message);
        Assert.Contains("health-check-mismatch", message);

        using var badJson = await _sandbox.PostControlAsync("_sandbox/faults", "{not json");
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        using var badRate = await _sandbox.PostControlAsync("_sandbox/faults", """{"rules": [{"service": "ecs", "kind": "throttle", "rate": 2}]}""");
        Assert.Contains("rules[0].rate is 2", await badRate.Content.ReadAsStringAsync());
    }
}
