using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using DeployOps.Aws;
using DeployOps.Errors;
using DeployOps.Verification;

namespace DeployOps.Deployments;

/// <summary>Where Invoke-EcsRollback goes.</summary>
public enum RollbackMode
{
    /// <summary>The revision before the one the service runs, skipping revisions whose deployment FAILED.</summary>
    ToPrevious,

    /// <summary>A revision the caller names (family:revision or ARN).</summary>
    TaskDefinition,

    /// <summary>The newest revision DeployOps verified (the deployment journal).</summary>
    ToLastVerified,
}

/// <summary>A task definition revision: its ARN, family, number and status (ACTIVE or INACTIVE).</summary>
public sealed record RevisionInfo(string Arn, string Family, int Revision, string? Status)
{
    private static readonly Regex Reference = new(@"(?:^|task-definition/)(?<family>[A-Za-z0-9_-]{1,255}):(?<revision>\d+)$", RegexOptions.CultureInvariant);

    /// <summary>family:revision.</summary>
    public string Name => $"{Family}:{Revision.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The family and revision of a reference (family:revision or a task definition ARN), or null when it is neither.</summary>
    public static (string Family, int Revision)? Parse(string? reference) =>
        reference is not null && Reference.Match(reference) is { Success: true } match && int.TryParse(match.Groups["revision"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? (match.Groups["family"].Value, revision)
            : null;
}

/// <summary>What the rollback goes to and why; <see cref="AlreadyRolledBack"/> set means there is nothing to change.</summary>
/// <param name="TaskDefinition">The revision to deploy (an ARN).</param>
/// <param name="Why">Why this revision, in words.</param>
/// <param name="AlreadyRolledBack">The circuit breaker's rollback, when it already took the service back (-ToPrevious has nothing to do).</param>
public sealed record RollbackChoice(string TaskDefinition, string Why, CircuitBreakerRollback? AlreadyRolledBack = null);

/// <summary>
/// Runbook 002 "Immediate rollback" / "Manual rollback steps" as rules: which revision a rollback deploys. Unlike "revision
/// minus one" it skips revisions whose deployment FAILED, can go to the last revision DeployOps verified, refuses the
/// revision already running, and sees when the circuit breaker has rolled back already. Pure.
/// </summary>
public static class RollbackTargets
{
    /// <param name="mode">Where to go.</param>
    /// <param name="running">The task definition the service's PRIMARY deployment runs (an ARN).</param>
    /// <param name="revisions">The ACTIVE revisions of its family.</param>
    /// <param name="history">The service's deployments as ECS still shows them.</param>
    /// <param name="breaker">The circuit breaker's rollback, when the PRIMARY deployment is one.</param>
    /// <param name="requested">The revision -TaskDefinition names, or the newest verified one for -ToLastVerified (described; null when it does not exist).</param>
    /// <param name="verifications">The service's verifications, newest first.</param>
    public static RollbackChoice Choose(RollbackMode mode, string running, IReadOnlyList<RevisionInfo> revisions, IReadOnlyList<DeploymentRecord> history,
        CircuitBreakerRollback? breaker, RevisionInfo? requested, IReadOnlyList<JournalEntry> verifications)
    {
        var current = RevisionInfo.Parse(running) ?? throw new DeployOpsException(new DeployOpsError(ErrorIds.NoRollbackTarget, DeployOpsErrorKind.NotFound,
            $"The service runs '{running}', which is not a task definition revision; nothing to roll back from.", running));
        var runningName = $"{current.Family}:{current.Revision.ToString(CultureInfo.InvariantCulture)}";
        return mode switch
        {
            RollbackMode.ToPrevious => Previous(runningName, current.Family, current.Revision, revisions, history, breaker, running),
            RollbackMode.TaskDefinition => Named(runningName, requested, history, breaker, "as named by -TaskDefinition"),
            _ => LastVerified(runningName, requested, history, breaker, verifications),
        };
    }

    /// <summary>The newest verification of each revision, newest first.</summary>
    public static IReadOnlyList<JournalEntry> NewestFirst(IEnumerable<JournalEntry> verifications) =>
        verifications.OrderByDescending(v => v.VerifiedAt).GroupBy(v => AwsArn.LastSegment(v.Revision), StringComparer.Ordinal).Select(g => g.First()).ToList();

    private static RollbackChoice Previous(string runningName, string family, int revision, IReadOnlyList<RevisionInfo> revisions, IReadOnlyList<DeploymentRecord> history,
        CircuitBreakerRollback? breaker, string running)
    {
        if (breaker is not null)
        {
            var failed = history.FirstOrDefault(r => r.DeploymentId == breaker.FailedDeploymentId)?.TaskDefinition is { } arn ? AwsArn.LastSegment(arn) : "a newer revision";
            var earlier = revisions.Where(r => r.Family == family && r.Revision < revision).OrderByDescending(r => r.Revision).FirstOrDefault();
            return new RollbackChoice(running,
                $"The circuit breaker already rolled back: deployment {breaker.FailedDeploymentId} ({failed}) failed ({breaker.Reason}) and {breaker.Rollback.Id} " +
                $"runs {runningName} again{(breaker.Completed ? "" : ", still rolling out")}. Nothing to roll back" +
                (earlier is null ? "." : $"; to go further back: -TaskDefinition {earlier.Name}."),
                breaker);
        }

        var skipped = new List<string>();
        foreach (var candidate in revisions.Where(r => r.Family == family && r.Revision < revision).OrderByDescending(r => r.Revision))
        {
            var newest = DeploymentHistory.Of(history, candidate.Arn).FirstOrDefault();
            if (newest?.OutcomeKind is DeploymentOutcome.Failed or DeploymentOutcome.RolledBack)
            {
                skipped.Add($"{candidate.Name} (deployment {newest.DeploymentId} {newest.Outcome})");
                continue;
            }

            var why = $"the revision before {runningName}" + (skipped.Count == 0 ? "" : $", skipping {string.Join(", ", skipped)}") +
                      (newest is null ? "" : $"; its last deployment {newest.DeploymentId} {newest.Outcome}");
            return new RollbackChoice(candidate.Arn, why);
        }

        throw new DeployOpsException(new DeployOpsError(ErrorIds.NoRollbackTarget, DeployOpsErrorKind.NotFound,
            $"No revision of {family} before {runningName} to roll back to" + (skipped.Count == 0 ? "." : $" (skipped: {string.Join(", ", skipped)}).") +
            $" List the revisions with: Get-EcsTaskDefinitionHistory -Family {family}", runningName));
    }

    private static RollbackChoice Named(string runningName, RevisionInfo? requested, IReadOnlyList<DeploymentRecord> history, CircuitBreakerRollback? breaker, string why)
    {
        var target = requested ?? throw new ArgumentNullException(nameof(requested));
        if (target.Status is { } status && !string.Equals(status, "ACTIVE", StringComparison.Ordinal))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.TaskDefinitionInactive, DeployOpsErrorKind.InvalidArgument,
                $"Task definition {target.Name} is {status}; ECS deploys only ACTIVE revisions. Pick another with Get-EcsTaskDefinitionHistory -Family {target.Family}.", target.Name));
        }

        if (target.Name == runningName)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.RollbackTargetRunning, DeployOpsErrorKind.InvalidArgument,
                $"The service already runs {target.Name}" + (breaker is null ? "" : $" (the circuit breaker rolled back to it after deployment {breaker.FailedDeploymentId} failed)") +
                "; a rollback to it would change nothing. Pick an earlier revision with Get-EcsTaskDefinitionHistory.", target.Name));
        }

        var newest = DeploymentHistory.Of(history, target.Arn).FirstOrDefault();
        var note = newest?.OutcomeKind is DeploymentOutcome.Failed or DeploymentOutcome.RolledBack
            ? $"; note: its deployment {newest.DeploymentId} {newest.Outcome}"
            : newest is null ? "" : $"; its last deployment {newest.DeploymentId} {newest.Outcome}";
        return new RollbackChoice(target.Arn, why + note);
    }

    private static RollbackChoice LastVerified(string runningName, RevisionInfo? requested, IReadOnlyList<DeploymentRecord> history, CircuitBreakerRollback? breaker,
        IReadOnlyList<JournalEntry> verifications)
    {
        var newest = NewestFirst(verifications);
        if (newest.Count == 0 || requested is null)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.NoVerifiedRevision, DeployOpsErrorKind.NotFound,
                newest.Count == 0
                    ? "The deployment journal has no verified revision of this service. Wait-EcsDeployment records one each time a rollout completes; " +
                      "until then roll back with -ToPrevious or -TaskDefinition."
                    : $"{AwsArn.LastSegment(newest[0].Revision)}, the last verified revision, no longer exists; roll back with -ToPrevious or -TaskDefinition.",
                runningName));
        }

        var entry = newest[0];
        if (requested.Name == runningName)
        {
            var earlier = newest.Skip(1).Select(v => $"{AwsArn.LastSegment(v.Revision)} (verified {v.VerifiedAt:u})").ToList();
            throw new DeployOpsException(new DeployOpsError(ErrorIds.RollbackTargetRunning, DeployOpsErrorKind.InvalidArgument,
                $"{requested.Name}, the last verified revision (verified {entry.VerifiedAt:u} by {entry.VerifiedBy}), is the one the service runs" +
                (breaker is null ? "" : " (the circuit breaker rolled back to it)") + "; nothing to roll back. " +
                (earlier.Count == 0 ? "No earlier revision was verified." : $"Earlier verified revisions: {string.Join(", ", earlier)}; roll back to one with -TaskDefinition."),
                requested.Name));
        }

        return Named(runningName, requested, history, breaker, $"the last verified revision (verified {entry.VerifiedAt:u} by {entry.VerifiedBy})");
    }
}
