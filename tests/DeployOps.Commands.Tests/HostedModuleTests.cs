using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DeployOps.Commands.Tests.Hosting;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Commands.Tests;

/// <summary>The shell runs the module as `dotnet build` lays it out: its manifest, help and format views.</summary>
public sealed class HostedModuleTests : CmdletTest
{
    public HostedModuleTests(DeployOpsShell shell, SandboxFixture sandbox)
        : base(shell, sandbox)
    {
    }

    [Fact]
    public void The_module_comes_from_the_manifest_at_the_repository_root_with_its_help()
    {
        var run = Shell.Run("""
            (Get-Module DeployOps).ModuleBase
            (Get-Help Get-DeploymentHealth).Synopsis
            """);

        Assert.Equal(
            [DeployOpsShell.RepositoryRoot, "Diagnoses ECS services behind an Application Load Balancer: runbook 000 steps 1 and 2."],
            run.Output.Select(item => item.ToString()));
    }

    [Fact]
    public async Task A_health_report_is_shown_with_the_module_default_view()
    {
        await UseHealthyScenarioAsync();

        var run = Shell.Run("Get-DeploymentHealth -Cluster $Cluster -Service $Service @Aws | Out-String -Width 200", new { Lightwave.Cluster, Lightwave.Service, Aws });

        var text = Assert.IsType<string>(Assert.Single(run.Output));
        var view = Shell.Run("(Get-FormatData -TypeName DeployOps.Health.DeploymentHealthReport).FormatViewDefinition[0].Control.GetType().Name");
        Assert.Equal("CustomControl", Assert.Single(view.Output)?.ToString());

        // The module's block per service (without the view, PowerShell would list "Name : value" lines).
        Assert.Matches(new Regex($"^{Regex.Escape(Lightwave.Cluster)}/{Regex.Escape(Lightwave.Service)}: Healthy, None \\(\\d+/\\d+ running\\)\\s*$", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^\s+Next: No action needed", RegexOptions.Multiline), text);
        Assert.DoesNotMatch(new Regex(@"^Cluster\s+:", RegexOptions.Multiline), text);
    }
}
