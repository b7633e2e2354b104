using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using DeployOps.Aws.Configuration;
using DeployOps.Errors;
using DeployOps.Verification;

namespace DeployOps.Environments;

/// <summary>
/// The environment settings file (<c>deployops.json</c>): named environments, each with region, profile, optional
/// endpoint URL, cluster and services. See docs/environments.md for the format and the search order.
/// </summary>
public sealed class DeploymentEnvironmentFile
{
    /// <summary>The file name searched for in the current directory and in <c>~/.deployops</c>.</summary>
    public const string FileName = "deployops.json";

    /// <summary>The variable that names a settings file.</summary>
    public const string PathVariable = "DEPLOYOPS_CONFIG";

    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly Regex EnvironmentName = new("^[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant);

    private DeploymentEnvironmentFile(string path, IReadOnlyDictionary<string, DeploymentEnvironment> environments)
    {
        Path = path;
        Environments = environments;
    }

    /// <summary>The file the settings were read from.</summary>
    public string Path { get; }

    /// <summary>The environments, by name (case-sensitive, as written).</summary>
    public IReadOnlyDictionary<string, DeploymentEnvironment> Environments { get; }

    /// <summary>
    /// Finds and reads the settings file: <paramref name="explicitPath"/> (relative to <paramref name="currentDirectory"/>),
    /// else <c>$DEPLOYOPS_CONFIG</c>, else <c>./deployops.json</c>, else <c>~/.deployops/deployops.json</c>. A path
    /// that is named but missing (or a folder) is an error, never a fall-through. The cmdlet layer passes PowerShell's
    /// current location as <paramref name="currentDirectory"/>, which is not the process's, and resolves -ConfigPath
    /// through PowerShell's provider first (~, drives).
    /// </summary>
    public static DeploymentEnvironmentFile Find(string? explicitPath, IAwsEnvironment environment, string currentDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return LoadNamed(System.IO.Path.Combine(currentDirectory, explicitPath), "-ConfigPath");
        }

        var fromVariable = environment.GetVariable(PathVariable);
        if (fromVariable is not null)
        {
            return LoadNamed(System.IO.Path.Combine(currentDirectory, fromVariable), PathVariable);
        }

        var candidates = new List<string> { System.IO.Path.Combine(currentDirectory, FileName) };
        if (environment.HomeDirectory is { } home)
        {
            candidates.Add(System.IO.Path.Combine(home, ".deployops", FileName));
        }

        var found = candidates.FirstOrDefault(File.Exists);
        return found is not null
            ? Load(found)
            : throw new DeploymentSettingsException(
                DeploymentSettingsProblem.FileNotFound,
                $"No DeployOps settings file was found. Searched: {string.Join(", ", candidates)}. Create {FileName} "
                + $"(see docs/environments.md), or name one with -ConfigPath or ${PathVariable}.");
    }

    /// <summary>Reads and validates a settings file.</summary>
    public static DeploymentEnvironmentFile Load(string path)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DeploymentSettingsException(
                DeploymentSettingsProblem.FileNotFound, $"The settings file '{path}' could not be read: {ex.Message}", path, inner: ex);
        }

        return Parse(content, path);
    }

    /// <summary>Validates settings given as UTF-8 JSON (with or without a byte order mark); <paramref name="path"/> names them in errors.</summary>
    public static DeploymentEnvironmentFile Parse(byte[] utf8, string path)
    {
        // Windows PowerShell 5.1's Set-Content -Encoding UTF8 writes a byte order mark, which the JSON reader refuses.
        if (utf8.Length >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF)
        {
            utf8 = utf8.Skip(3).ToArray();
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            throw new DeploymentSettingsException(
                DeploymentSettingsProblem.InvalidFile, $"{path}, line {line}: not valid JSON: {ex.Message}", path, line: line, inner: ex);
        }

        using (document)
        {
            var reader = new SettingsReader(path, new JsonLineMap(utf8, ReaderOptions));
            return new DeploymentEnvironmentFile(path, reader.ReadRoot(document.RootElement));
        }
    }

    /// <summary>The environment named <paramref name="name"/>; an unknown name is an error listing the known ones.</summary>
    public DeploymentEnvironment Get(string name) =>
        Environments.TryGetValue(name, out var environment)
            ? environment
            : throw new DeploymentSettingsException(
                DeploymentSettingsProblem.UnknownEnvironment,
                $"The environment '{name}' is not defined in '{Path}'. Known environments: {string.Join(", ", Environments.Keys.OrderBy(k => k, StringComparer.Ordinal))}.",
                Path,
                "environments." + name);

    private static DeploymentEnvironmentFile LoadNamed(string path, string namedBy)
    {
        if (File.Exists(path))
        {
            return Load(path);
        }

        if (!Directory.Exists(path))
        {
            throw new DeploymentSettingsException(
                DeploymentSettingsProblem.FileNotFound, $"The settings file '{path}' (from {namedBy}) does not exist.", path);
        }

        var inside = System.IO.Path.Combine(path, FileName);
        var suggestion = File.Exists(inside) ? $" It holds one: -ConfigPath '{inside}'." : string.Empty;
        throw new DeploymentSettingsException(
            DeploymentSettingsProblem.FileNotFound, $"'{path}' (from {namedBy}) is a folder; expected a settings file ({FileName}).{suggestion}", path);
    }

    /// <summary>Walks the document, checking each value against the format and naming the path of the first bad one.</summary>
    private sealed class SettingsReader
    {
        private readonly string _file;
        private readonly JsonLineMap _lines;

        public SettingsReader(string file, JsonLineMap lines)
        {
            _file = file;
            _lines = lines;
        }

        public IReadOnlyDictionary<string, DeploymentEnvironment> ReadRoot(JsonElement root)
        {
            RequireObject(root, string.Empty, "an object with an \"environments\" member");
            AllowOnly(root, string.Empty, "environments", "$schema");
            var environments = Member(root, "environments") ?? throw Invalid("environments", "an \"environments\" object naming at least one environment", "nothing");
            RequireObject(environments, "environments", "an object whose members are environments, e.g. \"dev\"");
            var result = new Dictionary<string, DeploymentEnvironment>(StringComparer.Ordinal);
            foreach (var environment in environments.EnumerateObject())
            {
                var path = JsonLineMap.Join("environments", environment.Name);
                if (!EnvironmentName.IsMatch(environment.Name))
                {
                    throw Invalid(path, "an environment name of letters, digits, '-' and '_'", Quote(environment.Name));
                }

                result[environment.Name] = ReadEnvironment(environment.Name, environment.Value, path);
            }

            return result.Count > 0 ? result : throw Invalid("environments", "at least one environment", "an empty object");
        }

        private DeploymentEnvironment ReadEnvironment(string name, JsonElement element, string path)
        {
            RequireObject(element, path, "an object with region, cluster and services");
            AllowOnly(element, path, "region", "profile", "endpointUrl", "cluster", "services", "lightsail", "registryPath", "slackChannel", "database");
            var region = RequiredString(element, path, "region", "a region name such as \"us-east-1\"");
            if (!ResolvedRegion.IsWellFormed(region))
            {
                throw Invalid(JsonLineMap.Join(path, "region"), "a region name such as \"us-east-1\"", Quote(region));
            }

            var services = Member(element, "services");
            var lightsail = Member(element, "lightsail");
            return new DeploymentEnvironment
            {
                Name = name,
                Region = region,
                Profile = OptionalString(element, path, "profile", "an AWS profile name"),
                EndpointUrl = OptionalUrl(element, path, "endpointUrl")?.ToString(),
                // An environment of Lightsail container services alone needs no ECS cluster.
                Cluster = lightsail is null
                    ? RequiredString(element, path, "cluster", "the ECS cluster name")
                    : OptionalString(element, path, "cluster", "the ECS cluster name") ?? string.Empty,
                Services = services is null ? new Dictionary<string, ServiceSettings>() : ReadServices(services.Value, JsonLineMap.Join(path, "services")),
                LightsailServices = lightsail is null ? new Dictionary<string, VerificationSettings>() : ReadLightsail(lightsail.Value, JsonLineMap.Join(path, "lightsail")),
                RegistryPath = OptionalString(element, path, "registryPath", "a folder path, e.g. \".deployment-registry\"") is { } registry
                    ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_file)) ?? string.Empty, registry)
                    : null,
                SlackChannel = OptionalString(element, path, "slackChannel", "a Slack channel id, e.g. \"C0A9M9DPFUY\""),
                Database = Member(element, "database") is { } database ? ReadDatabase(database, JsonLineMap.Join(path, "database")) : null,
                SourceFile = _file,
            };
        }

        private DatabaseSettings ReadDatabase(JsonElement element, string path)
        {
            RequireObject(element, path, "an object with securityGroupId and port");
            AllowOnly(element, path, "name", "securityGroupId", "port");
            const string groupExpected = "a security group id such as \"sg-0123456789abcdef0\"";
            var group = RequiredString(element, path, "securityGroupId", groupExpected);
            if (!group.StartsWith("sg-", StringComparison.Ordinal))
            {
                throw Invalid(JsonLineMap.Join(path, "securityGroupId"), groupExpected, Quote(group));
            }

            const string portExpected = "a TCP port from 1 to 65535, e.g. 5432";
            var port = Member(element, "port") ?? throw Invalid(JsonLineMap.Join(path, "port"), portExpected, "nothing");
            if (port.ValueKind != JsonValueKind.Number || !port.TryGetInt32(out var number) || number < 1 || number > 65535)
            {
                throw Invalid(JsonLineMap.Join(path, "port"), portExpected, Describe(port));
            }

            return new DatabaseSettings(OptionalString(element, path, "name", "the database's name") ?? group, group, number);
        }

        private Dictionary<string, ServiceSettings> ReadServices(JsonElement element, string path)
        {
            RequireObject(element, path, "an object whose members are ECS service names");
            var services = new Dictionary<string, ServiceSettings>(StringComparer.Ordinal);
            foreach (var service in element.EnumerateObject())
            {
                var servicePath = JsonLineMap.Join(path, service.Name);
                RequireObject(service.Value, servicePath, "an object with healthCheckPath and publicHealthUrl");
                AllowOnly(service.Value, servicePath, "healthCheckPath", "publicHealthUrl", "readyPath", "requiredEnvironment", "corsOrigins", "startupPhases");
                var healthCheckPath = RequiredString(service.Value, servicePath, "healthCheckPath", "a path starting with '/', e.g. \"/health\"");
                if (!healthCheckPath.StartsWith("/", StringComparison.Ordinal))
                {
                    throw Invalid(JsonLineMap.Join(servicePath, "healthCheckPath"), "a path starting with '/', e.g. \"/health\"", Quote(healthCheckPath));
                }

                services[service.Name] = new ServiceSettings(service.Name, healthCheckPath, OptionalUrl(service.Value, servicePath, "publicHealthUrl"))
                {
                    Verification = ReadVerification(service.Value, servicePath),
                };
            }

            return services;
        }

        private Dictionary<string, VerificationSettings> ReadLightsail(JsonElement element, string path)
        {
            RequireObject(element, path, "an object whose members are Lightsail container service names");
            var services = new Dictionary<string, VerificationSettings>(StringComparer.Ordinal);
            foreach (var service in element.EnumerateObject())
            {
                var servicePath = JsonLineMap.Join(path, service.Name);
                RequireObject(service.Value, servicePath, "an object with readyPath, requiredEnvironment, corsOrigins and startupPhases");
                AllowOnly(service.Value, servicePath, "readyPath", "requiredEnvironment", "corsOrigins", "startupPhases");
                services[service.Name] = ReadVerification(service.Value, servicePath);
            }

            return services;
        }

        /// <summary>A service's post-deploy verification settings (runbook 003), each value checked by the rule its parameter has.</summary>
        private VerificationSettings ReadVerification(JsonElement element, string path)
        {
            var readyPath = OptionalString(element, path, "readyPath", "a path starting with '/', e.g. \"/health/ready\"");
            var settings = new VerificationSettings
            {
                ReadyPath = readyPath,
                RequiredEnvironment = OptionalStrings(element, path, "requiredEnvironment", "a list of variable names, e.g. [\"AI_MAX_TOKENS_*\"]"),
                CorsOrigins = OptionalStrings(element, path, "corsOrigins", "a list of origins, e.g. [\"https://app.example.com\"]"),
                StartupPhases = OptionalStrings(element, path, "startupPhases", "a list of log texts, e.g. [\"Starting Nest application\", \"Listening on port\"]"),
            };
            Check(path, "readyPath", readyPath is null ? Array.Empty<string>() : new[] { readyPath }, "a path starting with '/' without spaces, e.g. \"/health/ready\"",
                value => VerificationExpectations.ValidatePath(value, "readyPath"));
            Check(path, "requiredEnvironment", settings.RequiredEnvironment, "variable names of letters, digits, _ and *, e.g. \"AI_MAX_TOKENS_*\"",
                value => VerificationExpectations.ValidateVariable(value, allowWildcard: true, "requiredEnvironment"));
            Check(path, "corsOrigins", settings.CorsOrigins, "origins such as \"https://app.example.com\" (no path)", VerificationExpectations.ValidateOrigin);
            Check(path, "startupPhases", settings.StartupPhases, "log texts, or /regular expressions/ that compile", StartupSequenceRules.Validate);
            return settings;
        }

        private void Check(string path, string key, IEnumerable<string> values, string expected, Action<string> validate)
        {
            foreach (var value in values)
            {
                try
                {
                    validate(value);
                }
                catch (DeployOpsException)
                {
                    throw Invalid(JsonLineMap.Join(path, key), expected, Quote(value));
                }
            }
        }

        private IReadOnlyList<string> OptionalStrings(JsonElement element, string path, string key, string expected)
        {
            var value = Member(element, key);
            if (value is null)
            {
                return Array.Empty<string>();
            }

            if (value.Value.ValueKind != JsonValueKind.Array || value.Value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString())))
            {
                throw Invalid(JsonLineMap.Join(path, key), expected, Describe(value.Value));
            }

            return value.Value.EnumerateArray().Select(item => item.GetString()!.Trim()).ToList();
        }

        private string RequiredString(JsonElement element, string path, string key, string expected) =>
            OptionalString(element, path, key, expected) ?? throw Invalid(JsonLineMap.Join(path, key), expected, "nothing");

        private string? OptionalString(JsonElement element, string path, string key, string expected)
        {
            var value = Member(element, key);
            if (value is null)
            {
                return null;
            }

            return value.Value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.Value.GetString())
                ? value.Value.GetString()!.Trim()
                : throw Invalid(JsonLineMap.Join(path, key), expected, Describe(value.Value));
        }

        private Uri? OptionalUrl(JsonElement element, string path, string key)
        {
            const string expected = "an absolute http or https URL, e.g. \"https://app.example.com/health\"";
            var text = OptionalString(element, path, key, expected);
            if (text is null)
            {
                return null;
            }

            return Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
                ? url
                : throw Invalid(JsonLineMap.Join(path, key), expected, Quote(text));
        }

        private void RequireObject(JsonElement element, string path, string expected)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, expected, Describe(element));
            }
        }

        private void AllowOnly(JsonElement element, string path, params string[] keys)
        {
            var unknown = element.EnumerateObject().FirstOrDefault(p => !keys.Contains(p.Name, StringComparer.Ordinal));
            if (unknown.Value.ValueKind != JsonValueKind.Undefined)
            {
                throw Invalid(JsonLineMap.Join(path, unknown.Name), "one of the keys " + string.Join(", ", keys), "the unknown key " + Quote(unknown.Name));
            }
        }

        private static JsonElement? Member(JsonElement element, string key) =>
            element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        private DeploymentSettingsException Invalid(string path, string expected, string found)
        {
            var line = _lines.LineOf(path);
            var where = path.Length == 0 ? "the top level" : path;
            return new DeploymentSettingsException(
                DeploymentSettingsProblem.InvalidFile,
                $"{_file}, line {line}, {where}: expected {expected}, found {found}.",
                _file,
                path,
                line);
        }

        private static string Describe(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => Quote(value.GetString()!),
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.Number => "the number " + value.GetRawText(),
            JsonValueKind.True or JsonValueKind.False => "the boolean " + value.GetRawText(),
            _ => "null",
        };

        private static string Quote(string text) => "\"" + text + "\"";
    }
}
