using System.Linq;
using System.Threading.Tasks;
using DeployOps.Commands.Tests.Hosting;
using DeployOps.Deployments;
using DeployOps.Health;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Commands.Tests;

/// <summary>
/// Binding by property name: an object shaped like a <see cref="DeploymentHealthReport"/> (Cluster, Service,
/// TargetGroupArn, Region, EndpointUrl, ProfileName) drives the next cmdlet with nothing repeated but -Credential.
/// Against the sandbox, so the bound region and endpoint are the ones actually used.
/// </summary>
public sealed class PipelineBindingTests : CmdletTest
{
    /// <summary>$report: a DeploymentHealthReport-like object made of the <see cref="ReportParameters"/>.</summary>
    private const string ReportLike = """
        $report = [pscustomobject]@{
            Cluster = $Cluster
            Service = $Service
            TargetGroupArn = @($TargetGroupArn)
            Region = $Region
            EndpointUrl = $Endpoint
            ProfileName = $null
        }
        """;

    public PipelineBindingTests(DeployOpsShell shell, SandboxFixture sandbox)
        : base(shell, sandbox)
    {
    }

    [Fact]
    public async Task A_report_like_object_drives_Restart_EcsService()
    {
        await UseHealthyScenarioAsync();
        var before = await DeploymentsStartedAsync();

        var run = Shell.Run(ReportLike + "\n$report | Restart-EcsService -Credential $Credential -Force", await ReportParametersAsync());

        var started = Assert.Single(run.OutputOf<EcsDeploymentStart>());
        Assert.Equal((Lightwave.Cluster, Lightwave.Service, Lightwave.Region, SandboxUrl), (started.Cluster, started.Service, started.Region, started.EndpointUrl));
        Assert.Equal(before + 1, await DeploymentsStartedAsync());
    }

    [Fact]
    public async Task A_report_like_object_drives_Repair_TargetGroupHealthCheck()
    {
        await UseHealthCheckMismatchScenarioAsync();

        var run = Shell.Run(
            ReportLike + "\n$report | Repair-TargetGroupHealthCheck -HealthCheckPath $HealthPath -Credential $Credential -Force",
            await ReportParametersAsync());

        var change = Assert.Single(run.OutputOf<TargetGroupHealthCheckChange>());
        Assert.Equal((Lightwave.TargetGroup, Lightwave.WrongHealthPath, Lightwave.HealthPath, true),
            (change.TargetGroupName, change.OldHealthCheckPath, change.NewHealthCheckPath, change.Changed));
        Assert.Equal(Lightwave.HealthPath, (await TargetGroupAsync()).HealthCheckPath);
    }

    [Fact]
    public async Task A_report_like_object_drives_Wait_EcsDeployment()
    {
        await UseHealthyScenarioAsync();

        var run = Shell.Run(ReportLike + "\n$report | Wait-EcsDeployment -Credential $Credential -Timeout 60 -PollInterval 1", await ReportParametersAsync());

        var result = Assert.Single(run.OutputOf<DeploymentWaitResult>());
        Assert.Equal((Lightwave.Cluster, Lightwave.Service, SandboxUrl, nameof(DeploymentWaitOutcome.Completed)),
            (result.Cluster, result.Service, result.EndpointUrl, result.Outcome));
        Assert.Empty(run.Errors);
    }

    [Fact]
    public async Task WhatIf_names_the_values_bound_from_the_report()
    {
        await UseHealthyScenarioAsync();
        var parameters = await ReportParametersAsync();

        var restart = Shell.Run(ReportLike + "\n$report | Restart-EcsService -Credential $Credential -WhatIf", parameters);
        var repair = Shell.Run(ReportLike + "\n$report | Repair-TargetGroupHealthCheck -HealthCheckPath /other/ -Redeploy -Credential $Credential -WhatIf", parameters);

        Assert.Equal(
            $"What if: Performing the operation \"Force a new deployment\" on target \"ECS service {Lightwave.Service} in cluster {Lightwave.Cluster}\".",
            Assert.Single(restart.HostLines));
        var repairLine = Assert.Single(repair.HostLines);
        Assert.Contains($"target group {Lightwave.TargetGroup} ({parameters.TargetGroupArn})", repairLine);
        Assert.Contains($"force a new deployment of {Lightwave.Cluster}/{Lightwave.Service}", repairLine);
    }

    [Fact]
    public async Task Trace_Command_shows_each_property_bound_to_its_parameter()
    {
        await UseHealthyScenarioAsync();

        var run = Shell.Run(
            ReportLike + "\nTrace-Command -Name ParameterBinding -PSHost -Expression { $report | Wait-EcsDeployment -Credential $Credential -Timeout 60 }",
            await ReportParametersAsync());

        Assert.Single(run.OutputOf<DeploymentWaitResult>());
        var trace = string.Join("\n", run.HostLines);
        Assert.Contains("BIND PIPELINE object to parameters: [Wait-EcsDeployment]", trace);
        Assert.Contains($"BIND arg [{Lightwave.Cluster}] to parameter [Cluster]", trace);
        Assert.Contains($"BIND arg [{Lightwave.Service}] to parameter [Service]", trace);
        Assert.Contains($"BIND arg [{Lightwave.Region}] to parameter [Region]", trace);
        Assert.Contains($"BIND arg [{SandboxUrl}] to parameter [EndpointUrl]", trace);
    }

    [Fact]
    public async Task A_real_report_pipes_into_the_next_cmdlet_with_only_the_credential_repeated()
    {
        await UseHealthyScenarioAsync();

        var run = Shell.Run(
            "Get-DeploymentHealth -Cluster $Cluster -Service $Service @Aws | Wait-EcsDeployment -Credential $Credential -Timeout 60 -PollInterval 1",
            new { Lightwave.Cluster, Lightwave.Service, Aws, DeployOpsShell.Credential });

        var result = Assert.Single(run.OutputOf<DeploymentWaitResult>());
        Assert.Equal((Lightwave.Service, SandboxUrl, nameof(DeploymentWaitOutcome.Completed)), (result.Service, result.EndpointUrl, result.Outcome));
    }

    /// <summary>The Lightwave service in the sandbox (its target group's ARN read from the sandbox), the credential and the right health path.</summary>
    private async Task<ReportParameters> ReportParametersAsync() => new(
        Lightwave.Cluster, Lightwave.Service, (await TargetGroupAsync()).Arn, Lightwave.Region, SandboxUrl, DeployOpsShell.Credential, Lightwave.HealthPath);

    /// <summary>The variables of the scripts above.</summary>
    private sealed record ReportParameters(
        string Cluster, string Service, string TargetGroupArn, string Region, string Endpoint, Amazon.Runtime.AWSCredentials Credential, string HealthPath);
}
