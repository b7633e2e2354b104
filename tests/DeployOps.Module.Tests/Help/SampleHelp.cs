using System.Collections.Generic;
using System.Linq;
using DeployOps.HelpCompiler;

namespace DeployOps.Module.Tests.Help;

/// <summary>
/// A help source in platyPS's layout for an imaginary Get-Thing with two parameter sets, and the cmdlet class it
/// documents, for the reader, writer and contract tests. Tests change one thing in either and look for the one problem.
/// </summary>
public static class SampleHelp
{
    public const string HelpFileName = "DeployOps.dll-Help.xml";

    public const string Path = "docs/help/Get-Thing.md";

    public const string Markdown = """
        ---
        external help file: DeployOps.dll-Help.xml
        Module Name: DeployOps
        online version: https://example.com/get-thing
        schema: 2.0.0
        ---

        # Get-Thing

        ## SYNOPSIS

        Gets `things`.

        ## SYNTAX

        ### ByName (Default)

        ```
        Get-Thing [-Name] <String> [-Force] [-Region <String>] [<CommonParameters>]
        ```

        ### ByTag

        ```
        Get-Thing -Tag <String[]> [-Name <String>] [-Region <String>] [<CommonParameters>]
        ```

        ## DESCRIPTION

        Gets every thing of a **deployment**; see [the runbook](https://example.com/runbook).
        It reads AWS_ENDPOINT_URL_<SERVICE>.

        - first point
        - second point

        ## EXAMPLES

        ### Example 1: One thing

        ```powershell
        Get-Thing -Name web
        ```

        Gets web.

        ### Example 2: Tagged things

        ```powershell
        Get-Thing -Tag blue |
            Format-List
        ```

        ## PARAMETERS

        ### -Name

        The name.

        ```yaml
        Type: String
        Parameter Sets: ByName
        Aliases: ThingName, N

        Required: True
        Position: 0
        Default value: None
        Accept pipeline input: True (ByValue, ByPropertyName)
        Accept wildcard characters: False
        ```

        ```yaml
        Type: String
        Parameter Sets: ByTag
        Aliases: ThingName, N

        Required: False
        Position: Named
        Default value: None
        Accept pipeline input: True (ByPropertyName)
        Accept wildcard characters: False
        ```

        ### -Tag

        The tags.

        ```yaml
        Type: String[]
        Parameter Sets: ByTag
        Aliases:

        Required: True
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: True
        ```

        ### -Force

        Without asking.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: ByName
        Aliases:

        Required: False
        Position: Named
        Default value: False
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Region

        The region.

        ```yaml
        Type: String
        Parameter Sets: (All)
        Aliases:

        Required: False
        Position: Named
        Default value: None
        Accept pipeline input: True (ByPropertyName)
        Accept wildcard characters: False
        ```

        ### CommonParameters

        This cmdlet supports the common parameters.

        ## INPUTS

        ### System.String

        Names.

        ## OUTPUTS

        ### DeployOps.ThingReport

        One per thing.

        ## NOTES

        Reads only.

        ## RELATED LINKS

        [Set-Thing](Set-Thing.md)

        [Things online](https://example.com/things)
        """;

    /// <summary>The class the sample documents, as <see cref="AssemblyReader"/> would describe it.</summary>
    public static readonly CmdletClass Cmdlet = new(
        "DeployOps.Commands", "GetThingCommand", IsPublic: true, IsSealed: true, "Get", "Thing",
        OutputTypes: ["DeployOps.ThingReport"],
        Parameters:
        [
            new("Name", "String", ["ThingName", "N"], [new("ByName", true, 0, true, true), new("ByTag", false, null, false, true)]),
            new("Tag", "String[]", [], [new("ByTag", true, null, false, false)]),
            new("Force", "SwitchParameter", [], [new("ByName", false, null, false, false)]),
            new("Region", "String", [], [new(CmdletParameter.AllSets, false, null, false, true)]),
        ],
        DefaultParameterSet: "ByName");

    /// <summary>The sample (or a changed copy) read; the errors it has, if any.</summary>
    public static (CommandHelp? Help, List<HelpError> Errors) Read(string markdown = Markdown)
    {
        var errors = new List<HelpError>();
        return (HelpMarkdownReader.Read(Path, markdown, HelpFileName, errors), errors);
    }

    /// <summary>The sample read; it has no mistake.</summary>
    public static CommandHelp Help => Read().Help!;

    /// <summary>The sample with <paramref name="original"/> (which must occur) replaced.</summary>
    public static string Changed(string original, string replacement) =>
        Markdown.Contains(original) ? Markdown.Replace(original, replacement) : throw new KeyNotFoundException($"the sample has no '{original}'");

    /// <summary>The sample cmdlet with one parameter replaced (or added).</summary>
    public static CmdletClass CmdletWith(CmdletParameter parameter) =>
        Cmdlet with { Parameters = [.. Cmdlet.Parameters.Where(other => other.Name != parameter.Name), parameter] };

    public static CmdletParameter Parameter(string name) => Cmdlet.Parameters.Single(parameter => parameter.Name == name);
}
