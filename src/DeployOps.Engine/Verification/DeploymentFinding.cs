using System.Text.RegularExpressions;

namespace DeployOps.Verification;

/// <summary>The outcome of one check of a deployment.</summary>
public enum VerificationOutcome
{
    Pass,

    /// <summary>Nothing is broken, but the check is weaker than it should be (a liveness-only health path, one node).</summary>
    Warning,

    Fail,

    /// <summary>Nothing to check against (no expected tag, no origins given).</summary>
    Skipped,

    /// <summary>The facts could not be read (throttled past the retries, access denied): the verdict is incomplete.</summary>
    NotRead,
}

/// <summary>
/// One finding about a deployment: a check of runbook 003's verify-deployment.sh (health endpoint, CORS, image version,
/// environment variables, startup sequence) or of its resilience (scale, health-check path). Never carries a secret.
/// </summary>
public sealed class DeploymentFinding
{
    public DeploymentFinding(string check, VerificationOutcome outcome, string message, string? recommendedAction = null)
    {
        Check = check;
        OutcomeKind = outcome;
        Message = message;
        RecommendedAction = recommendedAction;
    }

    /// <summary>What was checked, e.g. HealthEndpoint, Cors, ImageTag, Environment, StartupSequence, Scale, HealthCheckPath.</summary>
    public string Check { get; }

    /// <summary>A <see cref="VerificationOutcome"/> name: Pass, Warning, Fail, Skipped or NotRead (text, so JSON and CSV show the name).</summary>
    public string Outcome => OutcomeKind.ToString();

    internal VerificationOutcome OutcomeKind { get; }

    /// <summary>What was found, in words.</summary>
    public string Message { get; }

    /// <summary>What to do about it, when there is something.</summary>
    public string? RecommendedAction { get; }

    public override string ToString() => $"[{Outcome}] {Check}: {Message}";
}

/// <summary>
/// Health-check paths as runbook 003 sees them: a liveness path (<c>/health/live</c>, <c>/</c>, <c>/ping</c>) only says the
/// process runs; a deep path (<c>/health/ready</c>) says the application is initialized, its database and cache reachable.
/// </summary>
public static class HealthPaths
{
    private static readonly Regex Liveness = new(@"^/$|(^|/)(live|livez|liveness|alive|ping|healthz)/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>
    /// True when <paramref name="path"/> only checks liveness: it is not <paramref name="readyPath"/> when a deep path is
    /// configured, else it looks like one (<c>/</c>, <c>.../live</c>, <c>/ping</c>, <c>/healthz</c>).
    /// </summary>
    public static bool IsLivenessOnly(string path, string? readyPath) =>
        readyPath is { Length: > 0 } ? !string.Equals(PathOf(path), PathOf(readyPath), System.StringComparison.Ordinal) : Liveness.IsMatch(PathOf(path));

    private static string PathOf(string path) => path.Split('?')[0];
}
