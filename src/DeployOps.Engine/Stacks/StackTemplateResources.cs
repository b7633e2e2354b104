using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DeployOps.Stacks;

/// <summary>A resource a template declares: its logical id and type.</summary>
public sealed record TemplateResource(string LogicalResourceId, string ResourceType);

/// <summary>
/// The resources a template declares (what "done of total" and an estimate count), from its body as GetTemplate gives
/// it: JSON, or YAML read by indentation (the <c>Resources</c> section's keys and each one's <c>Type</c>), so the short
/// forms (<c>!Ref</c>, <c>!Sub</c>) need no YAML library.
/// </summary>
public static class StackTemplateResources
{
    private static readonly Regex YamlKey = new(@"^(?<indent>\s*)(?<key>[A-Za-z0-9_:.-]+)\s*:\s*(?<rest>.*)$", RegexOptions.Compiled);
    private static readonly Regex InlineType = new(@"(?:^|[{,\s])Type\s*:\s*[""']?(?<type>[A-Za-z0-9:_-]+)", RegexOptions.Compiled);

    /// <summary>The template's resources in their order; empty when the body is neither (the caller has no total then).</summary>
    public static IReadOnlyList<TemplateResource> Read(string body) =>
        body.TrimStart().StartsWith("{", StringComparison.Ordinal) ? ReadJson(body) : ReadYaml(body);

    private static IReadOnlyList<TemplateResource> ReadJson(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("Resources", out var resources) || resources.ValueKind != JsonValueKind.Object)
            {
                return Array.Empty<TemplateResource>();
            }

            return resources.EnumerateObject()
                .Select(r => new TemplateResource(r.Name, r.Value.ValueKind == JsonValueKind.Object && r.Value.TryGetProperty("Type", out var type) ? type.GetString() ?? "" : ""))
                .ToList();
        }
        catch (JsonException)
        {
            return Array.Empty<TemplateResource>();
        }
    }

    private static IReadOnlyList<TemplateResource> ReadYaml(string body)
    {
        var resources = new List<TemplateResource>();
        var inResources = false;
        int? resourceIndent = null;
        int? memberIndent = null;
        string? current = null;
        foreach (var raw in body.Replace("\r", "").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith("#", StringComparison.Ordinal))
            {
                continue;
            }

            var match = YamlKey.Match(line);
            var indent = line.Length - line.TrimStart().Length;
            if (indent == 0)
            {
                inResources = match.Success && match.Groups["key"].Value == "Resources";
                resourceIndent = null;
                current = null;
                continue;
            }

            if (!inResources || !match.Success)
            {
                continue;
            }

            resourceIndent ??= indent;
            if (indent == resourceIndent)
            {
                current = match.Groups["key"].Value;
                memberIndent = null;
                var inline = InlineType.Match(match.Groups["rest"].Value);
                resources.Add(new TemplateResource(current, inline.Success ? inline.Groups["type"].Value : ""));
                continue;
            }

            // Only the resource's own Type, not one inside its Properties.
            memberIndent ??= indent;
            if (indent == memberIndent && current is not null && match.Groups["key"].Value == "Type")
            {
                resources[resources.Count - 1] = new TemplateResource(current, match.Groups["rest"].Value.Trim().Trim('"', '\''));
            }
        }

        return resources;
    }
}
