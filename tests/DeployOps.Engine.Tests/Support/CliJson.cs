using System;
using System.Globalization;
using System.Text.Json;

namespace DeployOps.Engine.Tests.Support;

/// <summary>Reads the AWS CLI's JSON output, the oracle the engine's records are compared with.</summary>
internal static class CliJson
{
    public static JsonElement Get(this JsonElement element, string path)
    {
        foreach (var part in path.Split('.'))
        {
            element = int.TryParse(part, out var index) ? element[index] : element.GetProperty(part);
        }

        return element;
    }

    public static string? Text(this JsonElement element, string path) =>
        TryGet(element, path) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static int? Number(this JsonElement element, string path) =>
        TryGet(element, path) is { ValueKind: JsonValueKind.Number } value ? value.GetInt32() : null;

    /// <summary>A timestamp as the CLI prints it: epoch seconds or ISO 8601.</summary>
    public static DateTimeOffset? Time(this JsonElement element, string path) => TryGet(element, path) switch
    {
        { ValueKind: JsonValueKind.Number } number => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(number.GetDouble() * 1000)),
        { ValueKind: JsonValueKind.String } text => DateTimeOffset.Parse(text.GetString()!, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static JsonElement? TryGet(JsonElement element, string path)
    {
        try
        {
            return element.Get(path);
        }
        catch (Exception ex) when (ex is System.Collections.Generic.KeyNotFoundException or IndexOutOfRangeException or InvalidOperationException)
        {
            return null;
        }
    }
}
