using System;
using System.Collections.Generic;
using System.Linq;

namespace DeployOps.HelpCompiler;

/// <summary>The help of one cmdlet, as its Markdown file (docs/help/Verb-Noun.md, platyPS's layout) says it.</summary>
public sealed record CommandHelp(
    string SourcePath,
    string Name,
    string? OnlineVersion,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<SyntaxHelp> Syntax,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<LinkHelp> RelatedLinks)
{
    public string Verb => Name.Split('-')[0];

    public string Noun => Name.Substring(Name.IndexOf('-') + 1);

    /// <summary>
    /// The parameter sets the help names, in the order of the SYNTAX section; a cmdlet whose parameters name no set
    /// has the one set <see cref="ParameterMetadata.AllSets"/>.
    /// </summary>
    public IReadOnlyList<string> ParameterSets
    {
        get
        {
            var named = Syntax.Select(syntax => syntax.ParameterSet)
                .Concat(Parameters.SelectMany(parameter => parameter.Metadata).SelectMany(metadata => metadata.ParameterSets))
                .Where(set => set != ParameterMetadata.AllSets)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            return named.Count == 0 ? [ParameterMetadata.AllSets] : named;
        }
    }

    /// <summary>The parameters of one set, each with its metadata in that set, positional ones first (by position).</summary>
    public IReadOnlyList<(ParameterHelp Parameter, ParameterMetadata Metadata)> ParametersOf(string parameterSet) =>
        Parameters
            .Select(parameter => (Parameter: parameter, Metadata: parameter.MetadataIn(parameterSet)))
            .Where(pair => pair.Metadata is not null)
            .Select(pair => (pair.Parameter, pair.Metadata!))
            .OrderBy(pair => pair.Item2.Position ?? int.MaxValue)
            .ToList();
}

/// <summary>One fenced block of the SYNTAX section; <see cref="ParameterSet"/> is the ### heading above it.</summary>
public sealed record SyntaxHelp(string ParameterSet, bool IsDefault, string Text, int Line);

/// <summary>One example: its title (after "Example N: "), its code and the text that explains it.</summary>
public sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks, int Line);

/// <summary>One ### -Name of the PARAMETERS section: its text and one metadata block per group of parameter sets.</summary>
public sealed record ParameterHelp(string Name, IReadOnlyList<string> Description, IReadOnlyList<ParameterMetadata> Metadata, int Line)
{
    public string Type => Metadata[0].Type;

    public IReadOnlyList<string> Aliases => Metadata[0].Aliases;

    public bool IsSwitch => Type == "SwitchParameter";

    /// <summary>The metadata that applies in <paramref name="parameterSet"/>, or null when the parameter is not in it.</summary>
    public ParameterMetadata? MetadataIn(string parameterSet) =>
        Metadata.FirstOrDefault(metadata => metadata.ParameterSets.Contains(parameterSet, StringComparer.Ordinal))
        ?? Metadata.FirstOrDefault(metadata => metadata.ParameterSets.Contains(ParameterMetadata.AllSets, StringComparer.Ordinal));
}

/// <summary>One ```yaml block of a parameter, in platyPS's keys.</summary>
public sealed record ParameterMetadata(
    string Type,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<string> Aliases,
    bool Required,
    int? Position,
    string DefaultValue,
    PipelineInput PipelineInput,
    bool AcceptsWildcards,
    int Line)
{
    /// <summary>platyPS's name for "every parameter set".</summary>
    public const string AllSets = "(All)";
}

/// <summary>How a parameter binds from the pipeline, written as PowerShell's help writes it: "True (ByValue, ByPropertyName)".</summary>
public readonly record struct PipelineInput(bool ByValue, bool ByPropertyName)
{
    public static readonly PipelineInput None = new(false, false);

    private static readonly Dictionary<string, PipelineInput> Spellings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["False"] = None,
        ["True (ByValue)"] = new(true, false),
        ["True (ByPropertyName)"] = new(false, true),
        ["True (ByValue, ByPropertyName)"] = new(true, true),
    };

    /// <summary>The spellings <see cref="TryParse"/> accepts, for error messages.</summary>
    public static IEnumerable<string> KnownSpellings => Spellings.Keys;

    public static bool TryParse(string text, out PipelineInput input) => Spellings.TryGetValue(text.Trim(), out input);

    public override string ToString()
    {
        var input = this;
        return Spellings.First(spelling => spelling.Value == input).Key;
    }
}

/// <summary>A ### type of INPUTS or OUTPUTS and the text under it.</summary>
public sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description);

/// <summary>A RELATED LINKS entry; <see cref="Uri"/> only for absolute web addresses (a link to another .md file has none).</summary>
public sealed record LinkHelp(string Text, string? Uri);
