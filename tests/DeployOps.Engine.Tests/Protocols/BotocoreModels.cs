using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;

namespace DeployOps.Engine.Tests.Protocols;

/// <summary>
/// botocore's service models on this machine (the aws CLI's), the reference for every description, error code and
/// paginator: <c>botocore/data/&lt;service&gt;/&lt;version&gt;/service-2.json(.gz)</c> and <c>paginators-1.json</c>.
/// </summary>
internal static class BotocoreModels
{
    private static readonly Lazy<string> DataDirectory = new(FindDataDirectory);

    /// <summary>The model's <c>metadata</c> block.</summary>
    public static JsonElement Metadata(string service, string version) => Load(service, version, "service-2").GetProperty("metadata");

    /// <summary>Every error shape's wire code (its <c>error.code</c>, else the shape name) and HTTP status (0 when the model gives none).</summary>
    public static IReadOnlyList<(string Code, int Status)> ErrorCodes(string service, string version) =>
        Load(service, version, "service-2").GetProperty("shapes").EnumerateObject()
            .Where(shape => shape.Value.TryGetProperty("exception", out var exception) && exception.GetBoolean())
            .Select(shape => shape.Value.TryGetProperty("error", out var error)
                ? (error.TryGetProperty("code", out var code) ? code.GetString()! : shape.Name, error.TryGetProperty("httpStatusCode", out var status) ? status.GetInt32() : 0)
                : (shape.Name, 0))
            .Distinct()
            .ToList();

    /// <summary>An operation's entry of <c>paginators-1.json</c>, or null when the operation does not page.</summary>
    public static JsonElement? Paginator(string service, string version, string operation) =>
        Load(service, version, "paginators-1").GetProperty("pagination").TryGetProperty(operation, out var entry) ? entry : null;

    private static JsonElement Load(string service, string version, string file)
    {
        var folder = Path.Combine(DataDirectory.Value, service, version);
        var plain = Path.Combine(folder, file + ".json");
        using var stream = File.Exists(plain)
            ? (Stream)File.OpenRead(plain)
            : new GZipStream(File.OpenRead(plain + ".gz"), CompressionMode.Decompress);
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    }

    private static string FindDataDirectory()
    {
        var start = new ProcessStartInfo("python3", "-c \"import botocore,os;print(os.path.dirname(botocore.__file__))\"")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        var folder = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return Directory.Exists(Path.Combine(folder, "data"))
            ? Path.Combine(folder, "data")
            : throw new InvalidOperationException("botocore's models were not found (python3 -c 'import botocore'): the aws CLI v1 brings them.");
    }
}
