using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Sandbox.Tests;

/// <summary>
/// The sandbox program started from an environment whose AWS_* variables are defined but empty: what
/// <c>[Environment]::SetEnvironmentVariable('X', $null)</c> leaves for child processes in PowerShell 7.6 on Linux, and what
/// made moto answer every request with an HTML 500 page (AWS_PROFILE is the one it chokes on). The variables are set in
/// the child's environment only, so no other test sees them.
/// </summary>
public sealed class EmptyAwsVariablesSandbox : IAsyncLifetime
{
    public static readonly string[] EmptyVariables =
    [
        "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL",
    ];

    private SandboxProgram? _program;

    public SandboxProgram Program => _program ?? throw new InvalidOperationException("The sandbox is not started.");

    public async Task InitializeAsync() =>
        _program = await SandboxProgram.StartAsync(["--port", "0", "--scenario", "healthy"], EmptyVariables.ToDictionary(v => v, _ => ""));

    public async Task DisposeAsync()
    {
        if (_program is not null)
        {
            await _program.DisposeAsync();
        }
    }
}

/// <summary>The sandbox as people and scripts run it: its environment, its ready lines, what it logs.</summary>
public sealed partial class SandboxProgramTests : IClassFixture<EmptyAwsVariablesSandbox>
{
    private readonly SandboxProgram _program;

    public SandboxProgramTests(EmptyAwsVariablesSandbox sandbox) => _program = sandbox.Program;

    [Fact]
    public async Task Aws_variables_defined_but_empty_do_not_reach_moto()
    {
        using var aws = new MotoClient(_program.Url);

        var groups = await aws.ElbAsync("DescribeTargetGroups", [], Lightwave.Region, default);
        var service = await aws.ServiceAsync();

        Assert.Equal(Lightwave.TargetGroup, groups.Find("TargetGroupName")?.Value);
        Assert.Equal(Lightwave.Service, (string?)service["serviceName"]);
    }

    [Fact]
    public async Task The_ready_line_keeps_its_format_and_moto_s_url_follows_it_and_is_in_the_state()
    {
        var output = _program.OutputLines;

        // The pattern Pester's Sandbox.psm1 parses the ready line with.
        Assert.Matches(ReadyLine(), output[0]);
        var moto = MotoLine().Match(output[1]);
        Assert.True(moto.Success, $"the line after the ready line is '{output[1]}'");
        using var http = new HttpClient();
        var state = JsonNode.Parse(await http.GetStringAsync(new Uri(_program.Url, "_sandbox/state")))!;
        Assert.Equal(moto.Groups["url"].Value, (string?)state["motoUrl"]);
    }

    [Fact]
    public async Task A_world_step_that_moto_fails_is_logged_on_one_line_without_a_stack_trace()
    {
        // A write in a region moto cannot serve: the client gets moto's HTML page as it came, and the world, told its
        // configuration changed there, fails to read that region's configuration from moto on its next step.
        using var aws = new MotoClient(_program.Url);
        await Assert.ThrowsAsync<BadMotoAnswerException>(() => aws.Ec2Async("CreateVpc", [new("CidrBlock", "10.9.0.0/16")], "eu-mars-1", default));

        var logged = await Eventually.WaitForAsync(
            () => Task.FromResult(_program.ErrorLines.FirstOrDefault(l => l.Contains("configuration for eu-mars-1 failed", StringComparison.Ordinal))),
            "the world to log that it could not read eu-mars-1");

        Assert.Contains("moto gave an unusable answer to elasticloadbalancing DescribeTargetGroups: HTTP 500 with an HTML page", logged, StringComparison.Ordinal);
        Assert.Contains("KeyError: 'eu-mars-1'", logged, StringComparison.Ordinal);
        Assert.DoesNotContain(_program.ErrorLines, l => StackFrame().IsMatch(l));
        Assert.Equal(Lightwave.Service, (string?)(await aws.ServiceAsync())["serviceName"]);
    }

    [GeneratedRegex(@"^DeployOps sandbox ready at (?<url>https?://\S+)\s*$")]
    private static partial Regex ReadyLine();

    [GeneratedRegex(@"^moto at (?<url>http://127\.0\.0\.1:\d+)$")]
    private static partial Regex MotoLine();

    [GeneratedRegex(@"^\s+at \S+\(")]
    private static partial Regex StackFrame();
}
