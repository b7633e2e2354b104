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

    /// <summary>The botocore model (folder and version) each registered service is described from, by service id.</summary>
    public static IReadOnlyDictionary<string, (string Name, string Version)> ByServiceId { get; } = new Dictionary<string, (string, string)>
    {
        ["ECS"] = ("ecs", "2014-11-13"),
        ["Elastic Load Balancing v2"] = ("elbv2", "2015-12-01"),
        ["EC2"] = ("ec2", "2016-11-15"),
        ["CloudWatch Logs"] = ("logs", "2014-03-28"),
        ["STS"] = ("sts", "2011-06-15"),
        ["CloudFormation"] = ("cloudformation", "2010-05-15"),
        ["RDS"] = ("rds", "2014-10-31"),
        ["CloudWatch"] = ("cloudwatch", "2010-08-01"),
        ["Lightsail"] = ("lightsail", "2016-11-28"),
        ["WAFV2"] = ("wafv2", "2019-07-29"),
        ["SNS"] = ("sns", "2010-03-31"),
        ["Secrets Manager"] = ("secretsmanager", "2017-10-17"),
        ["IAM"] = ("iam", "2010-05-08"),
    };

    /// <summary>The model's <c>metadata</c> block of the service whose id is <paramref name="serviceId"/>.</summary>
    public static JsonElement Metadata(string serviceId) => Load(serviceId, "service-2").GetProperty("metadata");

    /// <summary>Every error shape's wire code (its <c>error.code</c>, else the shape name) and HTTP status (0 when the model gives none).</summary>
    public static IReadOnlyList<(string Code, int Status)> ErrorCodes(string serviceId) =>
        Load(serviceId, "service-2").GetProperty("shapes").EnumerateObject()
            .Where(shape => shape.Value.TryGetProperty("exception", out var exception) && exception.GetBoolean())
            .Select(shape => shape.Value.TryGetProperty("error", out var error)
                ? (error.TryGetProperty("code", out var code) ? code.GetString()! : shape.Name, error.TryGetProperty("httpStatusCode", out var status) ? status.GetInt32() : 0)
                : (shape.Name, 0))
            .Distinct()
            .ToList();

    /// <summary>An operation's entry of <c>paginators-1.json</c>, or null when the operation does not page.</summary>
    public static JsonElement? Paginator(string serviceId, string operation) =>
        Load(serviceId, "paginators-1").GetProperty("pagination").TryGetProperty(operation, out var entry) ? entry : null;

    /// <summary>The member names of an operation's input and output shapes (empty when it has none).</summary>
    public static (IReadOnlyList<string> Input, IReadOnlyList<string> Output) OperationMembers(string serviceId, string operation)
    {
        var model = Load(serviceId, "service-2");
        var definition = model.GetProperty("operations").GetProperty(operation);
        IReadOnlyList<string> Members(string direction) =>
            definition.TryGetProperty(direction, out var shape)
                ? model.GetProperty("shapes").GetProperty(shape.GetProperty("shape").GetString()!).GetProperty("members").EnumerateObject().Select(m => m.Name).ToList()
                : new List<string>();
        return (Members("input"), Members("output"));
    }

    private static JsonElement Load(string serviceId, string file)
    {
        var (name, version) = ByServiceId[serviceId];
        var folder = Path.Combine(DataDirectory.Value, name, version);
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
