using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DeployOps.Endpoints;
using DeployOps.Errors;
using DeployOps.Operations;

namespace DeployOps.Verification;

/// <summary>The phases <see cref="StartupSequence"/> takes: text, or a /regular expression/ that compiles.</summary>
public static class StartupSequenceRules
{
    /// <summary>Throws <see cref="DeployOpsException"/> (InvalidStartupPhase) for an empty phase or a /pattern/ that does not compile.</summary>
    public static void Validate(string phase)
    {
        if (string.IsNullOrWhiteSpace(phase))
        {
            throw Invalid(phase ?? "", "an empty phase matches every line; expected text a log line contains, e.g. Listening on port");
        }

        if (phase.Length > 2 && phase.StartsWith("/", StringComparison.Ordinal) && phase.EndsWith("/", StringComparison.Ordinal))
        {
            try
            {
                _ = new Regex(phase.Substring(1, phase.Length - 2));
            }
            catch (ArgumentException ex)
            {
                throw Invalid(phase, $"the regular expression does not compile ({ex.Message.TrimEnd('.')})");
            }
        }
    }

    private static DeployOpsException Invalid(string phase, string why) => new(new DeployOpsError(ErrorIds.InvalidStartupPhase, DeployOpsErrorKind.InvalidArgument,
        $"'{phase}' is not a startup phase: {why}. A phase is text a log line contains, or a /regular expression/.", phase));
}

/// <summary>
/// The checks of runbook 003's verify-deployment.sh, each turning what was read into one <see cref="DeploymentFinding"/>.
/// Pure: the verifier reads AWS and the endpoints, these decide. No finding ever carries an environment value.
/// </summary>
public static class VerificationChecks
{
    public const string HealthEndpoint = "HealthEndpoint";
    public const string Cors = "Cors";
    public const string ImageTag = "ImageTag";
    public const string Environment = "Environment";
    public const string StartupSequence = "StartupSequence";

    /// <summary>
    /// The health endpoint answered as expected. A pass on a liveness-only path (no deep path configured) is a warning:
    /// runbook 003's outage passed /health/live for 9 hours while the application was broken.
    /// </summary>
    public static DeploymentFinding Health(EndpointTestResult? result, bool livenessOnly, string? missingUrlReason = null)
    {
        if (result is null)
        {
            return new DeploymentFinding(HealthEndpoint, VerificationOutcome.Skipped, missingUrlReason ?? "No health URL to request.",
                "Give the public health URL (-HealthUrl, or publicHealthUrl in the environment's settings).");
        }

        if (!result.Success)
        {
            var why = result.StatusCode is { } status ? $"answered {status}, expected {result.ExpectedStatusCode}" : $"did not answer ({result.Error})";
            return new DeploymentFinding(HealthEndpoint, VerificationOutcome.Fail, $"{result.Url} {why}.",
                livenessOnly ? null : "The deep health check fails: read the startup sequence and the application's log for what is not ready.");
        }

        return livenessOnly
            ? new DeploymentFinding(HealthEndpoint, VerificationOutcome.Warning,
                $"{result.Url} answered {result.StatusCode}, but it only checks liveness: a process that never finished starting passes it too.",
                "Check a deep path that proves the app is ready (-ReadyPath /health/ready, or readyPath in the settings).")
            : new DeploymentFinding(HealthEndpoint, VerificationOutcome.Pass, $"{result.Url} answered {result.StatusCode} in {result.LatencyMs:0} ms.");
    }

    /// <summary>Every expected origin is allowed by Access-Control-Allow-Origin.</summary>
    public static DeploymentFinding CorsHeaders(IReadOnlyList<EndpointTestResult> results)
    {
        if (results.Count == 0)
        {
            return new DeploymentFinding(Cors, VerificationOutcome.Skipped, "No expected origins.",
                "Name the origins the front end calls from (-ExpectedOrigin, or corsOrigins in the settings).");
        }

        var refused = results.Where(r => r.CorsKind != CorsVerdict.Allowed).ToList();
        if (refused.Count == 0)
        {
            return new DeploymentFinding(Cors, VerificationOutcome.Pass, $"Access-Control-Allow-Origin allows {string.Join(", ", results.Select(r => r.Origin))}.");
        }

        var detail = string.Join("; ", refused.Select(r => r.StatusCode is null
            ? $"{r.Origin}: no answer ({r.Error})"
            : $"{r.Origin}: {r.Cors} (Access-Control-Allow-Origin is {(r.AccessControlAllowOrigin is null ? "absent" : $"'{r.AccessControlAllowOrigin}'")}, status {r.StatusCode})"));
        return new DeploymentFinding(Cors, VerificationOutcome.Fail, $"CORS does not allow every expected origin: {detail}.",
            "Set the allowed origins in the application's configuration (e.g. CORS_ORIGINS) and redeploy.");
    }

    /// <summary>
    /// The running image is the expected one: <paramref name="expected"/> names its tag (<c>165</c>), label and number
    /// (<c>soft-launch-32.165</c>), docker tag (<c>1.4.2</c>) or whole reference; <paramref name="expectedSource"/> says where it came from.
    /// </summary>
    public static DeploymentFinding Image(IReadOnlyList<(string Container, string Image)> running, string? expected, string expectedSource)
    {
        var shown = string.Join(", ", running.Select(r => $"{r.Container} runs {r.Image}"));
        if (expected is null)
        {
            return new DeploymentFinding(ImageTag, VerificationOutcome.Skipped, $"No expected image tag ({expectedSource}); {shown}.",
                "Give the tag that was just built and pushed (-ExpectedImageTag).");
        }

        return running.Any(r => TagMatches(r.Image, expected))
            ? new DeploymentFinding(ImageTag, VerificationOutcome.Pass, $"{shown}: the expected {expected} ({expectedSource}).")
            : new DeploymentFinding(ImageTag, VerificationOutcome.Fail, $"{shown}, not the expected {expected} ({expectedSource}): a stale configuration was deployed.",
                $"Deploy the expected image from the running configuration: Publish-LightsailDeployment -Image {expected} (Lightsail), or a new task definition revision (ECS).");
    }

    /// <summary>
    /// True when <paramref name="image"/> is <paramref name="expected"/>, or ends with it after ':' or '@' (a docker tag or
    /// digest), or after '.' in a pushed Lightsail image (<c>:api.soft-launch-32.165</c> has the tags 165 and soft-launch-32.165).
    /// </summary>
    public static bool TagMatches(string image, string expected)
    {
        if (string.Equals(image, expected, StringComparison.Ordinal))
        {
            return true;
        }

        if (!image.EndsWith(expected, StringComparison.Ordinal) || image.Length <= expected.Length)
        {
            return false;
        }

        var separator = image[image.Length - expected.Length - 1];
        return separator is ':' or '@' || (separator == '.' && Aws.Lightsail.LightsailImageReference.IsPushed(image) && image.IndexOf(':', 1) < 0);
    }

    /// <summary>
    /// The required names are set (a pattern with <c>*</c> needs at least one match) and the expected values match, compared by
    /// SHA-256 digest. <paramref name="variables"/> maps each name to its value, or to null when the value lives elsewhere (an
    /// ECS secret): such a value cannot be compared and says so. No value is ever put in the finding.
    /// </summary>
    public static DeploymentFinding EnvironmentVariables(IReadOnlyDictionary<string, string?> variables, IReadOnlyList<string> required, IReadOnlyDictionary<string, string> expected)
    {
        if (required.Count == 0 && expected.Count == 0)
        {
            return new DeploymentFinding(Environment, VerificationOutcome.Skipped, $"No expected variables; {variables.Count} set.",
                "Name the variables the image needs (-RequiredEnvironment, or requiredEnvironment in the settings).");
        }

        var missing = required.Where(pattern => !variables.Keys.Any(name => NameMatches(name, pattern)))
            .Concat(expected.Keys.Where(name => !variables.ContainsKey(name))).Distinct(StringComparer.Ordinal).ToList();
        var differing = expected.Where(e => variables.TryGetValue(e.Key, out var value) && value is not null && Digest(value) != Digest(e.Value)).Select(e => e.Key).ToList();
        var uncompared = expected.Where(e => variables.TryGetValue(e.Key, out var value) && value is null).Select(e => e.Key).ToList();
        var problems = new List<string>();
        if (missing.Count > 0)
        {
            problems.Add($"missing {string.Join(", ", missing)}");
        }

        if (differing.Count > 0)
        {
            problems.Add($"{string.Join(", ", differing)} differ{(differing.Count == 1 ? "s" : "")} from the expected value (SHA-256 digests compared)");
        }

        if (problems.Count > 0)
        {
            return new DeploymentFinding(Environment, VerificationOutcome.Fail, string.Join("; ", problems) + ".",
                "Set the variables the image needs and deploy again: Publish-LightsailDeployment -SetEnvironment @{...} (Lightsail), or a new task definition revision (ECS).");
        }

        var compared = expected.Count - uncompared.Count;
        // A pattern an expected name already matches (AI_MAX_TOKENS_* and AI_MAX_TOKENS_INPUT) names no further variable.
        var named = expected.Count + required.Count(pattern => !expected.Keys.Any(name => NameMatches(name, pattern)));
        var message = $"{named} expected name(s) set" +
                      (compared > 0 ? $"; {compared} value(s) match by SHA-256 digest" : "") +
                      (uncompared.Count > 0 ? $"; {string.Join(", ", uncompared)} come from secrets and were not compared" : "") + ".";
        return new DeploymentFinding(Environment, uncompared.Count > 0 ? VerificationOutcome.Warning : VerificationOutcome.Pass, message);
    }

    /// <summary>True when <paramref name="name"/> matches <paramref name="pattern"/>, where <c>*</c> stands for any characters.</summary>
    public static bool NameMatches(string name, string pattern) =>
        Regex.IsMatch(name, "^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant);

    /// <summary>The SHA-256 digest of a value, as lower-case hex: what values are compared by, never shown.</summary>
    public static string Digest(string value)
    {
        using var sha = SHA256.Create();
        return string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(value)).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// Every log source (a Lightsail container's merged log, an ECS task's stream) reached every phase in order. "Started
    /// but never listening" fails even while the health check passes.
    /// </summary>
    public static DeploymentFinding Startup(IReadOnlyList<(string Source, PrintableList<StartupPhaseResult> Phases)> sources, IReadOnlyList<string> phases)
    {
        if (sources.Count == 0)
        {
            return new DeploymentFinding(StartupSequence, VerificationOutcome.Fail, "No running node or task to read the startup of.");
        }

        var incomplete = sources.Where(s => Verification.StartupSequence.FirstMissing(s.Phases) is not null).ToList();
        if (incomplete.Count == 0)
        {
            var slowest = sources.Select(s => s.Phases.Sum(p => p.Seconds ?? 0)).Max();
            return new DeploymentFinding(StartupSequence, VerificationOutcome.Pass,
                $"{sources.Count} log source(s) reached every phase ({string.Join(" -> ", phases)}) in order, the slowest in {slowest:0.#} s.");
        }

        var detail = string.Join("; ", incomplete.Select(s =>
        {
            var missing = Verification.StartupSequence.FirstMissing(s.Phases)!;
            var last = s.Phases.LastOrDefault(p => p.Reached);
            return last is null ? $"{s.Source} never logged '{missing.Phase}'" : $"{s.Source} logged '{last.Phase}' but never '{missing.Phase}'";
        }));
        return new DeploymentFinding(StartupSequence, VerificationOutcome.Fail, $"The startup is incomplete: {detail}.",
            "The application started but never finished: check its log for what it waits on (a missing variable, a dependency), then fix and redeploy.");
    }

    /// <summary>A finding for a fact that could not be read: the verdict is incomplete.</summary>
    public static DeploymentFinding NotRead(string check, Facts.Gap gap) => new(check, VerificationOutcome.NotRead, gap.ToString());
}
