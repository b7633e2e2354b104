using System.Linq;
using Xunit;

namespace DeployOps.Module.Tests;

/// <summary>The metadata reader on SampleCmdlets.cs, compiled into this very assembly.</summary>
public class AssemblyReaderTests
{
    private static readonly CmdletClass[] Samples =
        AssemblyReader.ReadCmdlets(typeof(AssemblyReaderTests).Assembly.Location, LaidOutModule.SystemManagementAutomationPath).ToArray();

    [Fact]
    public void FindsEveryClassWithACmdletAttributePublicOrNot() =>
        Assert.Equal(["Fetch-Thing", "Get-Hidden", "Test-SampleDeployment"], Samples.Select(cmdlet => cmdlet.CommandName));

    [Fact]
    public void ReadsAWellShapedCmdlet()
    {
        var cmdlet = Samples.Single(sample => sample.CommandName == "Test-SampleDeployment");
        Assert.Equal(("DeployOps.Commands", "TestSampleDeploymentCommand", true, true), (cmdlet.Namespace, cmdlet.ClassName, cmdlet.IsPublic, cmdlet.IsSealed));
        Assert.Equal(["DeployOps.Commands.SampleReport"], cmdlet.OutputTypes);
        Assert.Equal(["Force", "Name", "Region"], cmdlet.Parameters.Order());
        Assert.Empty(ModuleContract.ClassProblems(cmdlet));
    }

    [Fact]
    public void ReadsOutputTypesGivenAsNamesAndVisibility()
    {
        var cmdlet = Samples.Single(sample => sample.CommandName == "Get-Hidden");
        Assert.Equal(["Some.TypeName", "Other.TypeName"], cmdlet.OutputTypes);
        Assert.False(cmdlet.IsPublic);
        Assert.Empty(cmdlet.Parameters);
    }

    [Fact]
    public void ReportsEveryRuleABadlyShapedCmdletBreaks()
    {
        var cmdlet = Samples.Single(sample => sample.CommandName == "Fetch-Thing");
        Assert.Equal(
            [
                "DeployOps.Module.Tests.Samples.FetchThingCmd (Fetch-Thing): is not sealed",
                "DeployOps.Module.Tests.Samples.FetchThingCmd (Fetch-Thing): is not in namespace DeployOps.Commands",
                "DeployOps.Module.Tests.Samples.FetchThingCmd (Fetch-Thing): is not named FetchThingCommand",
                "DeployOps.Module.Tests.Samples.FetchThingCmd (Fetch-Thing): 'Fetch' is not an approved verb",
                "DeployOps.Module.Tests.Samples.FetchThingCmd (Fetch-Thing): has no [OutputType]",
            ],
            ModuleContract.ClassProblems(cmdlet));
    }
}
