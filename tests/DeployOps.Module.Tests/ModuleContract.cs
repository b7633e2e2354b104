using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using DeployOps.HelpCompiler;

namespace DeployOps.Module.Tests;

/// <summary>
/// The rules a laid-out DeployOps module must keep. Each check returns the problems it finds, one
/// readable line each (empty when all is well), so a failing test names every offender at once and
/// the unit tests can feed each check hand-made sets and XML.
/// </summary>
public static class ModuleContract
{
    public const string CommandsNamespace = "DeployOps.Commands";

    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    /// <summary>CmdletsToExport must name exactly the cmdlets the assembly defines.</summary>
    public static IReadOnlyList<string> ExportProblems(IEnumerable<string> cmdletsToExport, IEnumerable<string> definedCmdlets)
    {
        var listed = cmdletsToExport.ToHashSet(StringComparer.Ordinal);
        var defined = definedCmdlets.ToHashSet(StringComparer.Ordinal);
        return listed.Except(defined).Select(name => $"CmdletsToExport lists '{name}', which bin/DeployOps.dll does not define")
            .Concat(defined.Except(listed).Select(name => $"bin/DeployOps.dll defines '{name}', which CmdletsToExport does not list"))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>public sealed, in DeployOps.Commands, named VerbNounCommand, approved verb, [OutputType].</summary>
    public static IReadOnlyList<string> ClassProblems(CmdletClass cmdlet)
    {
        var problems = new List<string>();
        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add($"{cmdlet.FullName} ({cmdlet.CommandName}): {problem}");
            }
        }

        Check(cmdlet.IsPublic, "is not public");
        Check(cmdlet.IsSealed, "is not sealed");
        Check(cmdlet.Namespace == CommandsNamespace, $"is not in namespace {CommandsNamespace}");
        Check(cmdlet.ClassName == $"{cmdlet.Verb}{cmdlet.Noun}Command", $"is not named {cmdlet.Verb}{cmdlet.Noun}Command");
        Check(ApprovedVerbs.All.Contains(cmdlet.Verb), $"'{cmdlet.Verb}' is not an approved verb");
        Check(cmdlet.OutputTypes.Count > 0, "has no [OutputType]");
        return problems;
    }

    /// <summary>
    /// MAML help that PowerShell will load (helpItems root with schema="maml") with exactly one entry
    /// per cmdlet: synopsis, description, an example with code, every parameter described; and no entry
    /// for a command the module does not have.
    /// </summary>
    public static IReadOnlyList<string> HelpProblems(XDocument help, IEnumerable<CmdletClass> cmdlets)
    {
        var root = help.Root!;
        if (root.Name.LocalName != "helpItems" || (string?)root.Attribute("schema") != "maml")
        {
            return ["the help file's root must be <helpItems schema=\"maml\">: PowerShell ignores it otherwise"];
        }

        var entries = root.Elements(Command + "command").ToLookup(entry => Text(entry.Element(Command + "details")?.Element(Command + "name")));
        return OneEach(entries, cmdlets, EntryProblems, name => $"help for {name}", "command entries", name => $"help describes '{name}', which the module does not define");
    }

    /// <summary>
    /// Pairs help entries with the cmdlets by command name: the problems of each cmdlet's one entry (prefixed with
    /// <paramref name="about"/>), a line for a cmdlet with none or several, and one for each entry of a command the
    /// module does not define.
    /// </summary>
    private static IReadOnlyList<string> OneEach<T>(
        ILookup<string, T> entries,
        IEnumerable<CmdletClass> cmdlets,
        Func<T, CmdletClass, IEnumerable<string>> problemsOf,
        Func<string, string> about,
        string entriesNoun,
        Func<string, string> stray)
    {
        var problems = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cmdlet in cmdlets)
        {
            names.Add(cmdlet.CommandName);
            var found = entries[cmdlet.CommandName].ToList();
            if (found.Count == 1)
            {
                problems.AddRange(problemsOf(found[0], cmdlet).Select(problem => $"{about(cmdlet.CommandName)}: {problem}"));
            }
            else
            {
                problems.Add($"{about(cmdlet.CommandName)}: {found.Count} {entriesNoun}, expected 1");
            }
        }

        problems.AddRange(entries.Where(entry => !names.Contains(entry.Key)).Select(entry => stray(entry.Key)));
        return problems;
    }

    private static IEnumerable<string> EntryProblems(XElement entry, CmdletClass cmdlet)
    {
        if (Text(entry.Element(Command + "details")?.Element(Maml + "description")) == "")
        {
            yield return "no synopsis (command:details/maml:description)";
        }

        if (Text(entry.Element(Maml + "description")) == "")
        {
            yield return "no description (maml:description)";
        }

        var examples = entry.Element(Command + "examples")?.Elements(Command + "example") ?? [];
        if (!examples.Any(example => Text(example.Element(Dev + "code")) != ""))
        {
            yield return "no example with code (command:example/dev:code)";
        }

        var described = (entry.Element(Command + "parameters")?.Elements(Command + "parameter") ?? [])
            .Where(parameter => Text(parameter.Element(Maml + "description")) != "")
            .Select(parameter => Text(parameter.Element(Maml + "name")))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in cmdlet.ParameterNames.Where(parameter => !described.Contains(parameter)))
        {
            yield return $"parameter -{parameter} has no description";
        }
    }

    /// <summary>Examples a cmdlet's help must have at least.</summary>
    public const int MinimumExamples = 2;

    /// <summary>
    /// The help sources (docs/help/Verb-Noun.md) against the cmdlet classes: one source per cmdlet and none for a command
    /// the module does not define; every parameter documented and no other; each parameter's type, aliases and, set by
    /// set, whether it is required, its position and its pipeline input as the class declares them; the parameter sets
    /// and the default one; at least <see cref="MinimumExamples"/> examples.
    /// </summary>
    public static IReadOnlyList<string> HelpSourceProblems(IEnumerable<CommandHelp> help, IEnumerable<CmdletClass> cmdlets)
    {
        var sources = help.ToLookup(command => command.Name, StringComparer.Ordinal);
        return OneEach(sources, cmdlets, SourceProblems, name => $"docs/help/{name}.md", "help sources", name => $"docs/help/{name}.md documents '{name}', which the module does not define");
    }

    private static IEnumerable<string> SourceProblems(CommandHelp help, CmdletClass cmdlet)
    {
        if (help.Examples.Count < MinimumExamples)
        {
            yield return $"{help.Examples.Count} example(s); every cmdlet needs at least {MinimumExamples}";
        }

        var helpSets = help.ParameterSets.Order(StringComparer.Ordinal).ToList();
        var classSets = cmdlet.ParameterSets.Order(StringComparer.Ordinal).ToList();
        if (!helpSets.SequenceEqual(classSets))
        {
            yield return $"the parameter sets are {string.Join(", ", helpSets)}; the cmdlet's are {string.Join(", ", classSets)}";
            yield break;
        }

        var defaultSet = help.Syntax.FirstOrDefault(syntax => syntax.IsDefault)?.ParameterSet;
        if (classSets.Count > 1 && defaultSet != cmdlet.DefaultParameterSet)
        {
            yield return $"the SYNTAX marks '{defaultSet}' (Default); the cmdlet's DefaultParameterSetName is '{cmdlet.DefaultParameterSet}'";
        }

        var documented = help.Parameters.ToDictionary(parameter => parameter.Name, StringComparer.Ordinal);
        foreach (var parameter in cmdlet.Parameters)
        {
            if (!documented.Remove(parameter.Name, out var described))
            {
                yield return $"-{parameter.Name} is not documented";
                continue;
            }

            foreach (var problem in ParameterProblems(described, parameter, classSets))
            {
                yield return $"-{parameter.Name}: {problem}";
            }
        }

        foreach (var stray in documented.Keys)
        {
            yield return $"-{stray} is documented, but the cmdlet has no such parameter";
        }
    }

    private static IEnumerable<string> ParameterProblems(ParameterHelp described, CmdletParameter parameter, IReadOnlyList<string> sets)
    {
        if (described.Type != parameter.TypeName)
        {
            yield return $"Type is {described.Type}; the cmdlet's is {parameter.TypeName}";
        }

        if (!described.Aliases.Order(StringComparer.Ordinal).SequenceEqual(parameter.Aliases.Order(StringComparer.Ordinal)))
        {
            yield return $"Aliases are '{string.Join(", ", described.Aliases)}'; the cmdlet's are '{string.Join(", ", parameter.Aliases)}'";
        }

        foreach (var set in sets)
        {
            var written = described.MetadataIn(set);
            var declared = parameter.In(set);
            if (written is null || declared is null)
            {
                if (written is not null || declared is not null)
                {
                    yield return written is null
                        ? $"the cmdlet has it in parameter set {set}, the help does not"
                        : $"the help has it in parameter set {set}, the cmdlet does not";
                }

                continue;
            }

            var pipelineInput = new PipelineInput(declared.ValueFromPipeline, declared.ValueFromPipelineByPropertyName);
            if (written.Required != declared.Mandatory)
            {
                yield return $"in set {set}, Required is {written.Required}; the cmdlet says Mandatory = {declared.Mandatory}";
            }

            if (written.Position != declared.Position)
            {
                yield return $"in set {set}, Position is {written.Position?.ToString() ?? "Named"}; the cmdlet's is {declared.Position?.ToString() ?? "Named"}";
            }

            if (written.PipelineInput != pipelineInput)
            {
                yield return $"in set {set}, Accept pipeline input is {written.PipelineInput}; the cmdlet's is {pipelineInput}";
            }
        }
    }

    /// <summary>The TypeName of every view in a format file (root must be &lt;Configuration&gt;).</summary>
    public static IReadOnlyList<string> ViewTypeNames(XDocument format)
    {
        if (format.Root!.Name.LocalName != "Configuration")
        {
            throw new FormatException($"a format file's root is <Configuration>, not <{format.Root.Name.LocalName}>");
        }

        return format.Root.Elements("ViewDefinitions").Elements("View")
            .Elements("ViewSelectedBy").Elements("TypeName")
            .Select(Text)
            .ToList();
    }

    /// <summary>Every view shows a public engine type; every [OutputType] of every cmdlet has a view.</summary>
    public static IReadOnlyList<string> FormatProblems(IEnumerable<string> viewTypeNames, IReadOnlySet<string> publicEngineTypes, IEnumerable<CmdletClass> cmdlets)
    {
        var views = viewTypeNames.ToHashSet(StringComparer.Ordinal);
        return views.Where(view => !publicEngineTypes.Contains(view))
            .Select(view => $"a format view selects '{view}', which is not a public type of DeployOps.Engine.dll")
            .Concat(cmdlets.SelectMany(cmdlet => cmdlet.OutputTypes
                .Where(type => !views.Contains(type))
                .Select(type => $"{cmdlet.CommandName} outputs '{type}', which has no format view")))
            .Distinct()
            .ToList();
    }

    private static string Text(XElement? element) => element?.Value.Trim() ?? "";
}
