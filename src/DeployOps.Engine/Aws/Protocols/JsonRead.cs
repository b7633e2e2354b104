using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace DeployOps.Aws.Protocols;

/// <summary>Null-tolerant readers for JSON protocol responses: a missing or null member reads as null or empty.</summary>
public static class JsonRead
{
    /// <summary>The member, or null when it is missing or JSON null.</summary>
    public static JsonElement? Member(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    /// <summary>A member the response must have; its absence means the response is not what the model promises.</summary>
    public static JsonElement Required(this JsonElement element, string name) =>
        element.Member(name) ?? throw new InvalidDataException($"The response has no '{name}' member.");

    /// <summary>A string member.</summary>
    public static string? String(this JsonElement element, string name) =>
        element.Member(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>An integer member (null when it is not a whole number that fits).</summary>
    public static int? Int(this JsonElement element, string name) =>
        element.Member(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number) ? number : null;

    /// <summary>A long member (null when it is not a whole number that fits).</summary>
    public static long? Long(this JsonElement element, string name) =>
        element.Member(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : null;

    /// <summary>A boolean member.</summary>
    public static bool? Bool(this JsonElement element, string name) =>
        element.Member(name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

    /// <summary>A timestamp member in the JSON protocol's form: epoch seconds, possibly fractional.</summary>
    public static DateTimeOffset? EpochSeconds(this JsonElement element, string name) =>
        element.Member(name) is { ValueKind: JsonValueKind.Number } value
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(value.GetDouble() * 1000))
            : null;

    /// <summary>A long member holding epoch milliseconds (CloudWatch Logs event times).</summary>
    public static DateTimeOffset? EpochMilliseconds(this JsonElement element, string name) =>
        element.Long(name) is { } milliseconds ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) : null;

    /// <summary>The elements of an array member (empty when missing).</summary>
    public static IEnumerable<JsonElement> Items(this JsonElement element, string name) =>
        element.Member(name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : Enumerable.Empty<JsonElement>();

    /// <summary>An array of strings (empty when missing).</summary>
    public static IReadOnlyList<string> Strings(this JsonElement element, string name) =>
        element.Items(name).Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!).ToList();

    /// <summary>A map of strings (empty when missing).</summary>
    public static IReadOnlyDictionary<string, string> StringMap(this JsonElement element, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.Member(name) is { ValueKind: JsonValueKind.Object } members)
        {
            foreach (var member in members.EnumerateObject().Where(m => m.Value.ValueKind == JsonValueKind.String))
            {
                map[member.Name] = member.Value.GetString()!;
            }
        }

        return map;
    }

    /// <summary>A list built from an array member, one item per element.</summary>
    public static IReadOnlyList<T> List<T>(this JsonElement element, string name, Func<JsonElement, T> read) =>
        element.Items(name).Select(read).ToList();
}
