using System.Collections.Generic;
using System.Linq;
using DeployOps.Facts;
using DeployOps.Networking;

namespace DeployOps.Operations;

/// <summary>
/// One check of a runbook section (Test-DatabaseConnectivity, Test-VpcNetwork): how it came out, the facts that decided it
/// and the fix. The outcome is a <see cref="HopOutcome"/>, the vocabulary of the network path's hops.
/// </summary>
public sealed class DiagnosticCheck
{
    /// <summary>The check as a person names it: "Cluster status", "Task to database", "NAT gateway nat-...", "Flow logs".</summary>
    public string Name { get; init; } = "";

    /// <summary>A <see cref="HopOutcome"/> name: Pass, Fail, Unknown or Skipped.</summary>
    public string Outcome => OutcomeKind.ToString();

    internal HopOutcome OutcomeKind { get; init; }

    /// <summary>The facts that decided it, one sentence each (names, ids, hosts and ports: never a secret value).</summary>
    public PrintableList<string> Evidence { get; init; } = PrintableList<string>.Empty;

    /// <summary>What to do, as a command where one exists; null when it passes.</summary>
    public string? Fix { get; init; }

    public override string ToString() => $"[{Outcome}] {Name}";

    public static DiagnosticCheck Of(string name, HopOutcome outcome, string? fix, params string[] evidence) =>
        new() { Name = name, OutcomeKind = outcome, Evidence = evidence.ToPrintableList(), Fix = fix };

    public static DiagnosticCheck Pass(string name, params string[] evidence) => Of(name, HopOutcome.Pass, null, evidence);

    public static DiagnosticCheck Fail(string name, string fix, params string[] evidence) => Of(name, HopOutcome.Fail, fix, evidence);

    public static DiagnosticCheck Skipped(string name, string why) => Of(name, HopOutcome.Skipped, null, why);

    /// <summary>A check whose facts could not be read: the gap, and <paramref name="retry"/> (the command to run again).</summary>
    public static DiagnosticCheck Unknown(string name, Gap gap, string retry) =>
        Of(name, HopOutcome.Unknown, $"Run {retry} again, or allow more attempts with AWS_MAX_ATTEMPTS", gap.ToString());

    /// <summary>Fail when a check fails, Unknown when one could not be judged, else Pass.</summary>
    public static HopOutcome Verdict(IReadOnlyList<DiagnosticCheck> checks) =>
        checks.Any(c => c.OutcomeKind == HopOutcome.Fail) ? HopOutcome.Fail
        : checks.Any(c => c.OutcomeKind == HopOutcome.Unknown) ? HopOutcome.Unknown
        : HopOutcome.Pass;

    /// <summary>The same check with its evidence and fix passed through <paramref name="redact"/>.</summary>
    public DiagnosticCheck Redacted(Redaction.SecretRedactor redact) =>
        new() { Name = Name, OutcomeKind = OutcomeKind, Evidence = Evidence.Select(redact.Redact).ToPrintableList(), Fix = redact.RedactOptional(Fix) };
}
