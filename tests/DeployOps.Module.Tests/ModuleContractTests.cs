using System;
using System.Collections.Generic;
using System.Xml.Linq;
using Xunit;

namespace DeployOps.Module.Tests;

/// <summary>Each module rule, fed hand-made sets and XML, so every comparison is seen to fail.</summary>
public class ModuleContractTests
{
    private static readonly CmdletClass GetThing = new(
        "DeployOps.Commands", "GetThingCommand", IsPublic: true, IsSealed: true, "Get", "Thing",
        OutputTypes: ["DeployOps.ThingReport"], Parameters: [Optional("Name"), Optional("Region")]);

    private static CmdletParameter Optional(string name) => new(name, "String", [], [new(CmdletParameter.AllSets, false, null, false, false)]);

    [Fact]
    public void ExportsMatchingTheAssemblyHaveNoProblem() =>
        Assert.Empty(ModuleContract.ExportProblems(["Get-Thing", "Set-Thing"], ["Set-Thing", "Get-Thing"]));

    [Fact]
    public void ExportMismatchesAreReportedByName()
    {
        Assert.Equal(
            [
                "CmdletsToExport lists 'Get-thing', which bin/DeployOps.dll does not define",
                "CmdletsToExport lists 'Remove-Thing', which bin/DeployOps.dll does not define",
                "bin/DeployOps.dll defines 'Get-Thing', which CmdletsToExport does not list",
            ],
            ModuleContract.ExportProblems(["Get-thing", "Remove-Thing"], ["Get-Thing"]));
    }

    [Fact]
    public void AWellShapedCmdletClassHasNoProblem() => Assert.Empty(ModuleContract.ClassProblems(GetThing));

    public static TheoryData<CmdletClass, string> BadClasses => new()
    {
        { GetThing with { IsPublic = false }, "is not public" },
        { GetThing with { IsSealed = false }, "is not sealed" },
        { GetThing with { Namespace = "DeployOps" }, "is not in namespace DeployOps.Commands" },
        { GetThing with { ClassName = "GetThingCmdlet" }, "is not named GetThingCommand" },
        { GetThing with { Verb = "Fetch", ClassName = "FetchThingCommand" }, "'Fetch' is not an approved verb" },
        { GetThing with { Verb = "Deploy", ClassName = "DeployThingCommand" }, "'Deploy' is not an approved verb" },
        { GetThing with { OutputTypes = [] }, "has no [OutputType]" },
    };

    [Theory]
    [MemberData(nameof(BadClasses))]
    public void EachClassRuleIsEnforced(CmdletClass cmdlet, string problem)
    {
        var problems = ModuleContract.ClassProblems(cmdlet);
        Assert.Equal($"{cmdlet.FullName} ({cmdlet.CommandName}): {problem}", Assert.Single(problems));
    }

    private const string GoodEntry = """
        <command:command>
          <command:details>
            <command:name>Get-Thing</command:name>
            <maml:description><maml:para>Gets things.</maml:para></maml:description>
          </command:details>
          <maml:description><maml:para>Gets every thing of a deployment.</maml:para></maml:description>
          <command:parameters>
            <command:parameter><maml:name>Name</maml:name><maml:description><maml:para>The name.</maml:para></maml:description></command:parameter>
            <command:parameter><maml:name>Region</maml:name><maml:description><maml:para>The region.</maml:para></maml:description></command:parameter>
          </command:parameters>
          <command:examples>
            <command:example><maml:title>Example 1</maml:title><dev:code>Get-Thing -Name web</dev:code></command:example>
          </command:examples>
        </command:command>
        """;

    private static XDocument Help(params string[] entries) => XDocument.Parse($"""
        <helpItems schema="maml" xmlns="http://msh"
                   xmlns:maml="http://schemas.microsoft.com/maml/2004/10"
                   xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10"
                   xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">
        {string.Join("\n", entries)}
        </helpItems>
        """);

    [Fact]
    public void CompleteHelpHasNoProblem() => Assert.Empty(ModuleContract.HelpProblems(Help(GoodEntry), [GetThing]));

    public static TheoryData<string, string> IncompleteHelp => new()
    {
        { GoodEntry.Replace("<maml:para>Gets things.</maml:para>", ""), "help for Get-Thing: no synopsis (command:details/maml:description)" },
        { GoodEntry.Replace("<maml:para>Gets every thing of a deployment.</maml:para>", " "), "help for Get-Thing: no description (maml:description)" },
        { GoodEntry.Replace("<dev:code>Get-Thing -Name web</dev:code>", "<dev:code></dev:code>"), "help for Get-Thing: no example with code (command:example/dev:code)" },
        { GoodEntry.Replace("<maml:para>The region.</maml:para>", ""), "help for Get-Thing: parameter -Region has no description" },
        { GoodEntry.Replace("<maml:name>Name</maml:name>", "<maml:name>Nom</maml:name>"), "help for Get-Thing: parameter -Name has no description" },
    };

    [Theory]
    [MemberData(nameof(IncompleteHelp))]
    public void EachHelpRuleIsEnforced(string entry, string problem) =>
        Assert.Equal(problem, Assert.Single(ModuleContract.HelpProblems(Help(entry), [GetThing])));

    [Fact]
    public void HelpMustHaveOneEntryPerCmdletAndNoStrayEntry()
    {
        Assert.Equal(["help for Get-Thing: 0 command entries, expected 1"], ModuleContract.HelpProblems(Help(), [GetThing]));
        Assert.Equal(["help for Get-Thing: 2 command entries, expected 1"], ModuleContract.HelpProblems(Help(GoodEntry, GoodEntry), [GetThing]));
        Assert.Equal(["help describes 'Get-Thing', which the module does not define"], ModuleContract.HelpProblems(Help(GoodEntry), []));
    }

    [Fact]
    public void HelpPowerShellWouldIgnoreIsRejected()
    {
        var noSchema = XDocument.Parse("<helpItems xmlns=\"http://msh\" />");
        Assert.Contains("schema=\"maml\"", Assert.Single(ModuleContract.HelpProblems(noSchema, [])));
    }

    private static XDocument Format(params string[] typeNames) => XDocument.Parse($"""
        <Configuration><ViewDefinitions>
        {string.Concat(Array.ConvertAll(typeNames, type => $"<View><Name>{type}</Name><ViewSelectedBy><TypeName>{type}</TypeName></ViewSelectedBy><TableControl /></View>"))}
        </ViewDefinitions></Configuration>
        """);

    private static readonly IReadOnlySet<string> EngineTypes = new HashSet<string> { "DeployOps.ThingReport", "DeployOps.Other" };

    [Fact]
    public void ViewTypeNamesAreReadFromEveryView() =>
        Assert.Equal(["DeployOps.ThingReport", "DeployOps.Other"], ModuleContract.ViewTypeNames(Format("DeployOps.ThingReport", "DeployOps.Other")));

    [Fact]
    public void AFormatFileNeedsAConfigurationRoot() =>
        Assert.Throws<FormatException>(() => ModuleContract.ViewTypeNames(XDocument.Parse("<Types />")));

    [Fact]
    public void ViewsForEveryOutputTypeOfEngineTypesHaveNoProblem() =>
        Assert.Empty(ModuleContract.FormatProblems(ModuleContract.ViewTypeNames(Format("DeployOps.ThingReport")), EngineTypes, [GetThing]));

    [Fact]
    public void AnOutputTypeWithoutAViewIsReported() =>
        Assert.Equal(
            ["Get-Thing outputs 'DeployOps.ThingReport', which has no format view"],
            ModuleContract.FormatProblems(ModuleContract.ViewTypeNames(Format("DeployOps.Other")), EngineTypes, [GetThing]));

    [Fact]
    public void AViewOfATypeTheEngineDoesNotExportIsReported() =>
        Assert.Equal(
            ["a format view selects 'Amazon.ECS.Model.Service', which is not a public type of DeployOps.Engine.dll"],
            ModuleContract.FormatProblems(["Amazon.ECS.Model.Service"], EngineTypes, []));
}
