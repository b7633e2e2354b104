using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DeployOps.Sandbox.Simulators.CloudFormation;

/// <summary>A template CloudFormation refuses; the message is CloudFormation's (<c>Template format error: ...</c>).</summary>
public sealed class TemplateException : Exception
{
    public TemplateException(string message)
        : base(message)
    {
    }
}

/// <summary>A template parameter: its type and default.</summary>
public sealed record TemplateParameter(string Name, string Type, string? Default)
{
    /// <summary>True for <c>List&lt;...&gt;</c> and <c>CommaDelimitedList</c>, whose Ref is a list.</summary>
    public bool IsList => Type.StartsWith("List<", StringComparison.Ordinal) || Type == "CommaDelimitedList";
}

/// <summary>A resource of a template: its type, its properties as written, and the resources it depends on.</summary>
public sealed record TemplateResource(string LogicalId, string Type, JsonObject Properties, IReadOnlySet<string> DependsOn, bool Retain);

/// <summary>
/// A CloudFormation template (JSON, or YAML with the short forms <c>!Ref</c>, <c>!GetAtt</c>, <c>!Sub</c>...) read as
/// JSON: its parameters, its resources and their dependencies (DependsOn, and every Ref, GetAtt and Sub that names a
/// resource). The sandbox resolves Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split and Fn::GetAZs.
/// </summary>
public sealed partial class StackTemplate
{
    private static readonly HashSet<string> PseudoParameters = new(StringComparer.Ordinal)
    {
        "AWS::Region", "AWS::AccountId", "AWS::StackName", "AWS::StackId", "AWS::Partition", "AWS::URLSuffix", "AWS::NoValue",
    };

    private StackTemplate(string body, string? description, IReadOnlyDictionary<string, TemplateParameter> parameters, IReadOnlyDictionary<string, TemplateResource> resources)
    {
        Body = body;
        Description = description;
        Parameters = parameters;
        Resources = resources;
    }

    /// <summary>The template as it was given (what GetTemplate answers).</summary>
    public string Body { get; }

    public string? Description { get; }

    public IReadOnlyDictionary<string, TemplateParameter> Parameters { get; }

    public IReadOnlyDictionary<string, TemplateResource> Resources { get; }

    /// <summary>Reads a template; <see cref="TemplateException"/> with CloudFormation's message when it is not one.</summary>
    public static StackTemplate Parse(string body)
    {
        var root = (body.TrimStart().StartsWith('{') ? ParseJson(body) : ParseYaml(body)) as JsonObject
                   ?? throw new TemplateException("Template format error: JSON not well-formed.");
        var parameters = (root["Parameters"] as JsonObject ?? [])
            .ToDictionary(p => p.Key, p => new TemplateParameter(p.Key, p.Value?["Type"]?.ToString() ?? "String", p.Value?["Default"] is { } d ? Scalar(d) : null), StringComparer.Ordinal);
        if (root["Resources"] is not JsonObject resourcesJson || resourcesJson.Count == 0)
        {
            throw new TemplateException("Template format error: At least one Resources member must be defined.");
        }

        var names = resourcesJson.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var resources = new Dictionary<string, TemplateResource>(StringComparer.Ordinal);
        var unresolved = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (logicalId, node) in resourcesJson)
        {
            if (node is not JsonObject resource || resource["Type"]?.ToString() is not { Length: > 0 } type)
            {
                throw new TemplateException($"Template format error: [/Resources/{logicalId}] Every Resources object must contain a Type member.");
            }

            var properties = resource["Properties"] as JsonObject ?? [];
            var references = new HashSet<string>(StringComparer.Ordinal);
            CollectReferences(properties, references);
            var dependsOn = resource["DependsOn"] switch
            {
                JsonArray list => list.Select(d => d!.ToString()),
                JsonValue single => [single.ToString()],
                _ => [],
            };
            foreach (var name in references.Where(n => !names.Contains(n) && !parameters.ContainsKey(n) && !PseudoParameters.Contains(n)).Concat(dependsOn.Where(d => !names.Contains(d))))
            {
                unresolved.Add(name);
            }

            resources[logicalId] = new TemplateResource(logicalId, type, properties,
                references.Where(names.Contains).Concat(dependsOn).Where(n => n != logicalId).ToHashSet(StringComparer.Ordinal),
                resource["DeletionPolicy"]?.ToString() == "Retain");
        }

        if (unresolved.Count > 0)
        {
            throw new TemplateException($"Template format error: Unresolved resource dependencies [{string.Join(", ", unresolved)}] in the Resources block of the template");
        }

        CheckAcyclic(resources);
        return new StackTemplate(body, root["Description"]?.ToString(), parameters, resources);
    }

    /// <summary>The value of a parameter as Ref gives it: a list for list types, else the text.</summary>
    public static JsonNode ParameterValue(TemplateParameter parameter, string value) =>
        parameter.IsList ? new JsonArray(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (JsonNode)v).ToArray()) : JsonValue.Create(value)!;

    /// <summary>
    /// Resolves the intrinsic functions in <paramref name="node"/>: <paramref name="reference"/> answers a Ref (parameters,
    /// resources, pseudo parameters), <paramref name="attribute"/> a GetAtt; Fn::Sub, Fn::Join, Fn::Select, Fn::Split and
    /// Fn::GetAZs are evaluated here.
    /// </summary>
    public static JsonNode? Resolve(JsonNode? node, Func<string, JsonNode?> reference, Func<string, string, JsonNode?> attribute, string region)
    {
        switch (node)
        {
            case JsonObject { Count: 1 } function when function.First().Key is "Ref" or "Fn::GetAtt" or "Fn::Sub" or "Fn::Join" or "Fn::Select" or "Fn::Split" or "Fn::GetAZs":
                var (name, argument) = function.First();
                return name switch
                {
                    "Ref" => reference(argument!.ToString())?.DeepClone(),
                    "Fn::GetAtt" => GetAtt(argument, attribute),
                    "Fn::Sub" => Substitute(argument, reference, attribute, region),
                    "Fn::Join" => JsonValue.Create(string.Join(Text(argument![0]), (Resolve(argument[1], reference, attribute, region) as JsonArray ?? []).Select(Text))),
                    "Fn::Select" => (Resolve(argument![1], reference, attribute, region) as JsonArray)?[int.Parse(Text(Resolve(argument[0], reference, attribute, region)), CultureInfo.InvariantCulture)]?.DeepClone(),
                    "Fn::Split" => new JsonArray(Text(Resolve(argument![1], reference, attribute, region)).Split(Text(argument[0])).Select(s => (JsonNode)s).ToArray()),
                    _ => new JsonArray(new[] { "a", "b", "c" }.Select(zone => (JsonNode)(region + zone)).ToArray()),
                };
            case JsonObject map:
                var resolved = new JsonObject();
                foreach (var (key, value) in map)
                {
                    var v = Resolve(value, reference, attribute, region);
                    if (v is not null)
                    {
                        resolved[key] = v;
                    }
                }

                return resolved;
            case JsonArray list:
                return new JsonArray(list.Select(i => Resolve(i, reference, attribute, region)).Where(i => i is not null).ToArray());
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>A resolved value as text (numbers and booleans as written).</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value => value.ToJsonString(),
        _ => node.ToJsonString(),
    };

    private static JsonNode? GetAtt(JsonNode? argument, Func<string, string, JsonNode?> attribute)
    {
        var (resource, name) = argument switch
        {
            JsonArray pair => (Text(pair[0]), Text(pair[1])),
            _ => (Text(argument)[..Text(argument).IndexOf('.')], Text(argument)[(Text(argument).IndexOf('.') + 1)..]),
        };
        return attribute(resource, name)?.DeepClone();
    }

    private static JsonNode Substitute(JsonNode? argument, Func<string, JsonNode?> reference, Func<string, string, JsonNode?> attribute, string region)
    {
        var (template, variables) = argument switch
        {
            JsonArray pair => (Text(pair[0]), pair[1] as JsonObject),
            _ => (Text(argument), null),
        };
        return JsonValue.Create(SubVariable().Replace(template, match =>
        {
            var name = match.Groups["name"].Value;
            if (variables?[name] is { } own)
            {
                return Text(Resolve(own, reference, attribute, region));
            }

            var dot = name.IndexOf('.');
            return dot > 0 && !name.StartsWith("AWS::", StringComparison.Ordinal)
                ? Text(attribute(name[..dot], name[(dot + 1)..]))
                : Text(reference(name) is JsonArray list ? JsonValue.Create(string.Join(",", list.Select(Text))) : reference(name));
        }))!;
    }

    [GeneratedRegex(@"\$\{(?<name>[^}!][^}]*)\}")]
    private static partial Regex SubVariable();

    /// <summary>Every name a Ref, GetAtt or Sub in <paramref name="node"/> uses.</summary>
    private static void CollectReferences(JsonNode? node, HashSet<string> names)
    {
        switch (node)
        {
            case JsonObject { Count: 1 } function when function.First().Key == "Ref":
                names.Add(function.First().Value!.ToString());
                break;
            case JsonObject { Count: 1 } function when function.First().Key == "Fn::GetAtt":
                var argument = function.First().Value;
                names.Add(argument is JsonArray pair ? Text(pair[0]) : Text(argument).Split('.')[0]);
                break;
            case JsonObject { Count: 1 } function when function.First().Key == "Fn::Sub":
                var sub = function.First().Value;
                var own = (sub as JsonArray)?[1] as JsonObject;
                foreach (Match match in SubVariable().Matches(sub is JsonArray subPair ? Text(subPair[0]) : Text(sub)))
                {
                    var name = match.Groups["name"].Value;
                    if (own?[name] is null)
                    {
                        names.Add(name.StartsWith("AWS::", StringComparison.Ordinal) ? name : name.Split('.')[0]);
                    }
                }

                CollectReferences(own, names);
                break;
            case JsonObject map:
                foreach (var (_, value) in map)
                {
                    CollectReferences(value, names);
                }

                break;
            case JsonArray list:
                foreach (var item in list)
                {
                    CollectReferences(item, names);
                }

                break;
        }
    }

    private static void CheckAcyclic(IReadOnlyDictionary<string, TemplateResource> resources)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();

        void Visit(string id)
        {
            if (state.GetValueOrDefault(id) == 2)
            {
                return;
            }

            if (state.GetValueOrDefault(id) == 1)
            {
                throw new TemplateException($"Circular dependency between resources: [{string.Join(", ", path.SkipWhile(p => p != id).Order(StringComparer.Ordinal))}]");
            }

            state[id] = 1;
            path.Add(id);
            foreach (var dependency in resources[id].DependsOn.Order(StringComparer.Ordinal))
            {
                Visit(dependency);
            }

            path.RemoveAt(path.Count - 1);
            state[id] = 2;
        }

        foreach (var id in resources.Keys)
        {
            Visit(id);
        }
    }

    private static string? Scalar(JsonNode node) => node is JsonValue ? Text(node) : node is JsonArray list ? string.Join(",", list.Select(Text)) : null;

    private static JsonNode? ParseJson(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new TemplateException($"Template format error: JSON not well-formed. ({ex.Message})");
        }
    }

    private static JsonNode? ParseYaml(string body)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(body));
            if (stream.Documents.Count != 1)
            {
                throw new TemplateException("Template format error: YAML not well-formed.");
            }

            return FromYaml(stream.Documents[0].RootNode);
        }
        catch (YamlException ex)
        {
            throw new TemplateException($"Template format error: YAML not well-formed. (line {ex.Start.Line}, column {ex.Start.Column})");
        }
    }

    /// <summary>A YAML node as JSON; a short-form tag (<c>!Ref X</c>, <c>!GetAtt A.B</c>, <c>!Sub ...</c>) becomes its long form.</summary>
    private static JsonNode? FromYaml(YamlNode node)
    {
        JsonNode? value = node switch
        {
            YamlMappingNode map => new JsonObject(map.Children.Select(c => new KeyValuePair<string, JsonNode?>(((YamlScalarNode)c.Key).Value ?? "", FromYaml(c.Value)))),
            YamlSequenceNode list => new JsonArray(list.Children.Select(FromYaml).ToArray()),
            YamlScalarNode scalar => ScalarFromYaml(scalar),
            _ => throw new TemplateException("Template format error: YAML aliases are not supported."),
        };
        var tag = node.Tag.IsEmpty ? "" : node.Tag.Value;
        if (!tag.StartsWith('!') || tag.StartsWith("!!", StringComparison.Ordinal))
        {
            return value;
        }

        var function = tag == "!Ref" ? "Ref" : "Fn::" + tag[1..];
        if (function == "Fn::GetAtt" && value is JsonValue text)
        {
            var dotted = Text(text);
            var dot = dotted.IndexOf('.');
            value = dot < 0 ? value : new JsonArray(dotted[..dot], dotted[(dot + 1)..]);
        }

        return new JsonObject { [function] = value };
    }

    private static JsonNode? ScalarFromYaml(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null")
        {
            return null;
        }

        if (text is "true" or "false")
        {
            return JsonValue.Create(text == "true");
        }

        // A number is parsed as JSON text, so it reads as any numeric type (an ECS desiredCount as int).
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) && (!text.StartsWith('0') || text == "0")
            ? JsonNode.Parse(text)
            : JsonValue.Create(text);
    }
}
