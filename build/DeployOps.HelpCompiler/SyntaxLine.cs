using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace DeployOps.HelpCompiler;

/// <summary>
/// A SYNTAX block's line, as PowerShell writes syntax: <c>Get-X [-Name] &lt;String&gt; [[-Tag] &lt;String[]&gt;]
/// -Mode &lt;String&gt; [-Limit &lt;Int32&gt;] [-Force] [&lt;CommonParameters&gt;]</c>. The help's PARAMETERS section is
/// the authority; the line is checked against it, so the reader's syntax cannot drift from the metadata.
/// </summary>
public static partial class SyntaxLine
{
    public const string CommonParameters = "[<CommonParameters>]";

    /// <summary>The line for one parameter set: positional parameters by position, then the others in the PARAMETERS section's order.</summary>
    public static string Render(CommandHelp help, string parameterSet) =>
        string.Join(" ", new[] { help.Name }
            .Concat(help.ParametersOf(parameterSet).Select(pair => Element(pair.Parameter, pair.Metadata)))
            .Append(CommonParameters));

    /// <summary>One parameter as it appears in a syntax line.</summary>
    public static string Element(ParameterHelp parameter, ParameterMetadata metadata)
    {
        var name = metadata.Position is null ? $"-{parameter.Name}" : $"[-{parameter.Name}]";
        var element = parameter.IsSwitch ? $"-{parameter.Name}" : $"{name} <{parameter.Type}>";
        return metadata.Required ? element : $"[{element}]";
    }

    /// <summary>
    /// What is wrong with a written line compared with <see cref="Render"/>: parameter elements may come in any order,
    /// but each must be there exactly as rendered. Null when the line is right.
    /// </summary>
    public static string? Problem(CommandHelp help, SyntaxHelp syntax)
    {
        var expected = Render(help, syntax.ParameterSet);
        var text = Regex.Replace(syntax.Text, @"\s+", " ").Trim();
        var prefix = help.Name + " ";
        if (!text.StartsWith(prefix, StringComparison.Ordinal) || !text.EndsWith(" " + CommonParameters, StringComparison.Ordinal))
        {
            return $"the syntax must start with '{help.Name}' and end with '{CommonParameters}'; expected: {expected}";
        }

        var written = Elements(text[prefix.Length..^CommonParameters.Length]);
        if (written is null)
        {
            return $"the syntax has text that is no parameter element; expected: {expected}";
        }

        var wanted = help.ParametersOf(syntax.ParameterSet).Select(pair => Element(pair.Parameter, pair.Metadata)).ToList();
        var missing = wanted.Except(written, StringComparer.Ordinal).ToList();
        var extra = written.Except(wanted, StringComparer.Ordinal).ToList();
        if (missing.Count == 0 && extra.Count == 0 && written.Count == wanted.Count)
        {
            return null;
        }

        var details = new List<string>();
        if (missing.Count > 0)
        {
            details.Add("missing " + string.Join(" ", missing));
        }

        if (extra.Count > 0)
        {
            details.Add("not in the PARAMETERS section's metadata for this set " + string.Join(" ", extra));
        }

        if (details.Count == 0)
        {
            details.Add("a parameter is written twice");
        }

        return $"the syntax does not match the parameters ({string.Join("; ", details)}); expected: {expected}";
    }

    // The parameter elements of a line, or null when something else is in it.
    private static List<string>? Elements(string text)
    {
        var elements = new List<string>();
        var rest = text.Trim();
        while (rest.Length > 0)
        {
            var match = ElementPattern().Match(rest);
            if (!match.Success)
            {
                return null;
            }

            elements.Add(match.Value);
            rest = rest[match.Length..].TrimStart();
        }

        return elements;
    }

    // [[-Name] <T>]  |  [-Name] <T>  |  [-Name <T>]  |  -Name <T>  |  [-Name]  |  -Name
    [GeneratedRegex(@"^(\[\[-\w+\] <[^>]+>\]|\[-\w+\] <[^>]+>|\[-\w+ <[^>]+>\]|-\w+ <[^>]+>|\[-\w+\]|-\w+)(?=\s|$)")]
    private static partial Regex ElementPattern();
}
