using System;
using System.Collections.Generic;
using System.Text.Json;

namespace DeployOps.Environments;

/// <summary>
/// The 1-based line of every property in a JSON document, by key path (<c>environments.dev.region</c>), so
/// validation errors can say where a bad value is. <see cref="JsonDocument"/> keeps no positions, hence this pass.
/// </summary>
internal sealed class JsonLineMap
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    public JsonLineMap(byte[] utf8, JsonReaderOptions options)
    {
        var lineStarts = LineStarts(utf8);
        var reader = new Utf8JsonReader(utf8, options);
        var containers = new Stack<string>();
        string? property = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    property = Join(containers.Count == 0 ? string.Empty : containers.Peek(), reader.GetString()!);
                    _lines[property] = LineOf(lineStarts, reader.TokenStartIndex);
                    break;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    containers.Push(property ?? (containers.Count == 0 ? string.Empty : containers.Peek()));
                    property = null;
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    containers.Pop();
                    break;
                default:
                    property = null;
                    break;
            }
        }
    }

    /// <summary>The line of <paramref name="path"/>, or of its nearest ancestor that has one; 1 for the root.</summary>
    public int LineOf(string path)
    {
        for (var current = path; current.Length > 0; current = Parent(current))
        {
            if (_lines.TryGetValue(current, out var line))
            {
                return line;
            }
        }

        return 1;
    }

    /// <summary>Joins a parent path and a key with a dot.</summary>
    public static string Join(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    private static string Parent(string path)
    {
        var dot = path.LastIndexOf('.');
        return dot < 0 ? string.Empty : path.Substring(0, dot);
    }

    private static List<long> LineStarts(byte[] utf8)
    {
        var starts = new List<long> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static int LineOf(List<long> lineStarts, long offset)
    {
        var index = lineStarts.BinarySearch(offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }
}
