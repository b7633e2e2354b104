using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using DeployOps.Commands.Tests.Hosting;
using DeployOps.Deployments;
using DeployOps.Sandbox;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Commands.Tests;

/// <summary>
/// The pump in a real pipeline: what the engine reports from thread-pool threads reaches PowerShell's streams while the
/// command runs, and Ctrl-C (PowerShell.Stop) ends a long wait at once.
/// </summary>
public sealed class EngineReportsTests : CmdletTest
{
    /// <summary>Liveness bound for Stop: far below the 600 s wait it interrupts, generous for a loaded machine.</summary>
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(30);

    public EngineReportsTests(DeployOpsShell shell, SandboxFixture sandbox)
        : base(shell, sandbox)
    {
    }

    [Fact]
    public async Task Verbose_and_progress_of_the_engine_arrive_in_the_PowerShell_streams()
    {
        await UseHealthyScenarioAsync();

        var registry = Path.Combine(Path.GetTempPath(), "deployops-journal-" + Guid.NewGuid().ToString("N"));
        var run = Shell.Run("Wait-EcsDeployment -Cluster $Cluster -Service $Service @Aws -Timeout 60 -RegistryPath $Registry -Verbose",
            new { Lightwave.Cluster, Lightwave.Service, Aws, Registry = registry });

        var result = Assert.Single(run.OutputOf<DeploymentWaitResult>());
        Assert.Equal(nameof(DeploymentWaitOutcome.Completed), result.Outcome);
        Assert.Collection(
            run.Verbose,
            session => Assert.StartsWith($"Using AwsSession '{Lightwave.Region}' (from -Region), ", session),
            engine => Assert.Equal($"Waiting up to 60 s for deployment {result.DeploymentId} of {Lightwave.Cluster}/{Lightwave.Service} ({result.TaskDefinition}).", engine),
            journal => Assert.StartsWith("Recorded ", journal));
        Assert.True(Directory.Exists(registry), "the completed rollout is recorded in the journal under -RegistryPath");
        var done = Assert.Single(run.Progress);
        Assert.Equal((ProgressRecordType.Completed, $"Waiting for the deployment of {Lightwave.Cluster}/{Lightwave.Service}"), (done.RecordType, done.Activity));
        Assert.Equal(result.Reason, done.StatusDescription);
    }

    [Fact]
    public async Task Progress_arrives_while_Wait_EcsDeployment_waits_and_Stop_ends_the_wait_at_once()
    {
        await UseHealthyScenarioAsync();
        var started = Shell.Run("Restart-EcsService -Cluster $Cluster -Service $Service @Aws -Force", new { Lightwave.Cluster, Lightwave.Service, Aws });
        Assert.Single(started.OutputOf<EcsDeploymentStart>());

        // At real-time speed the rollout takes minutes: the wait below can only end by being stopped.
        await SetClockSpeedAsync(1);
        try
        {
            using var shell = Shell.Create(
                "Wait-EcsDeployment -Cluster $Cluster -Service $Service @Aws -Timeout 600 -PollInterval 1",
                new { Lightwave.Cluster, Lightwave.Service, Aws });
            var output = new PSDataCollection<PSObject>();
            var running = shell.BeginInvoke<PSObject, PSObject>(null, output);

            var waiting = await Eventually.WaitForAsync(
                () => Task.FromResult(shell.Streams.Progress.FirstOrDefault(record => record.RecordType == ProgressRecordType.Processing)),
                "a progress report of the wait");
            Assert.Equal(PSInvocationState.Running, shell.InvocationStateInfo.State);
            Assert.StartsWith("IN_PROGRESS: ", waiting.StatusDescription);
            Assert.InRange(waiting.SecondsRemaining, 1, 600);

            var clock = Stopwatch.StartNew();
            shell.Stop();

            Assert.True(clock.Elapsed < StopLimit, $"Stop took {clock.Elapsed}");
            Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
            Assert.Throws<PipelineStoppedException>(() => shell.EndInvoke(running));
            Assert.Empty(output);
        }
        finally
        {
            await SetClockSpeedAsync(SandboxOptions.DefaultSpeed);
        }

        // The runspace is ready for the next command.
        Assert.Equal(["DeployOps"], Shell.Run("(Get-Module DeployOps).Name").Output);
    }

    private async Task SetClockSpeedAsync(double speed)
    {
        using var response = await Sandbox.PostControlAsync("_sandbox/clock", $"{{\"speed\": {speed}}}");
        response.EnsureSuccessStatusCode();
    }
}
