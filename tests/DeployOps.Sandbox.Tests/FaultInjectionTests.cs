using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Sandbox.Faults;
using DeployOps.Sandbox.Moto;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Sandbox.Tests;

/// <summary>Faults injected per service and operation, in each protocol's real error shape, reproducibly.</summary>
public sealed class FaultInjectionTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public FaultInjectionTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private MotoClient Aws => _sandbox.Aws;

    private async Task SetFaultsAsync(string json)
    {
        using var response = await _sandbox.PostControlAsync("_sandbox/faults", json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ecs_throttling_is_the_json_protocol_s_ThrottlingException()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        await SetFaultsAsync("""{"seed": 1, "rules": [{"service": "ecs", "operation": "DescribeServices", "kind": "throttle", "rate": 1}]}""");

        var error = await Assert.ThrowsAsync<MotoCallException>(() => Aws.ServiceAsync());
        Assert.Equal(400, error.Status);
        Assert.Equal("ThrottlingException", error.Code);

        // Other operations of the service are untouched.
        await Aws.EcsAsync("ListServices", new JsonObject { ["cluster"] = Lightwave.Cluster }, Lightwave.Region, default);
    }

    [Fact]
    public async Task Elbv2_and_ec2_throttling_use_their_query_error_shapes()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        await SetFaultsAsync("""{"seed": 1, "rules": [{"service": "elbv2", "kind": "throttle", "rate": 1}, {"service": "ec2", "kind": "throttle", "rate": 1}]}""");

        var elb = await Assert.ThrowsAsync<MotoCallException>(() => Aws.TargetGroupArnAsync());
        Assert.Equal(("Throttling", 400), (elb.Code, elb.Status));
        var ec2 = await Assert.ThrowsAsync<MotoCallException>(() => Aws.SecurityGroupIdAsync(Lightwave.AlbSecurityGroup));
        Assert.Equal(("RequestLimitExceeded", 503), (ec2.Code, ec2.Status));
    }

    [Fact]
    public async Task Server_errors_and_dropped_connections_are_injected()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        await SetFaultsAsync("""{"seed": 1, "rules": [{"service": "ecs", "operation": "DescribeServices", "kind": "error", "rate": 1, "status": 503}]}""");
        var error = await Assert.ThrowsAsync<MotoCallException>(() => Aws.ServiceAsync());
        Assert.Equal((503, "ServiceUnavailable"), (error.Status, error.Code));

        await SetFaultsAsync("""{"seed": 1, "rules": [{"service": "ecs", "operation": "DescribeServices", "kind": "drop", "rate": 1}]}""");
        await Assert.ThrowsAsync<HttpRequestException>(() => Aws.ServiceAsync());
    }

    [Fact]
    public async Task An_update_applied_before_its_answer_is_lost_starts_exactly_one_deployment()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var before = await DeploymentsStartedAsync();
        await SetFaultsAsync("""{"seed": 1, "rules": [{"service": "ecs", "operation": "UpdateService", "kind": "appliedThenError", "rate": 1.0}]}""");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AwsCli.RunOnceAsync(_sandbox.Url,
            "ecs", "update-service", "--cluster", Lightwave.Cluster, "--service", Lightwave.Service, "--force-new-deployment"));

        Assert.Contains("(ServerException)", error.Message, StringComparison.Ordinal);
        Assert.Equal(before + 1, await DeploymentsStartedAsync());
        var injected = Assert.Single((await FaultsAsync())["injected"]!.AsArray())!;
        Assert.Equal(("ecs", "UpdateService", "AppliedThenError", true),
            ((string?)injected["service"], (string?)injected["operation"], (string?)injected["kind"], (bool?)injected["applied"]));
    }

    [Fact]
    public async Task A_target_group_change_applied_before_the_connection_drops_counts_once()
    {
        await _sandbox.LoadScenarioAsync("health-check-mismatch");
        var arn = await Aws.TargetGroupArnAsync();
        await SetFaultsAsync("""{"seed": 1, "rules": [{"service": "elbv2", "operation": "ModifyTargetGroup", "kind": "appliedThenDrop", "rate": 1.0}]}""");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AwsCli.RunOnceAsync(_sandbox.Url,
            "elbv2", "modify-target-group", "--target-group-arn", arn, "--health-check-path", Lightwave.HealthPath));

        Assert.Contains("Connection was closed", error.Message, StringComparison.Ordinal);
        var group = (await _sandbox.StateAsync())["targetGroups"]!.AsArray().Single(g => (string?)g!["arn"] == arn)!;
        Assert.Equal((1, Lightwave.HealthPath), ((int)group["modifications"]!, (string?)group["healthCheckPath"]));
        Assert.True((bool)Assert.Single((await FaultsAsync())["injected"]!.AsArray())!["applied"]!);
    }

    [Fact]
    public async Task A_request_that_failed_before_its_answer_is_lost_is_recorded_as_not_applied()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        await SetFaultsAsync("""{"seed": 1, "rules": [{"service": "ecs", "operation": "UpdateService", "kind": "appliedThenError", "rate": 1.0, "status": 503}]}""");

        var error = await Assert.ThrowsAsync<MotoCallException>(() => Aws.EcsAsync("UpdateService",
            new JsonObject { ["cluster"] = Lightwave.Cluster, ["service"] = "no-such-service", ["forceNewDeployment"] = true }, Lightwave.Region, default));

        Assert.Equal((503, "ServiceUnavailable"), (error.Status, error.Code));
        Assert.False((bool)Assert.Single((await FaultsAsync())["injected"]!.AsArray())!["applied"]!);
    }

    private async Task<int> DeploymentsStartedAsync() =>
        (int)(await _sandbox.StateAsync())["services"]!.AsArray().Single(s => (string?)s!["service"] == Lightwave.Service)!["deploymentsStarted"]!;

    private async Task<JsonObject> FaultsAsync() =>
        JsonNode.Parse(await _sandbox.Http.GetStringAsync(new Uri(_sandbox.Url, "_sandbox/faults")))!.AsObject();

    [Fact]
    public async Task Added_latency_delays_the_answer()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        await SetFaultsAsync("""{"seed": 1, "rules": [{"service": "ecs", "operation": "DescribeServices", "kind": "latency", "rate": 1, "latencyMs": 400}]}""");

        var clock = Stopwatch.StartNew();
        await Aws.ServiceAsync();

        // A lower bound only: the injected delay must have happened. No upper bound (that would be a timing test).
        Assert.True(clock.ElapsedMilliseconds >= 400, $"the answer came after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_sequence_of_faults()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        const string settings = """{"seed": 42, "rules": [{"service": "ecs", "kind": "throttle", "rate": 0.3}]}""";

        async Task<string> RunAsync()
        {
            await SetFaultsAsync(settings);
            var outcome = new StringBuilder();
            for (var i = 0; i < 40; i++)
            {
                try
                {
                    await Aws.ServiceAsync();
                    outcome.Append('.');
                }
                catch (MotoCallException ex) when (ex.Code == "ThrottlingException")
                {
                    outcome.Append('T');
                }
            }

            return outcome.ToString();
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Equal(first, second);
        Assert.InRange(first.Count(c => c == 'T'), 4, 24);
    }

    [Fact]
    public async Task The_aws_cli_retries_through_30_percent_ecs_throttling()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        await SetFaultsAsync("""{"seed": 7, "rules": [{"service": "ecs", "kind": "throttle", "rate": 0.3}]}""");

        for (var i = 0; i < 8; i++)
        {
            var output = await AwsCli.RunAsync(_sandbox.Url, "ecs", "describe-services", "--cluster", Lightwave.Cluster, "--services", Lightwave.Service,
                "--query", "services[0].serviceName", "--output", "text");
            Assert.Equal(Lightwave.Service, output.Trim());
        }

        using var faults = JsonDocumentFrom(await _sandbox.Http.GetStringAsync(new Uri(_sandbox.Url, "_sandbox/faults")));
        Assert.True(faults.RootElement.GetProperty("injected").GetArrayLength() > 0, "some throttling was injected");
    }

    private static System.Text.Json.JsonDocument JsonDocumentFrom(string json) => System.Text.Json.JsonDocument.Parse(json);

    [Fact]
    public void Settings_with_bad_values_name_each_one()
    {
        var settings = new FaultSettings
        {
            Rules =
            [
                new FaultRule { Service = "ecz", Kind = FaultKind.Throttle, Rate = 1.5 },
                new FaultRule { Kind = FaultKind.Latency, Rate = 1 },
                new FaultRule { Kind = FaultKind.AppliedThenError, Rate = 1, Status = 404 },
            ],
        };

        var problems = settings.Validate();

        Assert.Contains(problems, p => p.Contains("rules[0].rate is 1.5", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("rules[0].service is 'ecz'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("rules[1].latencyMs", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("rules[2].status is 404", StringComparison.Ordinal));
    }

    [Fact]
    public void A_seed_gives_the_same_faults_in_every_process()
    {
        // Recorded once; a seed must reproduce this in any run (HashCode-based seeding, randomized per process, would not).
        var injector = new FaultInjector();
        injector.Configure(new FaultSettings { Seed = 42, Rules = [new FaultRule { Service = "ecs", Kind = FaultKind.Throttle, Rate = 0.3 }] });

        var sequence = string.Concat(Enumerable.Range(0, 30).Select(_ => injector.Decide("ecs", "DescribeServices").Count == 0 ? '.' : 'T'));

        Assert.Equal("T.....TT.TT...T...T...T.......", sequence);
    }

    [Fact]
    public void Injector_draws_each_rule_from_its_own_seeded_stream()
    {
        var injector = new FaultInjector();
        injector.Configure(new FaultSettings { Seed = 3, Rules = [new FaultRule { Service = "ecs", Kind = FaultKind.Throttle, Rate = 0.5 }] });
        var first = Enumerable.Range(0, 50).Select(_ => injector.Decide("ecs", "ListTasks").Count).ToList();
        var untouched = injector.Decide("logs", "GetLogEvents");

        injector.Configure(new FaultSettings { Seed = 3, Rules = [new FaultRule { Service = "ecs", Kind = FaultKind.Throttle, Rate = 0.5 }] });
        var second = Enumerable.Range(0, 50).Select(_ => injector.Decide("ecs", "ListTasks").Count).ToList();

        Assert.Equal(first, second);
        Assert.Empty(untouched);
        Assert.Contains(0, first);
        Assert.Contains(1, first);
    }
}
