using System.Linq;
using DeployOps.HelpCompiler;
using Xunit;

namespace DeployOps.Module.Tests.Help;

/// <summary>The Markdown reader on <see cref="SampleHelp"/>: what it reads, and each layout rule seen to fail.</summary>
public class HelpMarkdownReaderTests
{
    [Fact]
    public void TheSampleHasNoMistake() => Assert.Empty(SampleHelp.Read().Errors);

    [Fact]
    public void ReadsTheTextSectionsAsPlainParagraphs()
    {
        var help = SampleHelp.Help;
        Assert.Equal(("Get-Thing", "Get", "Thing", "https://example.com/get-thing"), (help.Name, help.Verb, help.Noun, help.OnlineVersion));
        Assert.Equal("Gets things.", help.Synopsis);
        Assert.Equal(
            [
                "Gets every thing of a deployment; see the runbook (https://example.com/runbook). It reads AWS_ENDPOINT_URL_<SERVICE>.",
                "- first point",
                "- second point",
            ],
            help.Description);
        Assert.Equal(["Reads only."], help.Notes);
        Assert.Equal(("System.String", "Names."), (Assert.Single(help.Inputs).TypeName, Assert.Single(help.Inputs[0].Description)));
        Assert.Equal(("DeployOps.ThingReport", "One per thing."), (Assert.Single(help.Outputs).TypeName, Assert.Single(help.Outputs[0].Description)));
        Assert.Equal([new LinkHelp("Set-Thing", null), new LinkHelp("Things online", "https://example.com/things")], help.RelatedLinks);
    }

    [Fact]
    public void ReadsExamplesWithTheirCodeAndRemarks()
    {
        var examples = SampleHelp.Help.Examples;
        Assert.Equal(["Example 1: One thing", "Example 2: Tagged things"], examples.Select(example => example.Title));
        Assert.Equal(["Get-Thing -Name web", "Get-Thing -Tag blue |\n    Format-List"], examples.Select(example => example.Code));
        Assert.Equal([["Gets web."], []], examples.Select(example => example.Remarks));
    }

    [Fact]
    public void ReadsParameterMetadataSetBySet()
    {
        var help = SampleHelp.Help;
        Assert.Equal(["ByName", "ByTag"], help.ParameterSets);
        Assert.Equal(["ByName", "ByTag"], help.Syntax.Select(syntax => syntax.ParameterSet));
        Assert.Equal([true, false], help.Syntax.Select(syntax => syntax.IsDefault));

        var name = help.Parameters[0];
        Assert.Equal(("Name", "String", false), (name.Name, name.Type, name.IsSwitch));
        Assert.Equal(["ThingName", "N"], name.Aliases);
        Assert.Equal((true, (int?)0, new PipelineInput(true, true)), (name.MetadataIn("ByName")!.Required, name.MetadataIn("ByName")!.Position, name.MetadataIn("ByName")!.PipelineInput));
        Assert.Equal((false, (int?)null, new PipelineInput(false, true)), (name.MetadataIn("ByTag")!.Required, name.MetadataIn("ByTag")!.Position, name.MetadataIn("ByTag")!.PipelineInput));

        var tag = help.Parameters[1];
        Assert.Null(tag.MetadataIn("ByName"));
        Assert.True(tag.MetadataIn("ByTag")!.AcceptsWildcards);
        Assert.True(help.Parameters[2].IsSwitch);
        Assert.Equal("False", help.Parameters[2].Metadata[0].DefaultValue);
        Assert.NotNull(help.Parameters[3].MetadataIn("ByTag"));
        Assert.Equal(["Name", "Force", "Region"], help.ParametersOf("ByName").Select(pair => pair.Parameter.Name));
    }

    [Theory]
    [InlineData("---\nexternal help file", "external help file", "no YAML front matter")]
    [InlineData("external help file: DeployOps.dll-Help.xml", "external help file: Other.dll-Help.xml", "'external help file' is 'Other.dll-Help.xml'; the build writes DeployOps.dll-Help.xml")]
    [InlineData("schema: 2.0.0", "schema: 1.0.0", "'schema' is '1.0.0'; expected 2.0.0")]
    [InlineData("online version: https://example.com/get-thing", "online version: get-thing", "'online version' is 'get-thing'")]
    [InlineData("Module Name: DeployOps", "Module Name: DeployOps\nOwner: me", "unknown Owner")]
    [InlineData("# Get-Thing", "# Get-Things", "the title must be the cmdlet's Verb-Noun name")]
    [InlineData("## NOTES", "## NOTE", "the sections must be ## SYNOPSIS, ## SYNTAX")]
    [InlineData("## SYNOPSIS\n\nGets `things`.", "## SYNOPSIS", "the SYNOPSIS is empty")]
    [InlineData("## DESCRIPTION\n", "## DESCRIPTION\n\n```\ncode\n```\n", "a fencedcode block is not allowed here")]
    [InlineData("Get-Thing [-Name] <String> [-Force]", "Get-Thing [-Name] <String>", "the syntax does not match the parameters (missing [-Force]); expected: Get-Thing [-Name] <String> [-Force] [-Region <String>] [<CommonParameters>]")]
    [InlineData("Get-Thing [-Name] <String> [-Force]", "Get-Thing [-Name] <String> [-Force] [-Tag <String[]>]", "not in the PARAMETERS section's metadata for this set [-Tag <String[]>]")]
    [InlineData("Get-Thing [-Name] <String> [-Force]", "Get-Thing -Name <String> [-Force]", "missing [-Name] <String>")]
    [InlineData("Get-Thing [-Name] <String> [-Force]", "Get-Thing [-Name] <String> (-Force)", "the syntax has text that is no parameter element")]
    [InlineData("[-Region <String>] [<CommonParameters>]\n```\n\n### ByTag", "[-Region <String>]\n```\n\n### ByTag", "the syntax must start with 'Get-Thing' and end with '[<CommonParameters>]'")]
    [InlineData("### ByName (Default)", "### ByName", "exactly one parameter set heading must say (Default)")]
    [InlineData("### ByTag\n\n```\nGet-Thing -Tag <String[]> [-Name <String>] [-Region <String>] [<CommonParameters>]\n```\n", "", "parameter set 'ByTag' (named in PARAMETERS) has no SYNTAX block")]
    [InlineData("### Example 2: Tagged things", "### Second example", "'### Second example': an example heading is '### Example N: what it does'")]
    [InlineData("```powershell\nGet-Thing -Name web\n```", "```\nGet-Thing -Name web\n```", "'### Example 1: One thing' needs its code in ```powershell blocks")]
    [InlineData("### -Tag\n\nThe tags.", "### -Tag", "-Tag has no description")]
    [InlineData("### -Force", "### Force", "'### Force': a parameter heading is '### -Name'")]
    [InlineData("### -Force", "### -Region", "-Region is described twice")]
    [InlineData("### CommonParameters", "### Common", "PARAMETERS must end with '### CommonParameters'")]
    [InlineData("## PARAMETERS\n", "## PARAMETERS\n\nAll of them.\n", "text before the first ### heading of PARAMETERS")]
    [InlineData("Type: String[]", "Type:", "'Type' is empty")]
    [InlineData("Type: SwitchParameter", "Type: Boolean", "missing [-Force <Boolean>]")]
    [InlineData("Position: 0", "Position: first", "'Position: first': expected Named or a number from 0")]
    [InlineData("Required: True\nPosition: 0", "Required: yes\nPosition: 0", "'Required: yes': expected True or False")]
    [InlineData("Accept pipeline input: True (ByValue, ByPropertyName)", "Accept pipeline input: True", "'Accept pipeline input: True': expected one of False, True (ByValue), True (ByPropertyName), True (ByValue, ByPropertyName)")]
    [InlineData("Accept wildcard characters: True", "Accepted values: a, b", "the YAML must have exactly the keys Type, Parameter Sets, Aliases, Required, Position, Default value, Accept pipeline input, Accept wildcard characters; missing Accept wildcard characters; unknown Accepted values")]
    [InlineData("Parameter Sets: (All)", "Parameter Sets:", "'Parameter Sets' is empty; write (All) for every set")]
    [InlineData("Parameter Sets: (All)", "Parameter Sets: (All), ByTag", "'Parameter Sets: (All)' cannot be combined with named sets")]
    [InlineData("Type: String\nParameter Sets: ByTag", "Type: Object\nParameter Sets: ByTag", "-Name: its ```yaml blocks give different types")]
    [InlineData("Parameter Sets: ByTag\nAliases: ThingName, N", "Parameter Sets: ByTag\nAliases: N", "-Name: its ```yaml blocks give different aliases")]
    [InlineData("Parameter Sets: ByTag\nAliases: ThingName, N", "Parameter Sets: ByName\nAliases: ThingName, N", "-Name: a parameter set is named in two of its ```yaml blocks")]
    [InlineData("Aliases: ThingName, N\n\nRequired: True", "Aliases: [ThingName", "not valid YAML")]
    [InlineData("[Set-Thing](Set-Thing.md)", "- [Set-Thing](Set-Thing.md)", "RELATED LINKS holds one paragraph per link")]
    public void EachLayoutRuleIsEnforced(string original, string replacement, string expected)
    {
        var (help, errors) = SampleHelp.Read(SampleHelp.Changed(original, replacement));
        Assert.Null(help);
        Assert.Contains(errors, error => error.Message.Contains(expected));
        Assert.All(errors, error => Assert.Equal(SampleHelp.Path, error.Path));
    }

    [Fact]
    public void AnErrorNamesTheLineOfItsBlockAsMsBuildReadsIt()
    {
        var markdown = SampleHelp.Changed("Position: 0", "Position: first");
        var line = markdown.Split('\n').TakeWhile(text => !text.StartsWith("Type: String")).Count();
        var error = Assert.Single(SampleHelp.Read(markdown).Errors);
        Assert.Equal(line, error.Line);
        Assert.Equal($"{SampleHelp.Path}({line}): error DOHELP: 'Position: first': expected Named or a number from 0", error.ToString());
    }

    [Fact]
    public void ACmdletWithOneParameterSetHasOneSyntaxBlockWithoutHeading()
    {
        var markdown = SampleHelp.Changed(
            "### ByName (Default)\n\n```\nGet-Thing [-Name] <String> [-Force] [-Region <String>] [<CommonParameters>]\n```\n\n### ByTag\n\n```\nGet-Thing -Tag <String[]> [-Name <String>] [-Region <String>] [<CommonParameters>]\n```\n",
            "```\nGet-Thing [-Region <String>] [<CommonParameters>]\n```\n");
        var start = markdown.IndexOf("### -Name");
        markdown = markdown.Remove(start, markdown.IndexOf("### -Region") - start);
        var (help, errors) = SampleHelp.Read(markdown);
        Assert.Empty(errors);
        Assert.Equal([ParameterMetadata.AllSets], help!.ParameterSets);
        Assert.Equal("Get-Thing [-Region <String>] [<CommonParameters>]", SyntaxLine.Render(help, ParameterMetadata.AllSets));
    }
}
