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

    /// <summary>The element itself as a string, e.g. one entry of a list of ARNs; <see cref="InvalidDataException"/> when it is none.</summary>
    public static string StringValue(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new InvalidDataException($"A list entry is {element.ValueKind}, not a string.");

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

    /// <summary>
    /// A double member: a JSON number, or the strings <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> the JSON protocols
    /// use for what JSON cannot write. Null when missing; <see cref="InvalidDataException"/> when it is anything else.
    /// </summary>
    public static double? Double(this JsonElement element, string name) => element.Member(name) is { } value ? DoubleOf(value, name) : null;

    /// <summary>An array of doubles (empty when missing), e.g. GetMetricData's <c>Values</c>.</summary>
    public static IReadOnlyList<double> Doubles(this JsonElement element, string name) =>
        element.Items(name).Select(item => DoubleOf(item, name)).ToList();

    /// <summary>
    /// A timestamp member. The JSON protocols write epoch seconds (possibly fractional) unless the model gives the
    /// member another <c>timestampFormat</c>; a string in any of the three forms is read too, as botocore does.
    /// Null when missing; <see cref="InvalidDataException"/> when it is no timestamp.
    /// </summary>
    public static DateTimeOffset? Timestamp(this JsonElement element, string name, AwsTimestampFormat format = AwsTimestampFormat.UnixTimestamp) =>
        element.Member(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.Number } number => AwsWireValues.FromEpochSeconds(number.GetDouble()),
            { ValueKind: JsonValueKind.String } text => AwsWireValues.ParseTimestamp(text.GetString()!, format),
            _ => throw new InvalidDataException($"The response's '{name}' is not a timestamp."),
        };

    /// <summary>A timestamp member in the JSON protocol's form: epoch seconds, possibly fractional.</summary>
    public static DateTimeOffset? EpochSeconds(this JsonElement element, string name) => element.Timestamp(name);

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

    /// <summary>The member at a path of member names (<c>EngineDefaults.Marker</c>), or null when any step is missing.</summary>
    public static JsonElement? Path(this JsonElement element, IEnumerable<string> members)
    {
        JsonElement? current = element;
        foreach (var member in members)
        {
            current = current?.Member(member);
        }

        return current;
    }

    /// <summary>A list built from an array member, one item per element.</summary>
    public static IReadOnlyList<T> List<T>(this JsonElement element, string name, Func<JsonElement, T> read) =>
        element.Items(name).Select(read).ToList();

    private static double DoubleOf(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => AwsWireValues.ParseDouble(value.GetString()!),
        _ => throw new InvalidDataException($"The response's '{name}' is not a number."),
    };
}
