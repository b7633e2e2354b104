using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

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
        var problems = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cmdlet in cmdlets)
        {
            names.Add(cmdlet.CommandName);
            var found = entries[cmdlet.CommandName].ToList();
            if (found.Count == 1)
            {
                problems.AddRange(EntryProblems(found[0], cmdlet).Select(problem => $"help for {cmdlet.CommandName}: {problem}"));
            }
            else
            {
                problems.Add($"help for {cmdlet.CommandName}: {found.Count} command entries, expected 1");
            }
        }

        problems.AddRange(entries.Where(entry => !names.Contains(entry.Key)).Select(entry => $"help describes '{entry.Key}', which the module does not define"));
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
        foreach (var parameter in cmdlet.Parameters.Where(parameter => !described.Contains(parameter)))
        {
            yield return $"parameter -{parameter} has no description";
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
