using System;
using System.Linq;
using System.Management.Automation;
using DeployOps.Commands.Tests.Hosting;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Commands.Tests;

/// <summary>
/// A probe cmdlet on the DeployOps base whose "engine work" fails the way a DeployOps bug would (a
/// NullReferenceException, Single() on two items). Such a defect must never pass for one item's AWS failure: it stops the
/// command, names itself as a DeployOps defect and shows the real exception type.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DeployOpsDefectProbe")]
public sealed class DefectProbeCommand : DeployOpsCmdlet
{
    [Parameter(Mandatory = true)]
    public string Kind { get; set; } = "";

    protected override void ProcessRecord()
    {
        if (TryRunEngine<object>(_ => Kind == "single" ? System.Threading.Tasks.Task.FromResult<object>(new[] { 1, 2 }.Single()) : throw new NullReferenceException("Object reference not set to an instance of an object."), "item", out _))
        {
            WriteObject("worked");
        }

        WriteObject("went on after the defect");
    }
}

public sealed class DefectTests : CmdletTest
{
    public DefectTests(DeployOpsShell shell, SandboxFixture sandbox)
        : base(shell, sandbox)
    {
    }

    [Theory]
    [InlineData("null", "System.NullReferenceException")]
    [InlineData("single", "System.InvalidOperationException")]
    public void A_defect_stops_the_command_and_names_itself_with_the_real_exception_type(string kind, string exceptionType)
    {
        var run = Shell.Run("Import-Module -Name $Probe; Test-DeployOpsDefectProbe -Kind $Kind", new { Probe = typeof(DefectProbeCommand).Assembly.Location, Kind = kind });

        Assert.Empty(run.Errors);
        Assert.DoesNotContain("went on after the defect", run.Output.Select(o => o.ToString()));
        var error = Assert.IsType<ErrorRecord>(run.Terminating);
        Assert.Equal("DeployOpsDefect,DeployOps.Commands.Tests.DefectProbeCommand", error.FullyQualifiedErrorId);
        Assert.Equal(exceptionType, error.Exception.GetType().FullName);
        Assert.StartsWith($"DeployOps defect, not an AWS failure: {exceptionType}: ", error.ErrorDetails.Message);
        Assert.DoesNotContain("AWS request", error.ErrorDetails.Message);
    }
}
