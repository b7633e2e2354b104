using System.Collections.Generic;
using System.Linq;
using DeployOps.HelpCompiler;
using Xunit;

namespace DeployOps.Module.Tests.Help;

/// <summary><see cref="ModuleContract.HelpSourceProblems"/> on <see cref="SampleHelp"/>: each comparison with the cmdlet class seen to fail.</summary>
public class HelpSourceContractTests
{
    private const string Prefix = "docs/help/Get-Thing.md: ";

    private static IReadOnlyList<string> Problems(CmdletClass cmdlet) => ModuleContract.HelpSourceProblems([SampleHelp.Help], [cmdlet]);

    [Fact]
    public void HelpThatMatchesTheClassHasNoProblem() => Assert.Empty(Problems(SampleHelp.Cmdlet));

    [Fact]
    public void EveryCmdletHasOneSourceAndEverySourceACmdlet()
    {
        Assert.Equal([Prefix + "0 help sources, expected 1"], ModuleContract.HelpSourceProblems([], [SampleHelp.Cmdlet]));
        Assert.Equal([Prefix + "2 help sources, expected 1"], ModuleContract.HelpSourceProblems([SampleHelp.Help, SampleHelp.Help], [SampleHelp.Cmdlet]));
        Assert.Equal(["docs/help/Get-Thing.md documents 'Get-Thing', which the module does not define"], ModuleContract.HelpSourceProblems([SampleHelp.Help], []));
    }

    [Fact]
    public void EveryParameterIsDocumentedAndNoOther()
    {
        var extra = new CmdletParameter("Limit", "Int32", [], [new(CmdletParameter.AllSets, false, null, false, false)]);
        Assert.Equal([Prefix + "-Limit is not documented"], Problems(SampleHelp.CmdletWith(extra)));
        Assert.Equal(
            [Prefix + "-Force is documented, but the cmdlet has no such parameter"],
            Problems(SampleHelp.Cmdlet with { Parameters = [.. SampleHelp.Cmdlet.Parameters.Where(parameter => parameter.Name != "Force")] }));
    }

    public static TheoryData<CmdletParameter, string> DifferentParameters => new()
    {
        { SampleHelp.Parameter("Region") with { TypeName = "String[]" }, "-Region: Type is String; the cmdlet's is String[]" },
        { SampleHelp.Parameter("Name") with { Aliases = ["ThingName"] }, "-Name: Aliases are 'ThingName, N'; the cmdlet's are 'ThingName'" },
        { SampleHelp.Parameter("Force") with { Sets = [new(CmdletParameter.AllSets, false, null, false, false)] }, "-Force: the cmdlet has it in parameter set ByTag, the help does not" },
        { SampleHelp.Parameter("Tag") with { Sets = [new("ByTag", false, null, false, false)] }, "-Tag: in set ByTag, Required is True; the cmdlet says Mandatory = False" },
        { SampleHelp.Parameter("Name") with { Sets = [new("ByName", true, 1, true, true), new("ByTag", false, null, false, true)] }, "-Name: in set ByName, Position is 0; the cmdlet's is 1" },
        { SampleHelp.Parameter("Region") with { Sets = [new(CmdletParameter.AllSets, false, null, true, true)] }, "-Region: in set ByName, Accept pipeline input is True (ByPropertyName); the cmdlet's is True (ByValue, ByPropertyName)" },
    };

    [Theory]
    [MemberData(nameof(DifferentParameters))]
    public void EachParameterFactIsComparedWithTheClass(CmdletParameter parameter, string problem) =>
        Assert.Contains(Prefix + problem, Problems(SampleHelp.CmdletWith(parameter)));

    [Fact]
    public void AParameterOnlyTheHelpPutsInASetIsReported()
    {
        var markdown = SampleHelp.Changed("Parameter Sets: ByTag\nAliases:\n\nRequired: True", "Parameter Sets: ByTag, ByName\nAliases:\n\nRequired: True")
            .Replace("Get-Thing [-Name] <String> [-Force]", "Get-Thing [-Name] <String> -Tag <String[]> [-Force]");
        var (help, errors) = SampleHelp.Read(markdown);
        Assert.Empty(errors);
        Assert.Equal([Prefix + "-Tag: the help has it in parameter set ByName, the cmdlet does not"], ModuleContract.HelpSourceProblems([help!], [SampleHelp.Cmdlet]));
    }

    [Fact]
    public void TheParameterSetsAndTheDefaultOneAreThoseOfTheClass()
    {
        Assert.Equal(
            [Prefix + "the SYNTAX marks 'ByName' (Default); the cmdlet's DefaultParameterSetName is 'ByTag'"],
            Problems(SampleHelp.Cmdlet with { DefaultParameterSet = "ByTag" }));
        Assert.Equal(
            [Prefix + "the parameter sets are ByName, ByTag; the cmdlet's are ByName, ByTag, Other"],
            Problems(SampleHelp.CmdletWith(SampleHelp.Parameter("Force") with { Sets = [new("ByName", false, null, false, false), new("Other", false, null, false, false)] })));
    }

    [Fact]
    public void EveryCmdletHasAtLeastTwoExamples()
    {
        var start = SampleHelp.Markdown.IndexOf("### Example 2");
        var oneExample = SampleHelp.Markdown.Remove(start, SampleHelp.Markdown.IndexOf("## PARAMETERS") - start);
        var (help, _) = SampleHelp.Read(oneExample);
        Assert.Equal([Prefix + "1 example(s); every cmdlet needs at least 2"], ModuleContract.HelpSourceProblems([help!], [SampleHelp.Cmdlet]));
    }
}
