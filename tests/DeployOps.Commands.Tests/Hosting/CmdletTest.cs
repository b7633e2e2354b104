using System;
using System.Collections;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Commands.Tests.Hosting;

/// <summary>
/// Every test that runs cmdlets in <see cref="DeployOpsShell"/>: one runspace and one sandbox for them all. They run one
/// at a time, since the shell sets the process's AWS variables and a scenario load resets the sandbox's account.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CmdletCollection : ICollectionFixture<DeployOpsShell>, ICollectionFixture<SandboxFixture>
{
    public const string Name = "Cmdlets in PowerShell";
}

/// <summary>The base of the cmdlet tests: the shell, the sandbox, and what the tests ask of both.</summary>
[Collection(CmdletCollection.Name)]
public abstract class CmdletTest
{
    protected CmdletTest(DeployOpsShell shell, SandboxFixture sandbox)
    {
        Shell = shell;
        Sandbox = sandbox;
    }

    protected DeployOpsShell Shell { get; }

    protected SandboxFixture Sandbox { get; }

    /// <summary>The sandbox's URL as the cmdlets print it (no trailing slash).</summary>
    protected string SandboxUrl => Sandbox.Url.ToString().TrimEnd('/');

    /// <summary>-Region, -EndpointUrl and -Credential for the sandbox, to splat (@Aws).</summary>
    protected Hashtable Aws => new() { ["Region"] = Lightwave.Region, ["EndpointUrl"] = SandboxUrl, ["Credential"] = DeployOpsShell.Credential };

    /// <summary>How many deployments the sandbox has started for the Lightwave service, ever.</summary>
    protected async Task<int> DeploymentsStartedAsync() =>
        (int)ServiceState(await Sandbox.StateAsync())["deploymentsStarted"]!;

    /// <summary>
    /// The Lightwave target group as DescribeTargetGroups answers now. (GET /_sandbox/state shows its health-check path
    /// too, but refreshes it on a later tick: a check that nothing changed could pass there only because it lags.)
    /// </summary>
    protected async Task<TargetGroupSettings> TargetGroupAsync()
    {
        var answer = await Sandbox.Aws.ElbAsync("DescribeTargetGroups", [new("Names.member.1", Lightwave.TargetGroup)], Lightwave.Region, default);
        var group = answer.Descendants().Single(element => element.Name.LocalName == "member" && element.Parent?.Name.LocalName == "TargetGroups");
        string Value(string name) => group.Descendants().First(element => element.Name.LocalName == name).Value;
        return new TargetGroupSettings(Value("TargetGroupArn"), Value("HealthCheckPath"), Value("HttpCode"));
    }

    /// <summary>
    /// The "healthy" scenario with the Lightwave service steady: one COMPLETED deployment, two running tasks, two healthy
    /// targets, the right health-check path. Loaded only when the sandbox is not like that already (a load takes about a
    /// second; most tests change nothing, or nothing a later test looks at).
    /// </summary>
    protected Task UseHealthyScenarioAsync() => UseScenarioAsync("healthy", async state =>
    {
        var service = ServiceState(state);
        var deployment = service["deployments"]!.AsArray().Count == 1 ? service["deployments"]![0]! : null;
        var group = state["targetGroups"]!.AsArray().Single(g => (string?)g!["name"] == Lightwave.TargetGroup)!;
        return (string?)deployment?["rolloutState"] == "COMPLETED"
            && (int)service["runningCount"]! == 2
            && group["targets"]!.AsArray().Count(t => (string?)t!["state"] == "healthy") == 2
            && (await TargetGroupAsync()).HealthCheckPath == Lightwave.HealthPath;
    });

    /// <summary>The "health-check-mismatch" scenario with the target group still checking the wrong path.</summary>
    protected Task UseHealthCheckMismatchScenarioAsync() => UseScenarioAsync(
        "health-check-mismatch", async _ => (await TargetGroupAsync()).HealthCheckPath == Lightwave.WrongHealthPath);

    /// <summary>Keeps <paramref name="scenario"/> when it is loaded and <paramref name="ready"/> holds; else loads it and waits until it does.</summary>
    private async Task UseScenarioAsync(string scenario, Func<JsonObject, Task<bool>> ready)
    {
        async Task<bool> Ready()
        {
            var state = await Sandbox.StateAsync();
            return (string?)state["scenario"] == scenario && await ready(state);
        }

        if (!await Ready())
        {
            await Sandbox.LoadScenarioAsync(scenario);
            await Eventually.WaitUntilAsync(Ready, $"scenario {scenario} to settle");
        }
    }

    /// <summary>A target group's ARN and health-check settings.</summary>
    protected sealed record TargetGroupSettings(string Arn, string HealthCheckPath, string Matcher);

    private static JsonNode ServiceState(JsonObject state) =>
        state["services"]!.AsArray().Single(service => (string?)service!["service"] == Lightwave.Service)!;
}
