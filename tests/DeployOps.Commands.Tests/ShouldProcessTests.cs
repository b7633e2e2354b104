using System.Threading.Tasks;
using DeployOps.Commands.Tests.Hosting;
using DeployOps.Deployments;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Commands.Tests;

/// <summary>
/// -WhatIf, $WhatIfPreference, -Confirm and -Force on the two cmdlets that change AWS, proved by what the sandbox holds
/// afterwards: the number of deployments it started and the target group's health-check settings.
/// </summary>
public sealed class ShouldProcessTests : CmdletTest
{
    private const string Restart = "Restart-EcsService -Cluster $Cluster -Service $Service @Aws";

    private const string Repair = "Repair-TargetGroupHealthCheck -TargetGroupArn $Arn -HealthCheckPath $HealthPath -Cluster $Cluster -Service $Service -Redeploy @Aws";

    public ShouldProcessTests(DeployOpsShell shell, SandboxFixture sandbox)
        : base(shell, sandbox)
    {
    }

    [Theory]
    [InlineData(Restart + " -WhatIf")]
    [InlineData(Restart + " -WhatIf -Wait")]
    [InlineData(Restart + " -WhatIf -Force")]
    [InlineData("$WhatIfPreference = $true\n" + Restart)]
    [InlineData("$WhatIfPreference = $true\n" + Restart + " -Force -Wait")]
    public async Task Restart_EcsService_under_WhatIf_starts_no_deployment(string script)
    {
        await UseHealthyScenarioAsync();
        var before = await DeploymentsStartedAsync();

        var run = Shell.Run(script, await ParametersAsync());

        Assert.Empty(run.Output);
        Assert.Null(run.Terminating);
        Assert.Equal(
            $"What if: Performing the operation \"Force a new deployment\" on target \"ECS service {Lightwave.Service} in cluster {Lightwave.Cluster}\".",
            Assert.Single(run.HostLines));
        Assert.Equal(before, await DeploymentsStartedAsync());
    }

    [Theory]
    [InlineData(Repair + " -WhatIf")]
    [InlineData(Repair + " -WhatIf -Force -Wait")]
    [InlineData("$WhatIfPreference = $true\n" + Repair + " -Force")]
    public async Task Repair_TargetGroupHealthCheck_under_WhatIf_changes_no_health_check_and_redeploys_nothing(string script)
    {
        await UseHealthCheckMismatchScenarioAsync();
        var before = await DeploymentsStartedAsync();

        var run = Shell.Run(script, await ParametersAsync());

        Assert.Empty(run.Output);
        Assert.Null(run.Terminating);
        var whatIf = Assert.Single(run.HostLines);
        Assert.StartsWith($"What if: Performing the operation \"Set health check path {Lightwave.WrongHealthPath} -> {Lightwave.HealthPath}", whatIf);
        Assert.Equal(Lightwave.WrongHealthPath, (await TargetGroupAsync()).HealthCheckPath);
        Assert.Equal(before, await DeploymentsStartedAsync());
    }

    [Fact]
    public async Task Restart_EcsService_Force_proceeds_without_asking_even_when_ConfirmPreference_would_ask()
    {
        await UseHealthyScenarioAsync();
        var before = await DeploymentsStartedAsync();

        // NoPromptExpected: a prompt would fail the run.
        var run = Shell.Run("$ConfirmPreference = 'Low'\n" + Restart + " -Force", await ParametersAsync());

        Assert.Null(run.Terminating);
        Assert.Empty(run.Prompts);
        Assert.Single(run.OutputOf<EcsDeploymentStart>());
        Assert.Equal(before + 1, await DeploymentsStartedAsync());
    }

    [Fact]
    public async Task Repair_TargetGroupHealthCheck_Force_proceeds_without_asking_even_when_ConfirmPreference_would_ask()
    {
        await UseHealthCheckMismatchScenarioAsync();
        var before = await DeploymentsStartedAsync();

        var run = Shell.Run("$ConfirmPreference = 'Low'\n" + Repair + " -Force", await ParametersAsync());

        Assert.Null(run.Terminating);
        Assert.Empty(run.Prompts);
        var change = Assert.Single(run.OutputOf<TargetGroupHealthCheckChange>());
        Assert.Single(change.Redeployments);
        Assert.Equal(Lightwave.HealthPath, (await TargetGroupAsync()).HealthCheckPath);
        Assert.Equal(before + 1, await DeploymentsStartedAsync());
    }

    [Theory]
    [InlineData(ConfirmAnswer.No, 0)]
    [InlineData(ConfirmAnswer.Yes, 1)]
    public async Task Restart_EcsService_Confirm_does_what_the_user_answers(ConfirmAnswer answer, int deploymentsStarted)
    {
        await UseHealthyScenarioAsync();
        var before = await DeploymentsStartedAsync();

        var run = Shell.Run(Restart + " -Confirm", await ParametersAsync(), answer);

        var prompt = Assert.Single(run.Prompts);
        Assert.Contains($"\"Force a new deployment\" on target \"ECS service {Lightwave.Service} in cluster {Lightwave.Cluster}\"", prompt);
        Assert.Equal(deploymentsStarted, run.OutputOf<EcsDeploymentStart>().Count);
        Assert.Equal(before + deploymentsStarted, await DeploymentsStartedAsync());
    }

    [Fact]
    public async Task Repair_TargetGroupHealthCheck_Confirm_answered_No_changes_nothing()
    {
        await UseHealthCheckMismatchScenarioAsync();
        var before = await DeploymentsStartedAsync();
        var parameters = await ParametersAsync();

        var run = Shell.Run(Repair + " -Confirm", parameters, ConfirmAnswer.No);

        var prompt = Assert.Single(run.Prompts);
        Assert.Contains($"on target \"target group {Lightwave.TargetGroup} ({parameters.Arn})\"", prompt);
        Assert.Empty(run.Output);
        Assert.Equal(Lightwave.WrongHealthPath, (await TargetGroupAsync()).HealthCheckPath);
        Assert.Equal(before, await DeploymentsStartedAsync());
    }

    private async Task<Parameters> ParametersAsync() =>
        new(Lightwave.Cluster, Lightwave.Service, (await TargetGroupAsync()).Arn, Lightwave.HealthPath, Aws);

    /// <summary>The variables of <see cref="Restart"/> and <see cref="Repair"/>.</summary>
    private sealed record Parameters(string Cluster, string Service, string Arn, string HealthPath, System.Collections.Hashtable Aws);
}
