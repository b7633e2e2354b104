using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DeployOps.Sandbox.Scenarios;

/// <summary>Where a value was written: file, line and column (1-based).</summary>
public readonly record struct SourcePosition(string File, int Line, int Column)
{
    public override string ToString() => $"{File} line {Line}, column {Column}";
}

/// <summary>A scenario file is invalid; the message names the file, the line and what was expected.</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    public static ScenarioException At(SourcePosition position, string what) => new($"{position}: {what}");
}

/// <summary>
/// A YAML value that remembers where it was written, so that after <c>extends</c> merges several
/// files every error still points at the right file and line.
/// </summary>
public sealed class ScenarioNode
{
    private ScenarioNode(SourcePosition position, string path, string? scalar, List<KeyValuePair<string, ScenarioNode>>? map, List<ScenarioNode>? list)
    {
        Position = position;
        Path = path;
        Scalar = scalar;
        Map = map;
        List = list;
    }

    public SourcePosition Position { get; }

    /// <summary>The key path from the document root, e.g. <c>targetGroups.web-tg.healthCheck.path</c>.</summary>
    public string Path { get; }

    public string? Scalar { get; }

    public List<KeyValuePair<string, ScenarioNode>>? Map { get; }

    public List<ScenarioNode>? List { get; }

    /// <summary>True for an explicit YAML null (<c>~</c>, <c>null</c> or an empty value).</summary>
    public bool IsNull => Scalar is null && Map is null && List is null;

    /// <summary>Reads one YAML document into nodes.</summary>
    public static ScenarioNode Load(string file)
    {
        var display = System.IO.Path.GetFileName(file);
        try
        {
            using var reader = new StreamReader(file);
            var stream = new YamlStream();
            stream.Load(reader);
            if (stream.Documents.Count != 1)
            {
                throw new ScenarioException($"{display}: expected exactly one YAML document, found {stream.Documents.Count}.");
            }

            return From(stream.Documents[0].RootNode, display, "");
        }
        catch (YamlException ex)
        {
            throw new ScenarioException($"{display} line {ex.Start.Line}, column {ex.Start.Column}: not valid YAML ({ex.Message}).", ex);
        }
    }

    private static ScenarioNode From(YamlNode node, string file, string path)
    {
        var position = new SourcePosition(file, (int)node.Start.Line, (int)node.Start.Column);
        switch (node)
        {
            case YamlMappingNode mapping:
                var entries = new List<KeyValuePair<string, ScenarioNode>>();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        throw ScenarioException.At(new SourcePosition(file, (int)keyNode.Start.Line, (int)keyNode.Start.Column), "expected a plain key.");
                    }

                    entries.Add(new(key, From(valueNode, file, Join(path, key))));
                }

                return new ScenarioNode(position, path, null, entries, null);
            case YamlSequenceNode sequence:
                return new ScenarioNode(position, path, null, null,
                    sequence.Children.Select((child, i) => From(child, file, $"{path}[{i}]")).ToList());
            case YamlScalarNode scalar:
                var isNull = scalar.Style == ScalarStyle.Plain && (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");
                return new ScenarioNode(position, path, isNull ? null : scalar.Value ?? "", null, null);
            default:
                throw ScenarioException.At(position, "anchors and aliases are not supported; write the value out.");
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    /// <summary>
    /// Lays <paramref name="overlay"/> over <paramref name="baseNode"/>: maps merge key by key, anything else replaces.
    /// A null value stays in the result as a removal: readers see the key as absent (<see cref="this[string]"/>,
    /// <see cref="AsMap"/>), and where binding lays the map over a template of its own (a revision's <c>from:</c>) the
    /// removal still reaches it (<see cref="AsMapWithRemovals"/>). Dropping it here would lose a removal whose key
    /// only arrives from the template. Every node keeps its own position.
    /// </summary>
    public static ScenarioNode Merge(ScenarioNode baseNode, ScenarioNode overlay)
    {
        if (baseNode.Map is null || overlay.Map is null)
        {
            return overlay;
        }

        var merged = baseNode.Map.ToList();
        foreach (var (key, value) in overlay.Map)
        {
            var index = merged.FindIndex(e => e.Key == key);
            if (index < 0)
            {
                merged.Add(new(key, value));
            }
            else
            {
                merged[index] = new(key, value.IsNull ? value : Merge(merged[index].Value, value));
            }
        }

        return new ScenarioNode(overlay.Position, overlay.Path, null, merged, null);
    }

    /// <summary>This map without the given key (used to drop <c>extends</c> after merging).</summary>
    public ScenarioNode Without(string key) =>
        Map is null ? this : new ScenarioNode(Position, Path, null, Map.Where(e => e.Key != key).ToList(), null);

    /// <summary>The value of <paramref name="key"/>; null when the map has no such key or a <c>~</c> removed it.</summary>
    public ScenarioNode? this[string key] => Map?.FirstOrDefault(e => e.Key == key).Value is { IsNull: false } value ? value : null;

    // ---- typed readers: each names the file, line and what was expected ----

    /// <summary>The entries of a map, without those a <c>~</c> removed.</summary>
    public IReadOnlyList<KeyValuePair<string, ScenarioNode>> AsMap(string what = "a mapping of names to values") =>
        AsMapWithRemovals(what).Where(e => !e.Value.IsNull).ToList();

    /// <summary>The entries of a map, a removal (<c>~</c>) included as a null value: for maps laid over a template.</summary>
    public IReadOnlyList<KeyValuePair<string, ScenarioNode>> AsMapWithRemovals(string what = "a mapping of names to values")
    {
        if (IsNull)
        {
            return [];
        }

        return Map ?? throw Expected(what);
    }

    public IReadOnlyList<ScenarioNode> AsList(string what = "a list")
    {
        if (IsNull)
        {
            return [];
        }

        return List ?? throw Expected(what);
    }

    public string AsString(string what = "a text value")
    {
        if (Scalar is null)
        {
            throw Expected(what);
        }

        return Scalar;
    }

    public int AsInt(int min, int max)
    {
        if (Scalar is null || !int.TryParse(Scalar, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Expected($"a whole number from {min} to {max}");
        }

        return value;
    }

    public double AsDouble(double min, double max)
    {
        if (Scalar is null || !double.TryParse(Scalar, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Expected($"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    public bool AsBool()
    {
        return Scalar switch
        {
            "true" or "True" or "yes" => true,
            "false" or "False" or "no" => false,
            _ => throw Expected("true or false"),
        };
    }

    public T AsEnum<T>(params (string Name, T Value)[] choices)
    {
        foreach (var (name, value) in choices)
        {
            if (string.Equals(Scalar, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw Expected("one of " + string.Join(", ", choices.Select(c => c.Name)));
    }

    public ScenarioException Expected(string what)
    {
        var found = Scalar is not null ? $"'{Scalar}'" : Map is not null ? "a mapping" : List is not null ? "a list" : "nothing";
        return ScenarioException.At(Position, $"{Path}: expected {what}, found {found}.");
    }

    /// <summary>Fails on keys this reader does not know, so a typo is an error rather than silently ignored.</summary>
    public void AllowOnly(params string[] keys)
    {
        foreach (var (key, value) in AsMapWithRemovals())
        {
            if (Array.IndexOf(keys, key) < 0)
            {
                throw ScenarioException.At(value.Position, $"{Join(Path, key)}: unknown key '{key}'; expected one of {string.Join(", ", keys)}.");
            }
        }
    }
}
