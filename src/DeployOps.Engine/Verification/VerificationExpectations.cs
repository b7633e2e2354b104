using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using DeployOps.Endpoints;
using DeployOps.Environments;
using DeployOps.Errors;

namespace DeployOps.Verification;

/// <summary>
/// What a deployment is verified against (runbook 003's verify-deployment.sh): the deep health path, the origins CORS must
/// allow, the image tag, the variables it must have (names, and values compared by digest) and the startup phases its
/// log must show. Explicit values win over an environment's settings (<see cref="WithSettings"/>).
/// </summary>
public sealed record VerificationExpectations
{
    /// <summary>The phases checked when none are configured: a start, then the line every server logs once it listens.</summary>
    public static readonly IReadOnlyList<string> DefaultStartupPhases = new[] { "Starting", "Listening on port" };

    private static readonly Regex VariableName = new(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);
    private static readonly Regex VariablePattern = new(@"^[A-Za-z_*][A-Za-z0-9_*]*$", RegexOptions.CultureInvariant);

    /// <summary>The deep health path (e.g. /health/ready); null checks the deployment's own health-check path and warns.</summary>
    public string? ReadyPath { get; init; }

    /// <summary>The health URL to request (ECS: the public health URL); Lightsail uses its service URL and the path.</summary>
    public string? HealthUrl { get; init; }

    /// <summary>The status the health endpoint must answer.</summary>
    public int ExpectedStatusCode { get; init; } = 200;

    /// <summary>Origins whose requests CORS must allow (Access-Control-Allow-Origin).</summary>
    public IReadOnlyList<string> Origins { get; init; } = Array.Empty<string>();

    /// <summary>The image tag that must run (<c>165</c>, <c>soft-launch-32.165</c>, a full reference, or a docker tag); null: Lightsail's newest pushed image.</summary>
    public string? ExpectedImageTag { get; init; }

    /// <summary>Variable names that must be set; <c>*</c> matches any characters (<c>AI_MAX_TOKENS_*</c>: at least one).</summary>
    public IReadOnlyList<string> RequiredEnvironment { get; init; } = Array.Empty<string>();

    /// <summary>Variables whose values must match, compared by SHA-256 digest; the values are never shown.</summary>
    public IReadOnlyDictionary<string, string> ExpectedEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Startup phases in order (text a log line contains, or /a regular expression/); none: <see cref="DefaultStartupPhases"/>.</summary>
    public IReadOnlyList<string> StartupPhases { get; init; } = Array.Empty<string>();

    /// <summary>How long one HTTP check may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The phases to check: the configured ones, else the defaults.</summary>
    public IReadOnlyList<string> EffectiveStartupPhases => StartupPhases.Count > 0 ? StartupPhases : DefaultStartupPhases;

    /// <summary>These expectations, what was not given filled from an environment's settings of the service.</summary>
    public VerificationExpectations WithSettings(VerificationSettings? settings) => settings is null ? this : this with
    {
        ReadyPath = ReadyPath ?? settings.ReadyPath,
        Origins = Origins.Count > 0 ? Origins : settings.CorsOrigins,
        RequiredEnvironment = RequiredEnvironment.Count > 0 ? RequiredEnvironment : settings.RequiredEnvironment,
        StartupPhases = StartupPhases.Count > 0 ? StartupPhases : settings.StartupPhases,
    };

    /// <summary>Checks every value; throws <see cref="DeployOpsException"/> naming the first bad one and what was expected.</summary>
    public void Validate()
    {
        if (ReadyPath is { } path)
        {
            ValidatePath(path, "-ReadyPath");
        }

        if (HealthUrl is { } url)
        {
            EndpointTester.ParseUrl(url);
        }

        foreach (var origin in Origins)
        {
            ValidateOrigin(origin);
        }

        if (ExpectedImageTag is { } tag && (tag.Trim().Length == 0 || tag.Any(char.IsWhiteSpace)))
        {
            throw Invalid(ErrorIds.InvalidImageReference, $"'{tag}' is not an image tag; expected a tag such as 165, soft-launch-32.165 or :api.soft-launch-32.165 (no spaces).", tag);
        }

        foreach (var name in RequiredEnvironment)
        {
            ValidateVariable(name, allowWildcard: true, "-RequiredEnvironment");
        }

        foreach (var name in ExpectedEnvironment.Keys)
        {
            ValidateVariable(name, allowWildcard: false, "-ExpectedEnvironment");
        }

        foreach (var phase in StartupPhases)
        {
            StartupSequenceRules.Validate(phase);
        }
    }

    /// <summary>A health path: starts with /, no spaces; InvalidHealthCheckPath otherwise.</summary>
    public static void ValidatePath(string path, string source)
    {
        if (!path.StartsWith("/", StringComparison.Ordinal) || path.Any(char.IsWhiteSpace))
        {
            throw Invalid(ErrorIds.InvalidHealthCheckPath, $"'{path}' (from {source}) is not a health path; expected a path that starts with / and has no spaces, e.g. /health/ready.", path);
        }
    }

    /// <summary>A variable name (letters, digits, _; not starting with a digit), with <c>*</c> when <paramref name="allowWildcard"/>; InvalidEnvironmentName otherwise.</summary>
    public static void ValidateVariable(string name, bool allowWildcard, string source)
    {
        if (!(allowWildcard ? VariablePattern : VariableName).IsMatch(name ?? ""))
        {
            throw Invalid(ErrorIds.InvalidEnvironmentName,
                $"'{name}' (from {source}) is not an environment variable name; expected letters, digits and _ not starting with a digit" +
                (allowWildcard ? ", with * for any characters (e.g. AI_MAX_TOKENS_*)." : ", e.g. AI_MAX_TOKENS_INPUT."), name ?? "");
        }
    }

    /// <summary>An origin: an absolute http(s) URL without a path; InvalidUrl otherwise.</summary>
    public static void ValidateOrigin(string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.PathAndQuery != "/" || origin.EndsWith("/", StringComparison.Ordinal))
        {
            throw Invalid(ErrorIds.InvalidUrl, $"'{origin}' is not an origin; expected a scheme and host without a path, e.g. https://app.example.com.", origin);
        }
    }

    private static DeployOpsException Invalid(string id, string message, string target) =>
        new(new DeployOpsError(id, DeployOpsErrorKind.InvalidArgument, message, target));
}
