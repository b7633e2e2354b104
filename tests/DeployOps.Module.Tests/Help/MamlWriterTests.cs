using System.Linq;
using System.Xml.Linq;
using DeployOps.HelpCompiler;
using Xunit;

namespace DeployOps.Module.Tests.Help;

/// <summary>The MAML written for <see cref="SampleHelp"/>: the structure PowerShell's Get-Help reads.</summary>
public class MamlWriterTests
{
    private static readonly XNamespace Maml = MamlWriter.Maml;
    private static readonly XNamespace Command = MamlWriter.Command;
    private static readonly XNamespace Dev = MamlWriter.Dev;

    private static readonly XDocument Written = XDocument.Parse(MamlWriter.Text(MamlWriter.Document([SampleHelp.Help])));

    private static XElement Entry => Written.Root!.Element(Command + "command")!;

    private static XElement Parameter(XElement parent, string name) =>
        parent.Elements(Command + "parameter").Single(parameter => parameter.Element(Maml + "name")!.Value == name);

    [Fact]
    public void IsMamlThatPowerShellLoadsWithEverythingTheContractAsks()
    {
        Assert.Equal((MamlWriter.Msh + "helpItems", "maml"), (Written.Root!.Name, (string?)Written.Root.Attribute("schema")));
        Assert.Empty(ModuleContract.HelpProblems(Written, [SampleHelp.Cmdlet]));
    }

    [Fact]
    public void DetailsHoldNameSynopsisVerbAndNoun()
    {
        var details = Entry.Element(Command + "details")!;
        Assert.Equal(
            ["Get-Thing", "Gets things.", "Get", "Thing"],
            new[] { Command + "name", Maml + "description", Command + "verb", Command + "noun" }.Select(name => details.Element(name)!.Value));
        Assert.Equal(3, Entry.Element(Maml + "description")!.Elements(Maml + "para").Count());
    }

    [Fact]
    public void EachParameterSetIsASyntaxItemWithItsOwnMetadata()
    {
        var items = Entry.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(["Name", "Force", "Region"], items[0].Elements(Command + "parameter").Select(parameter => parameter.Element(Maml + "name")!.Value));
        Assert.Equal(["Name", "Tag", "Region"], items[1].Elements(Command + "parameter").Select(parameter => parameter.Element(Maml + "name")!.Value));

        var byName = Parameter(items[0], "Name");
        Assert.Equal(["true", "0", "True (ByValue, ByPropertyName)", "ThingName, N"], new[] { "required", "position", "pipelineInput", "aliases" }.Select(attribute => (string)byName.Attribute(attribute)!));
        var byTag = Parameter(items[1], "Name");
        Assert.Equal(["false", "named", "True (ByPropertyName)"], new[] { "required", "position", "pipelineInput" }.Select(attribute => (string)byTag.Attribute(attribute)!));
        Assert.Equal(("true", "true"), ((string)Parameter(items[1], "Tag").Attribute("variableLength")!, (string)Parameter(items[1], "Tag").Attribute("globbing")!));
        Assert.Null(Parameter(items[0], "Force").Element(Command + "parameterValue"));
        Assert.Equal("String[]", Parameter(items[1], "Tag").Element(Command + "parameterValue")!.Value);
    }

    [Fact]
    public void TheParametersSectionSaysRequiredOrAPositionOnlyWhenEverySetAgrees()
    {
        var parameters = Entry.Element(Command + "parameters")!;
        Assert.Equal(["Name", "Tag", "Force", "Region"], parameters.Elements(Command + "parameter").Select(parameter => parameter.Element(Maml + "name")!.Value));
        var name = Parameter(parameters, "Name");
        Assert.Equal(["false", "named", "True (ByValue, ByPropertyName)", "ThingName, N"], new[] { "required", "position", "pipelineInput", "aliases" }.Select(attribute => (string)name.Attribute(attribute)!));
        Assert.Equal(("String", "None"), (name.Element(Dev + "type")!.Element(Maml + "name")!.Value, name.Element(Dev + "defaultValue")!.Value));
        Assert.Equal(("true", "none"), ((string)Parameter(parameters, "Tag").Attribute("required")!, (string)Parameter(parameters, "Tag").Attribute("aliases")!));
        Assert.Equal("False", Parameter(parameters, "Force").Element(Dev + "defaultValue")!.Value);
    }

    [Fact]
    public void TypesNotesExamplesAndLinksAreWritten()
    {
        Assert.Equal("System.String", Entry.Element(Command + "inputTypes")!.Element(Command + "inputType")!.Element(Dev + "type")!.Value);
        Assert.Equal("DeployOps.ThingReport", Entry.Element(Command + "returnValues")!.Element(Command + "returnValue")!.Element(Dev + "type")!.Value);
        Assert.Equal("Reads only.", Entry.Element(Maml + "alertSet")!.Element(Maml + "alert")!.Value);

        var examples = Entry.Element(Command + "examples")!.Elements(Command + "example").ToList();
        Assert.Equal("-------------------------- Example 1: One thing --------------------------", examples[0].Element(Maml + "title")!.Value);
        Assert.Equal("Get-Thing -Tag blue |\n    Format-List", examples[1].Element(Dev + "code")!.Value);
        Assert.Equal("Gets web.", examples[0].Element(Dev + "remarks")!.Value);

        // Get-Help -Online opens the first link: the front matter's online version.
        var links = Entry.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink")
            .Select(link => (link.Element(Maml + "linkText")!.Value, link.Element(Maml + "uri")!.Value));
        Assert.Equal([("Online Version:", "https://example.com/get-thing"), ("Set-Thing", ""), ("Things online", "https://example.com/things")], links);
    }
}
