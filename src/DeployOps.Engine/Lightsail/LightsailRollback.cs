using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Lightsail;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Verification;

namespace DeployOps.Lightsail;

/// <summary>Which deployment a rollback returns to.</summary>
public enum LightsailRollbackTarget
{
    /// <summary>The deployment that was ACTIVE before the current one (the newest INACTIVE older than it).</summary>
    Previous,

    /// <summary>A version given by number.</summary>
    Version,

    /// <summary>The newest version the deployment journal records as verified, other than the current one.</summary>
    LastVerified,
}

/// <summary>What Invoke-LightsailRollback asks for.</summary>
public sealed record LightsailRollbackRequest
{
    public string ServiceName { get; init; } = "";

    public LightsailRollbackTarget Target { get; init; } = LightsailRollbackTarget.Previous;

    /// <summary>The version to return to, with <see cref="LightsailRollbackTarget.Version"/>.</summary>
    public int? Version { get; init; }

    /// <summary>Wait for the rollback deployment; null: return once it started.</summary>
    public LightsailWaitSettings? Wait { get; init; }
}

/// <summary>A rollback planned: the ACTIVE version, the version whose specification is deployed again, and what that changes.</summary>
public sealed class LightsailRollbackPlan : IChangePlan
{
    public string ServiceName { get; init; } = "";

    public string Region { get; init; } = "";

    public int FromVersion { get; init; }

    public int ToVersion { get; init; }

    /// <summary>Why this version: "the deployment ACTIVE before version 4", "verified by Test-DeploymentVerification at ...".</summary>
    public string Why { get; init; } = "";

    public LightsailDeploymentSpecification Specification { get; init; } = new(new Dictionary<string, LightsailContainer>(), null);

    public LightsailDeploymentDiff Diff { get; init; } = new();

    public string ShouldProcessTarget => $"Lightsail container service {ServiceName} ({Region})";

    public string ShouldProcessAction => $"Roll back from version {FromVersion} to the specification of version {ToVersion} ({Why}): {Diff.Summary}";
}

/// <summary>
/// Runbook 003's rollback procedure: find the version to return to (the previous deployment, a given version, or the last
/// one the deployment journal records as verified), deploy its specification again as a new version, and with a wait,
/// wait for it through ACTIVATING (failing fast on FAILED).
/// </summary>
public sealed class LightsailRollback
{
    private readonly AwsFacts _facts;
    private readonly DeploymentJournal? _journal;

    /// <param name="journal">The deployment journal; needed for <see cref="LightsailRollbackTarget.LastVerified"/>.</param>
    public LightsailRollback(AwsFacts facts, DeploymentJournal? journal)
    {
        _facts = facts;
        _journal = journal;
    }

    /// <summary>Reads the service and its deployments and picks the version; throws <see cref="DeployOpsException"/> when there is none to return to.</summary>
    public async Task<LightsailRollbackPlan> PlanAsync(LightsailRollbackRequest request, CancellationToken cancellationToken)
    {
        var service = await _facts.Lightsail.RequireServiceAsync(request.ServiceName, cancellationToken).ConfigureAwait(false);
        LightsailPublisher.RequireSettled(service);
        var current = service.CurrentDeployment ?? throw Nothing(service.Name, $"container service '{service.Name}' has no ACTIVE deployment to roll back from");
        var deployments = await _facts.Lightsail.RequireDeploymentsAsync(service.Name, cancellationToken).ConfigureAwait(false);
        var (target, why) = request.Target switch
        {
            LightsailRollbackTarget.Version => Given(service.Name, request.Version ?? 0, current, deployments),
            LightsailRollbackTarget.LastVerified => LastVerified(service.Name, current, deployments),
            _ => Previous(service.Name, current, deployments),
        };
        var container = LightsailSpecifications.ServedContainer(target.Specification) ?? LightsailSpecifications.ServedContainer(current.Specification) ?? "";
        var diff = LightsailSpecifications.Diff(service.Name, current.Version, current.Specification, target.Specification, container);
        return new LightsailRollbackPlan
        {
            ServiceName = service.Name,
            Region = _facts.Session.Region.Name,
            FromVersion = current.Version,
            ToVersion = target.Version,
            Why = why,
            Specification = target.Specification,
            Diff = diff,
        };
    }

    /// <summary>Deploys the plan's specification; with a wait, waits for it. Returns the result, then the error when it did not become ACTIVE.</summary>
    public async Task<IReadOnlyList<ItemOutcome<object>>> ApplyAsync(LightsailRollbackPlan plan, LightsailRollbackRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        _facts.Observer.Verbose($"{plan.ShouldProcessTarget}: {plan.ShouldProcessAction}.");
        var version = await new LightsailPublisher(_facts, _journal).DeployAsync(plan.ServiceName, plan.Specification, cancellationToken).ConfigureAwait(false);
        var waited = request.Wait is { } wait
            ? await new LightsailDeploymentWaiter(_facts).WaitAsync(plan.ServiceName, version, wait, cancellationToken).ConfigureAwait(false)
            : new LightsailWaitResult(LightsailDeploymentOutcome.Started, $"deployment {version} started", null, Array.Empty<string>(), null, clock.Elapsed);
        var reason = waited.Outcome switch
        {
            LightsailDeploymentOutcome.Active => $"version {version} runs the specification of version {plan.ToVersion} ({plan.Diff.ImageTo}); version {plan.FromVersion} is INACTIVE",
            LightsailDeploymentOutcome.Started => $"version {version} started with the specification of version {plan.ToVersion} ({plan.Diff.ImageTo})",
            _ => waited.Reason,
        };
        return new LightsailDeploymentResult
        {
            ServiceName = plan.ServiceName,
            Action = "Rollback",
            Version = version,
            PreviousVersion = plan.FromVersion,
            RestoredVersion = plan.ToVersion,
            Image = plan.Diff.ImageTo,
            OutcomeKind = waited.Outcome,
            Reason = reason,
            StateDetail = waited.LastStateDetail,
            LogLines = waited.LogLines.ToPrintableList(),
            ActiveAt = waited.ActiveAt,
            Elapsed = clock.Elapsed,
            FinishedAt = DateTimeOffset.UtcNow,
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        }.Outcomes();
    }

    /// <summary>The deployment ACTIVE before the current one: the newest INACTIVE deployment older than it.</summary>
    internal static (LightsailDeployment, string) Previous(string serviceName, LightsailDeployment current, IReadOnlyList<LightsailDeployment> deployments) =>
        deployments.Where(d => d.Version < current.Version && d.State == LightsailDeploymentState.Inactive).OrderByDescending(d => d.Version).FirstOrDefault() is { } previous
            ? (previous, $"the deployment ACTIVE before version {current.Version}")
            : throw Nothing(serviceName, $"no deployment of '{serviceName}' ran before version {current.Version} (no INACTIVE deployment older than it)");

    /// <summary>A given version: it must exist, not be the ACTIVE one, and have run (not FAILED).</summary>
    internal static (LightsailDeployment, string) Given(string serviceName, int version, LightsailDeployment current, IReadOnlyList<LightsailDeployment> deployments)
    {
        var target = deployments.FirstOrDefault(d => d.Version == version) ?? throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.LightsailDeploymentNotFound,
            $"Container service '{serviceName}' has no deployment {version}; its versions: {string.Join(", ", deployments.Select(d => $"{d.Version} ({d.State})"))}.",
            version.ToString(CultureInfo.InvariantCulture)));
        if (target.Version == current.Version)
        {
            throw Nothing(serviceName, $"version {version} is the ACTIVE deployment of '{serviceName}' already");
        }

        return target.State == LightsailDeploymentState.Failed
            ? throw Nothing(serviceName, $"deployment {version} of '{serviceName}' FAILED and never ran; pick a version that ran (INACTIVE)")
            : (target, $"version {version}, as asked");
    }

    /// <summary>The newest verified version (per the journal) other than the ACTIVE one that Lightsail still lists.</summary>
    private (LightsailDeployment, string) LastVerified(string serviceName, LightsailDeployment current, IReadOnlyList<LightsailDeployment> deployments)
    {
        var journal = _journal ?? throw new InvalidOperationException("A -ToLastVerified rollback needs the deployment journal.");
        var verified = journal.Of(DeploymentJournal.LightsailTarget(_facts.Session.Region.Name, serviceName));
        foreach (var entry in verified)
        {
            if (int.TryParse(entry.Revision, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version != current.Version
                && deployments.FirstOrDefault(d => d.Version == version && d.State != LightsailDeploymentState.Failed) is { } deployment)
            {
                return (deployment, $"verified by {entry.VerifiedBy} at {entry.VerifiedAt:u}");
            }
        }

        throw Nothing(serviceName, verified.Count == 0
            ? $"the deployment journal ({journal.Path}) records no verified deployment of '{serviceName}'"
            : $"the deployment journal ({journal.Path}) records no verified deployment of '{serviceName}' other than the ACTIVE version {current.Version} that Lightsail still lists");
    }

    private static DeployOpsException Nothing(string serviceName, string why) =>
        new(new DeployOpsError(ErrorIds.NothingToRollBackTo, DeployOpsErrorKind.NotFound, $"Nothing to roll back to: {why}.", serviceName)
        {
            RecommendedAction = $"Get-LightsailDeployment -ServiceName {serviceName} lists the versions; roll back to one with -Version.",
        });
}
