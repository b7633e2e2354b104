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
        Assert.Equal(["Confirm", "Force", "Limit", "Name", "Region", "Tags", "WhatIf"], cmdlet.ParameterNames.Order());
        Assert.Empty(ModuleContract.ClassProblems(cmdlet));
    }

    [Fact]
    public void ReadsParameterMetadataSetBySet()
    {
        var cmdlet = Samples.Single(sample => sample.CommandName == "Test-SampleDeployment");
        CmdletParameter Parameter(string name) => cmdlet.Parameters.Single(parameter => parameter.Name == name);

        Assert.Equal("ByName", cmdlet.DefaultParameterSet);
        Assert.Equal(["ByName", "Other"], cmdlet.ParameterSets.Order());
        Assert.Equal(
            [new ParameterSetEntry("ByName", true, 0, true, false), new ParameterSetEntry("Other", true, null, false, true)],
            Parameter("Name").Sets);
        Assert.Equal("String", Parameter("Name").TypeName);
        Assert.Equal(["SampleName", "N"], Parameter("Name").Aliases);
        Assert.Equal(("Int32", new ParameterSetEntry("Other", false, 1, false, false)), (Parameter("Limit").TypeName, Parameter("Limit").Sets.Single()));
        Assert.Null(Parameter("Limit").In("ByName"));
        Assert.Equal("String[]", Parameter("Tags").TypeName);
        Assert.Equal(new ParameterSetEntry(CmdletParameter.AllSets, false, null, false, false), Parameter("Region").In("Other"));
        Assert.Equal(["SwitchParameter", "wi"], [Parameter("WhatIf").TypeName, .. Parameter("WhatIf").Aliases]);
        Assert.Equal(["SwitchParameter", "cf"], [Parameter("Confirm").TypeName, .. Parameter("Confirm").Aliases]);
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
