using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Errors;
using DeployOps.Operations;

namespace DeployOps.Verification;

/// <summary>The verdict of a verification.</summary>
public enum VerificationStatus
{
    /// <summary>Every check passed (warnings allowed): recorded in the deployment journal.</summary>
    Passed,

    /// <summary>At least one check failed.</summary>
    Failed,

    /// <summary>Nothing failed in what was read, but something could not be read: not a pass.</summary>
    Incomplete,
}

/// <summary>
/// The result of Test-DeploymentVerification for one service (runbook 003's verify-deployment.sh): one finding per check,
/// which checks failed, and whether the pass was recorded in the deployment journal.
/// </summary>
public sealed class DeploymentVerificationResult
{
    /// <summary>Lightsail or Ecs.</summary>
    public string Platform { get; init; } = "";

    /// <summary>The ECS cluster; null for a Lightsail container service.</summary>
    public string? Cluster { get; init; }

    /// <summary>The ECS service or Lightsail container service.</summary>
    public string Service { get; init; } = "";

    /// <summary>What was verified: the Lightsail deployment version, or the ECS task definition ARN.</summary>
    public string Revision { get; init; } = "";

    /// <summary>The images it runs, as "container: image".</summary>
    public PrintableList<string> Images { get; init; } = PrintableList<string>.Empty;

    /// <summary>The health URL requested (query values taken out), or null.</summary>
    public string? HealthUrl { get; init; }

    /// <summary>A <see cref="VerificationStatus"/> name: Passed, Failed or Incomplete.</summary>
    public string Status => StatusKind.ToString();

    internal VerificationStatus StatusKind => Findings.Any(f => f.OutcomeKind == VerificationOutcome.Fail) ? VerificationStatus.Failed
        : Findings.Any(f => f.OutcomeKind == VerificationOutcome.NotRead) ? VerificationStatus.Incomplete
        : VerificationStatus.Passed;

    public bool Passed => StatusKind == VerificationStatus.Passed;

    /// <summary>The checks that failed (or could not be read), e.g. ImageTag; Environment; StartupSequence.</summary>
    public PrintableList<string> FailedChecks => Findings.Where(f => f.OutcomeKind is VerificationOutcome.Fail or VerificationOutcome.NotRead).Select(f => f.Check).ToPrintableList();

    public PrintableList<DeploymentFinding> Findings { get; init; } = PrintableList<DeploymentFinding>.Empty;

    /// <summary>True when the pass was recorded in the deployment journal (a later -ToLastVerified rollback goes to it).</summary>
    public bool Recorded { get; internal set; }

    public DateTimeOffset VerifiedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    /// <summary>What a verification writes: this result, then the error naming the failed checks when it did not pass.</summary>
    public IReadOnlyList<ItemOutcome<object>> Outcomes() => ToError() is { } error
        ? new[] { ItemOutcome<object>.Success(this), ItemOutcome<object>.Failure(error) }
        : new[] { ItemOutcome<object>.Success(this) };

    /// <summary>VerificationFailed (or VerificationIncomplete) naming the checks, so -ErrorAction Stop fails a pipeline; null for a pass.</summary>
    public DeployOpsError? ToError()
    {
        var target = Cluster is null ? Service : $"{Cluster}/{Service}";
        var problems = string.Join(" ", Findings.Where(f => f.OutcomeKind is VerificationOutcome.Fail or VerificationOutcome.NotRead).Select(f => $"{f.Check}: {f.Message}"));
        return StatusKind switch
        {
            VerificationStatus.Failed => new DeployOpsError(ErrorIds.VerificationFailed, DeployOpsErrorKind.DeploymentFailed,
                $"The deployment of {target} ({Revision}) failed verification ({FailedChecks}). {problems}", target)
            {
                RecommendedAction = Findings.FirstOrDefault(f => f.OutcomeKind == VerificationOutcome.Fail && f.RecommendedAction is not null)?.RecommendedAction
                                    ?? "Fix what failed and verify again, or roll back (Invoke-LightsailRollback, Invoke-EcsRollback).",
            },
            VerificationStatus.Incomplete => new DeployOpsError(ErrorIds.VerificationIncomplete, DeployOpsErrorKind.OutcomeUnknown,
                $"The deployment of {target} ({Revision}) could not be verified: {problems}", target)
            {
                RecommendedAction = "Run the verification again; nothing was recorded as verified.",
            },
            _ => null,
        };
    }

    public override string ToString() => $"{(Cluster is null ? Service : $"{Cluster}/{Service}")} {Revision}: {Status}" + (FailedChecks.Count > 0 ? $" ({FailedChecks})" : "");
}
