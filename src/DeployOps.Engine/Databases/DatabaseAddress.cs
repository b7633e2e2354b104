using System;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DeployOps.Databases;

/// <summary>
/// The host and port an application's database setting names, and nothing else of it: credentials, database name and
/// options are never kept. Read from a URL (<c>postgres://user:password@host:5432/db</c>), a key/value connection string
/// (<c>Host=...;Port=...</c>) or an RDS-style JSON secret (<c>{"host": ..., "port": ...}</c>).
/// </summary>
public sealed record DatabaseAddress(string Host, int? Port)
{
    private static readonly Regex Url = new(@"^[A-Za-z][A-Za-z0-9+.\-]*://(?:[^@/?#]*@)?(?<host>\[[^\]]+\]|[^:/?#@]+)(?::(?<port>\d{1,5}))?", RegexOptions.CultureInvariant);

    private static readonly Regex KeyValueHost = new(@"(?:^|;)\s*(?:host|server|data source)\s*=\s*(?<host>[^;,:]+)(?:[,:](?<port>\d{1,5}))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex KeyValuePort = new(@"(?:^|;)\s*port\s*=\s*(?<port>\d{1,5})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public override string ToString() => Port is { } port ? $"{Host}:{port.ToString(CultureInfo.InvariantCulture)}" : Host;

    /// <summary>The address <paramref name="value"/> names, or null when it is none of the forms above (the value is never echoed).</summary>
    public static DatabaseAddress? Parse(string? value)
    {
        var text = value?.Trim() ?? "";
        if (text.StartsWith("{", StringComparison.Ordinal))
        {
            return FromJson(text);
        }

        if (Url.Match(text) is { Success: true } url)
        {
            return new DatabaseAddress(url.Groups["host"].Value.Trim('[', ']'), PortOf(url.Groups["port"]));
        }

        if (KeyValueHost.Match(text) is { Success: true } keyValue)
        {
            var port = PortOf(keyValue.Groups["port"]) ?? (KeyValuePort.Match(text) is { Success: true } p ? PortOf(p.Groups["port"]) : null);
            return new DatabaseAddress(keyValue.Groups["host"].Value.Trim(), port);
        }

        return null;
    }

    private static DatabaseAddress? FromJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (!root.TryGetProperty("host", out var host) || host.ValueKind != JsonValueKind.String)
            {
                // A secret holding the whole URL under a key, as some teams store it.
                foreach (var property in root.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { } inner && Url.IsMatch(inner))
                    {
                        return Parse(inner);
                    }
                }

                return null;
            }

            int? port = root.TryGetProperty("port", out var p) ? p.ValueKind switch
            {
                JsonValueKind.Number when p.TryGetInt32(out var number) => number,
                JsonValueKind.String when int.TryParse(p.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
                _ => null,
            } : null;
            return new DatabaseAddress(host.GetString()!, port);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int? PortOf(Group group) =>
        group.Success && int.TryParse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535 ? port : null;
}
