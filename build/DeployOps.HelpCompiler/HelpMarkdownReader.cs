using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace DeployOps.HelpCompiler;

/// <summary>A mistake in a help source, at a line (1-based), written as MSBuild and editors read errors.</summary>
public sealed record HelpError(string Path, int Line, string Message)
{
    public override string ToString() => $"{Path}({Line}): error DOHELP: {Message}";
}

/// <summary>What a folder of help sources holds: the commands that read well, and every mistake found.</summary>
public sealed record HelpSources(IReadOnlyList<CommandHelp> Commands, IReadOnlyList<HelpError> Errors);

/// <summary>
/// Reads cmdlet help written in Markdown in platyPS's layout (schema 2.0.0): YAML front matter, <c># Verb-Noun</c>, then
/// the sections SYNOPSIS, SYNTAX, DESCRIPTION, EXAMPLES, PARAMETERS, INPUTS, OUTPUTS, NOTES and RELATED LINKS in that
/// order. Every departure from the layout is an error naming the file, the line and what was expected.
/// </summary>
public static partial class HelpMarkdownReader
{
    public const string Schema = "2.0.0";

    /// <summary>The file that explains the folder; every other .md file is one cmdlet's help.</summary>
    public const string ReadmeFile = "README.md";

    public static readonly string[] Sections =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    public static readonly string[] FrontMatterKeys = ["external help file", "Module Name", "online version", "schema"];

    public static readonly string[] MetadataKeys =
    [
        "Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input",
        "Accept wildcard characters",
    ];

    private const string CommonParametersHeading = "CommonParameters";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();
    private static readonly IDeserializer Yaml = new DeserializerBuilder().Build();

    /// <summary>Every cmdlet help file of <paramref name="folder"/>, in file-name order.</summary>
    public static HelpSources ReadFolder(string folder, string helpFileName)
    {
        var errors = new List<HelpError>();
        var commands = Directory.GetFiles(folder, "*.md")
            .Where(path => !string.Equals(Path.GetFileName(path), ReadmeFile, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(path => Read(path, File.ReadAllText(path), helpFileName, errors))
            .OfType<CommandHelp>()
            .ToList();
        return new HelpSources(commands, errors);
    }

    /// <summary>One help file; null, with its mistakes added to <paramref name="errors"/>, when it has any.</summary>
    public static CommandHelp? Read(string path, string markdown, string helpFileName, List<HelpError> errors)
    {
        var file = new FileReader(path, errors);
        var before = errors.Count;
        var help = file.Read(Markdown.Parse(markdown, Pipeline), helpFileName);
        return errors.Count == before ? help : null;
    }

    [GeneratedRegex(@"^[A-Z][A-Za-z]+-[A-Z][A-Za-z0-9]+$")]
    private static partial Regex CommandNamePattern();

    [GeneratedRegex(@"^Example \d+(: (?<title>.+))?$")]
    private static partial Regex ExampleHeadingPattern();

    [GeneratedRegex(@"^(?<set>[\w-]+)( \((?<default>Default)\))?$")]
    private static partial Regex SyntaxHeadingPattern();

    private sealed class FileReader(string path, List<HelpError> errors)
    {
        private static readonly string[] NoStrings = [];

        public CommandHelp? Read(MarkdownDocument document, string helpFileName)
        {
            var blocks = document.ToList();
            var onlineVersion = FrontMatter(blocks, helpFileName);
            var title = blocks.OfType<HeadingBlock>().FirstOrDefault(heading => heading.Level == 1);
            var name = Path.GetFileNameWithoutExtension(path);
            if (title is null)
            {
                Error(1, $"no '# {name}' title");
                return null;
            }

            if (PlainText.Of(title) != name || !CommandNamePattern().IsMatch(name))
            {
                Error(title, $"the title must be the cmdlet's Verb-Noun name and the file must be named after it: '# {PlainText.Of(title)}' in {Path.GetFileName(path)}");
            }

            foreach (var stray in blocks.Take(blocks.IndexOf(title)).Where(block => block is not YamlFrontMatterBlock))
            {
                Error(stray, "text before the title");
            }

            var sections = Headed(new Section("", Line(title), blocks.Skip(blocks.IndexOf(title) + 1).ToList()), 2);
            var found = sections.Select(section => section.Title).ToList();
            if (!found.SequenceEqual(Sections, StringComparer.Ordinal))
            {
                Error(title, $"the sections must be {string.Join(", ", Sections.Select(s => "## " + s))} in this order; found {(found.Count == 0 ? "none" : string.Join(", ", found.Select(s => "## " + s)))}");
                return null;
            }

            var errorsBefore = errors.Count;
            var parameters = Parameters(sections[4]);
            var parametersRead = errors.Count == errorsBefore;
            var help = new CommandHelp(
                path,
                name,
                onlineVersion,
                string.Join(" ", Text(sections[0])),
                Text(sections[2]),
                Syntax(sections[1]),
                Examples(sections[3]),
                parameters,
                Types(sections[5]),
                Types(sections[6]),
                Text(sections[7]),
                Links(sections[8]));
            if (help.Synopsis == "")
            {
                Error(sections[0].Line, "the SYNOPSIS is empty");
            }

            if (help.Description.Count == 0)
            {
                Error(sections[2].Line, "the DESCRIPTION is empty");
            }

            // A parameter that could not be read would make every syntax line that names it look wrong.
            if (parametersRead)
            {
                CheckSyntaxAgainstParameters(help, sections[1].Line);
            }

            return help;
        }

        private string? FrontMatter(List<Block> blocks, string helpFileName)
        {
            if (blocks.FirstOrDefault() is not YamlFrontMatterBlock frontMatter)
            {
                Error(1, $"no YAML front matter (---, {string.Join(", ", FrontMatterKeys.Select(key => key + ":"))}, ---) at the top");
                return null;
            }

            var values = YamlMap(frontMatter, FrontMatterKeys);
            if (values is null)
            {
                return null;
            }

            if (values["external help file"] != helpFileName)
            {
                Error(frontMatter, $"'external help file' is '{values["external help file"]}'; the build writes {helpFileName}");
            }

            if (string.IsNullOrWhiteSpace(values["Module Name"]))
            {
                Error(frontMatter, "'Module Name' is empty");
            }

            if (values["schema"] != Schema)
            {
                Error(frontMatter, $"'schema' is '{values["schema"]}'; expected {Schema} (platyPS's layout)");
            }

            var online = values["online version"];
            if (!string.IsNullOrWhiteSpace(online) && !PlainText.IsWebAddress(online))
            {
                Error(frontMatter, $"'online version' is '{online}'; expected an http:// or https:// address or nothing");
            }

            return string.IsNullOrWhiteSpace(online) ? null : online;
        }

        private List<SyntaxHelp> Syntax(Section section)
        {
            var syntax = new List<SyntaxHelp>();
            var headed = section.Subsections(3, out _);
            if (headed.Count == 0)
            {
                // One parameter set: a single block and no heading.
                var code = section.Blocks.OfType<FencedCodeBlock>().ToList();
                if (code.Count != 1 || section.Blocks.Count != 1)
                {
                    Error(section.Line, "SYNTAX must hold one ``` block, or a ### heading per parameter set with one ``` block under each");
                    return syntax;
                }

                syntax.Add(new SyntaxHelp(ParameterMetadata.AllSets, true, Code(code[0]), Line(code[0])));
                return syntax;
            }

            foreach (var set in Headed(section, 3))
            {
                var match = SyntaxHeadingPattern().Match(set.Title);
                if (!match.Success || set.Blocks.Count != 1 || set.Blocks[0] is not FencedCodeBlock block)
                {
                    Error(set.Line, $"'### {set.Title}': a parameter set heading is '### SetName' or '### SetName (Default)' with one ``` block under it");
                    continue;
                }

                syntax.Add(new SyntaxHelp(match.Groups["set"].Value, match.Groups["default"].Success, Code(block), Line(block)));
            }

            if (syntax.Count(item => item.IsDefault) != 1)
            {
                Error(section.Line, "exactly one parameter set heading must say (Default)");
            }

            return syntax;
        }

        private List<ExampleHelp> Examples(Section section)
        {
            var examples = new List<ExampleHelp>();
            foreach (var example in Headed(section, 3))
            {
                var match = ExampleHeadingPattern().Match(example.Title);
                var code = example.Blocks.OfType<FencedCodeBlock>().ToList();
                if (!match.Success)
                {
                    Error(example.Line, $"'### {example.Title}': an example heading is '### Example N: what it does'");
                }

                if (code.Count == 0 || code.Any(block => block.Info != "powershell"))
                {
                    Error(example.Line, $"'### {example.Title}' needs its code in ```powershell blocks");
                    continue;
                }

                var number = examples.Count + 1;
                var title = match.Groups["title"].Success ? $"Example {number}: {match.Groups["title"].Value}" : $"Example {number}";
                examples.Add(new ExampleHelp(title, string.Join("\n\n", code.Select(Code)), Text(example.Blocks.Where(block => block is not FencedCodeBlock), example.Line), example.Line));
            }

            return examples;
        }

        private List<ParameterHelp> Parameters(Section section)
        {
            var parameters = new List<ParameterHelp>();
            var entries = Headed(section, 3);
            if (entries.Count == 0 || entries[^1].Title != CommonParametersHeading)
            {
                Error(section.Line, $"PARAMETERS must end with '### {CommonParametersHeading}'");
            }

            foreach (var entry in entries.Where(entry => entry.Title != CommonParametersHeading))
            {
                if (!entry.Title.StartsWith('-') || entry.Title.Length < 2 || entry.Title.Contains(' '))
                {
                    Error(entry.Line, $"'### {entry.Title}': a parameter heading is '### -Name'");
                    continue;
                }

                var name = entry.Title[1..];
                if (parameters.Any(parameter => string.Equals(parameter.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    Error(entry.Line, $"-{name} is described twice");
                    continue;
                }

                var yaml = entry.Blocks.OfType<FencedCodeBlock>().Where(block => block.Info == "yaml").ToList();
                var description = Text(entry.Blocks.Where(block => !yaml.Contains(block)), entry.Line);
                if (description.Count == 0)
                {
                    Error(entry.Line, $"-{name} has no description");
                }

                if (yaml.Count == 0)
                {
                    Error(entry.Line, $"-{name} has no ```yaml block ({string.Join(", ", MetadataKeys)})");
                    continue;
                }

                var metadata = yaml.Select(Metadata).OfType<ParameterMetadata>().ToList();
                if (metadata.Count == yaml.Count && MetadataProblem(metadata) is { } problem)
                {
                    Error(entry.Line, $"-{name}: {problem}");
                }

                if (metadata.Count == yaml.Count)
                {
                    parameters.Add(new ParameterHelp(name, description, metadata, entry.Line));
                }
            }

            return parameters;
        }

        // Blocks of one parameter describe one property: one type, one alias list, and each set at most once.
        private static string? MetadataProblem(List<ParameterMetadata> metadata)
        {
            if (metadata.Select(item => item.Type).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                return "its ```yaml blocks give different types";
            }

            if (metadata.Select(item => string.Join(",", item.Aliases)).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                return "its ```yaml blocks give different aliases";
            }

            var sets = metadata.SelectMany(item => item.ParameterSets).ToList();
            if (sets.Count != sets.Distinct(StringComparer.Ordinal).Count())
            {
                return "a parameter set is named in two of its ```yaml blocks";
            }

            if (sets.Contains(ParameterMetadata.AllSets) && sets.Count > 1)
            {
                return $"'Parameter Sets: {ParameterMetadata.AllSets}' cannot be combined with named sets";
            }

            return null;
        }

        private ParameterMetadata? Metadata(FencedCodeBlock block)
        {
            var values = YamlMap(block, MetadataKeys);
            if (values is null)
            {
                return null;
            }

            var ok = true;
            bool Flag(string key)
            {
                var text = values[key]?.Trim();
                if (string.Equals(text, "True", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                if (!string.Equals(text, "False", StringComparison.OrdinalIgnoreCase))
                {
                    Error(block, $"'{key}: {text}': expected True or False");
                    ok = false;
                }

                return false;
            }

            var type = values["Type"]?.Trim() ?? "";
            if (type == "")
            {
                Error(block, "'Type' is empty");
                ok = false;
            }

            var sets = List(values["Parameter Sets"]);
            if (sets.Length == 0)
            {
                Error(block, $"'Parameter Sets' is empty; write {ParameterMetadata.AllSets} for every set");
                ok = false;
            }

            int? position = null;
            var positionText = values["Position"]?.Trim();
            if (int.TryParse(positionText, out var index) && index >= 0)
            {
                position = index;
            }
            else if (positionText != "Named")
            {
                Error(block, $"'Position: {positionText}': expected Named or a number from 0");
                ok = false;
            }

            if (!PipelineInput.TryParse(values["Accept pipeline input"] ?? "", out var pipelineInput))
            {
                Error(block, $"'Accept pipeline input: {values["Accept pipeline input"]}': expected one of {string.Join(", ", PipelineInput.KnownSpellings)}");
                ok = false;
            }

            var required = Flag("Required");
            var wildcards = Flag("Accept wildcard characters");
            var defaultValue = string.IsNullOrWhiteSpace(values["Default value"]) ? "None" : values["Default value"]!.Trim();
            return ok ? new ParameterMetadata(type, sets, List(values["Aliases"]), required, position, defaultValue, pipelineInput, wildcards, Line(block)) : null;
        }

        private List<TypeHelp> Types(Section section) =>
            Headed(section, 3)
                .Select(type => new TypeHelp(type.Title, Text(type.Blocks, type.Line)))
                .ToList();

        private List<LinkHelp> Links(Section section)
        {
            var links = new List<LinkHelp>();
            foreach (var block in section.Blocks)
            {
                if (block is not ParagraphBlock paragraph)
                {
                    Error(block, "RELATED LINKS holds one paragraph per link: [Text](address) or a command name");
                    continue;
                }

                var link = PlainText.FirstLink(paragraph);
                links.Add(link is null
                    ? new LinkHelp(PlainText.Of(paragraph), null)
                    : new LinkHelp(PlainText.Of(link), PlainText.IsWebAddress(link.Url) ? link.Url : null));
            }

            return links;
        }

        private void CheckSyntaxAgainstParameters(CommandHelp help, int syntaxLine)
        {
            var documented = help.ParameterSets.Where(set => set != ParameterMetadata.AllSets).ToHashSet(StringComparer.Ordinal);
            var written = help.Syntax.Select(syntax => syntax.ParameterSet).Where(set => set != ParameterMetadata.AllSets).ToList();
            foreach (var set in documented.Where(set => !written.Contains(set)))
            {
                Error(syntaxLine, $"parameter set '{set}' (named in PARAMETERS) has no SYNTAX block");
            }

            foreach (var set in written.GroupBy(set => set).Where(group => group.Count() > 1))
            {
                Error(syntaxLine, $"parameter set '{set.Key}' has two SYNTAX blocks");
            }

            foreach (var syntax in help.Syntax.Where(syntax => documented.Count == 0 || syntax.ParameterSet != ParameterMetadata.AllSets))
            {
                if (SyntaxLine.Problem(help, syntax) is { } problem)
                {
                    Error(syntax.Line, problem);
                }
            }
        }

        // A YAML block whose keys are exactly `keys`; null (with the error) otherwise.
        private Dictionary<string, string?>? YamlMap(LeafBlock block, string[] keys)
        {
            Dictionary<string, string?>? values;
            try
            {
                values = Yaml.Deserialize<Dictionary<string, string?>>(block.Lines.ToString());
            }
            catch (YamlException ex)
            {
                Error(Line(block) + (int)ex.Start.Line, $"not valid YAML: {ex.Message}");
                return null;
            }

            values ??= [];
            var missing = keys.Where(key => !values.ContainsKey(key)).ToList();
            var unknown = values.Keys.Where(key => !keys.Contains(key, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0 || unknown.Count > 0)
            {
                Error(block, $"the YAML must have exactly the keys {string.Join(", ", keys)}"
                    + (missing.Count > 0 ? $"; missing {string.Join(", ", missing)}" : "")
                    + (unknown.Count > 0 ? $"; unknown {string.Join(", ", unknown)}" : ""));
                return null;
            }

            return values;
        }

        // Paragraphs and lists as the paragraphs MAML holds (one per list item); nothing else is help text.
        private List<string> Text(Section section) => Text(section.Blocks, section.Line);

        private List<string> Text(IEnumerable<Block> blocks, int line)
        {
            var paragraphs = new List<string>();
            foreach (var block in blocks)
            {
                switch (block)
                {
                    case ParagraphBlock paragraph:
                        paragraphs.Add(PlainText.Of(paragraph));
                        break;
                    case ListBlock list:
                        var number = 1;
                        foreach (var item in list.OfType<ListItemBlock>())
                        {
                            var bullet = list.IsOrdered ? $"{number++}." : "-";
                            paragraphs.Add($"{bullet} {string.Join(" ", Text(item, Line(item)))}");
                        }

                        break;
                    default:
                        Error(block, $"a {block.GetType().Name.Replace("Block", "").ToLowerInvariant()} block is not allowed here (under the heading at line {line}): write paragraphs or lists");
                        break;
                }
            }

            return paragraphs;
        }

        private static string Code(FencedCodeBlock block) => block.Lines.ToString().TrimEnd();

        private static int Line(Block block) => block.Line + 1;

        private void Error(Block block, string message) => Error(Line(block), message);

        private void Error(int line, string message) => errors.Add(new HelpError(path, line, message));

        // The sections of a heading level, with an error for any text before the first heading.
        private List<Section> Headed(Section parent, int level)
        {
            var sections = parent.Subsections(level, out var before);
            foreach (var block in before)
            {
                Error(block, $"text before the first {new string('#', level)} heading{(parent.Title == "" ? "" : " of " + parent.Title)}");
            }

            return sections;
        }

        private static string[] List(string? text) =>
            string.IsNullOrWhiteSpace(text) ? NoStrings : text.Split(',').Select(item => item.Trim()).Where(item => item != "").ToArray();
    }

    /// <summary>A heading and the blocks up to the next heading of its level.</summary>
    private sealed record Section(string Title, int Line, List<Block> Blocks)
    {
        /// <summary>The sections of the headings of <paramref name="level"/> in this one; <paramref name="before"/> gets what precedes the first.</summary>
        public List<Section> Subsections(int level, out List<Block> before)
        {
            var sections = new List<Section>();
            before = [];
            foreach (var block in Blocks)
            {
                if (block is HeadingBlock heading && heading.Level == level)
                {
                    sections.Add(new Section(PlainText.Of(heading), heading.Line + 1, []));
                }
                else
                {
                    (sections.Count > 0 ? sections[^1].Blocks : before).Add(block);
                }
            }

            return sections;
        }
    }
}
