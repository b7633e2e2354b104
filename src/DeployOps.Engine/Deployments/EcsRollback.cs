using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Storage;
using DeployOps.Verification;

namespace DeployOps.Deployments;

/// <summary>What Invoke-EcsRollback asks for.</summary>
public sealed record RollbackRequest
{
    public string Cluster { get; init; } = "";

    public string Service { get; init; } = "";

    public RollbackMode Mode { get; init; }

    /// <summary>For <see cref="RollbackMode.TaskDefinition"/>: family:revision or an ARN.</summary>
    public string? TaskDefinition { get; init; }
}

/// <summary>A planned rollback: what Invoke-EcsRollback's ShouldProcess shows.</summary>
public sealed class RollbackPlan : IChangePlan
{
    public string Cluster { get; init; } = "";

    public string Service { get; init; } = "";

    public RollbackMode Mode { get; init; }

    /// <summary>The task definition the service runs now (ARN).</summary>
    public string From { get; init; } = "";

    /// <summary>The task definition the rollback deploys (ARN); the same as <see cref="From"/> when there is nothing to do.</summary>
    public string To { get; init; } = "";

    public string Why { get; init; } = "";

    /// <summary>The circuit breaker's rollback when it already took the service back: nothing to change.</summary>
    public CircuitBreakerRollback? AlreadyRolledBack { get; init; }

    /// <summary>False when there is nothing to change (the circuit breaker already rolled back).</summary>
    public bool NeedsChange => AlreadyRolledBack is null;

    public string ShouldProcessTarget => $"ECS service {Service} in cluster {Cluster}";

    public string ShouldProcessAction => $"Roll back from {AwsArn.LastSegment(From)} to {AwsArn.LastSegment(To)} ({Why})";

    public override string ToString() => $"{Cluster}/{Service}: {AwsArn.LastSegment(From)} -> {AwsArn.LastSegment(To)}";
}

/// <summary>A rollback Invoke-EcsRollback made (or found already made by the circuit breaker); pipes into Wait-EcsDeployment.</summary>
public sealed class EcsRollbackResult
{
    public string Cluster { get; init; } = "";

    public string Service { get; init; } = "";

    /// <summary>A <see cref="RollbackMode"/> name: ToPrevious, TaskDefinition or ToLastVerified.</summary>
    public string Mode { get; init; } = "";

    /// <summary>What the service ran before (family:revision).</summary>
    public string FromTaskDefinition { get; init; } = "";

    /// <summary>What it runs now (family:revision).</summary>
    public string TaskDefinition { get; init; } = "";

    /// <summary>Why that revision.</summary>
    public string Reason { get; init; } = "";

    /// <summary>False when nothing was changed (the circuit breaker had already rolled back).</summary>
    public bool Changed { get; init; }

    /// <summary>The deployment that rolls the service back (the new PRIMARY, or the circuit breaker's).</summary>
    public string DeploymentId { get; init; } = "";

    public DateTimeOffset StartedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{Cluster}/{Service}: {FromTaskDefinition} -> {TaskDefinition} ({DeploymentId})";
}

/// <summary>
/// Invoke-EcsRollback (runbook 002 "Immediate rollback", runbook 000's emergency rollback): plans which revision to deploy
/// (<see cref="RollbackTargets"/>) from the service, its family's revisions, its deployment history and the deployment
/// journal; applies it with one UpdateService (never resent when its outcome is unknown; no task definition is ever
/// deregistered), right away even while a failing rollout is still within the circuit breaker's threshold; and with a
/// wait, waits for the rollback with the fail-fast waiter, recording the revision as verified when it completes.
/// </summary>
public sealed class EcsRollback
{
    private readonly AwsFacts _facts;
    private readonly DeploymentJournal? _journal;

    /// <param name="facts">The run's fact readers.</param>
    /// <param name="journal">The deployment journal (-ToLastVerified reads it; a completed wait records in it); null for none.</param>
    public EcsRollback(AwsFacts facts, DeploymentJournal? journal)
    {
        _facts = facts;
        _journal = journal;
    }

    public async Task<RollbackPlan> PlanAsync(RollbackRequest request, CancellationToken cancellationToken)
    {
        if (request.Mode == RollbackMode.TaskDefinition && RevisionInfo.Parse(request.TaskDefinition) is null)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidTaskDefinition, DeployOpsErrorKind.InvalidArgument,
                $"'{request.TaskDefinition}' is not a task definition revision; expected family:revision such as lightwave-backend-dev:2, or its ARN.", request.TaskDefinition));
        }

        var target = $"{request.Cluster}/{request.Service}";
        var service = await ServiceRedeployer.Translated(() => _facts.Services.RequireAsync(request.Cluster, request.Service, cancellationToken), target).ConfigureAwait(false);
        var cluster = AwsArn.LastSegment(service.ClusterArn.Length > 0 ? service.ClusterArn : request.Cluster);
        if (!service.AcceptsDeployments)
        {
            throw new DeployOpsException(ServiceReader.NotFound(service.Name, cluster, service.Status));
        }

        var running = service.Primary?.TaskDefinition ?? service.TaskDefinition ?? "";
        var family = RevisionInfo.Parse(running)?.Family ?? "";
        var revisions = _facts.TaskDefinitions.RevisionsAsync(family, cancellationToken);
        var history = _facts.DeploymentHistory.ReadAsync(cluster, service, cancellationToken);
        var verifications = request.Mode == RollbackMode.ToLastVerified ? Verifications(cluster, service.Name) : Array.Empty<JournalEntry>();
        var requested = request.Mode switch
        {
            RollbackMode.TaskDefinition => DescribeAsync(request.TaskDefinition!, cancellationToken),
            RollbackMode.ToLastVerified when RollbackTargets.NewestFirst(verifications).FirstOrDefault() is { } newest => DescribeAsync(newest.Revision, cancellationToken, required: false),
            _ => Task.FromResult<RevisionInfo?>(null),
        };
        await Task.WhenAll(revisions, history, requested).ConfigureAwait(false);
        if (revisions.Result.Gap is { } gap)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.AwsRequestFailed, DeployOpsErrorKind.Other, gap.ToString(), family));
        }

        if (history.Result.Gap is { } tasksGap)
        {
            _facts.Observer.Warning($"{tasksGap}: revisions whose failure only their tasks show cannot be skipped.");
        }

        var breaker = CircuitBreakerRollback.Detect(service);
        var choice = RollbackTargets.Choose(request.Mode, running, revisions.Result.ValueOr(Array.Empty<RevisionInfo>())!, history.Result.Records, breaker, requested.Result,
            verifications);
        return new RollbackPlan
        {
            Cluster = cluster,
            Service = service.Name,
            Mode = request.Mode,
            From = running,
            To = choice.TaskDefinition,
            Why = _facts.Redactor.Redact(choice.Why),
            AlreadyRolledBack = choice.AlreadyRolledBack,
        };
    }

    /// <summary>
    /// Deploys the plan's revision (nothing when the circuit breaker already rolled back); with <paramref name="wait"/>,
    /// waits for the rollback deployment. Returns the rollback, then the wait's result (and its error when it did not complete).
    /// </summary>
    public async Task<IReadOnlyList<ItemOutcome<object>>> ApplyAsync(RollbackPlan plan, DeploymentWaitSettings? wait, CancellationToken cancellationToken)
    {
        EcsDeployment deployment;
        if (plan.AlreadyRolledBack is { } breaker)
        {
            _facts.Observer.Warning(plan.Why);
            deployment = breaker.Rollback;
        }
        else
        {
            _facts.Observer.Verbose($"{plan.ShouldProcessTarget}: {plan.ShouldProcessAction}.");
            var updated = await ServiceRedeployer.Translated(() => _facts.Session.Ecs.UpdateServiceAsync(
                new EcsUpdateServiceRequest(plan.Cluster, plan.Service) { TaskDefinition = plan.To }, cancellationToken), plan.ToString()).ConfigureAwait(false);
            deployment = updated.Primary ?? throw new DeployOpsException(new DeployOpsError(ErrorIds.OutcomeUnknown, DeployOpsErrorKind.OutcomeUnknown,
                $"ECS accepted the rollback of {plan} but reports no PRIMARY deployment; check it with Get-DeploymentHealth.", plan.ToString()));
        }

        var result = new EcsRollbackResult
        {
            Cluster = plan.Cluster,
            Service = plan.Service,
            Mode = plan.Mode.ToString(),
            FromTaskDefinition = AwsArn.LastSegment(plan.From),
            TaskDefinition = AwsArn.LastSegment(plan.To),
            Reason = plan.Why,
            Changed = plan.NeedsChange,
            DeploymentId = deployment.Id,
            StartedAt = deployment.CreatedAt ?? DateTimeOffset.UtcNow,
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
        var outcomes = new List<ItemOutcome<object>> { ItemOutcome<object>.Success(result) };
        if (wait is not null)
        {
            var request = new DeploymentWaitRequest { Cluster = plan.Cluster, Service = plan.Service, DeploymentId = deployment.Id, Timeout = wait.Timeout };
            outcomes.AddRange((await new DeploymentWaiter(_facts, wait.Recorder).WaitAsync(request, cancellationToken).ConfigureAwait(false)).Outcomes());
        }

        return outcomes;
    }

    /// <summary>The service's verifications in the journal; a journal that cannot be read stops -ToLastVerified, naming the file.</summary>
    private IReadOnlyList<JournalEntry> Verifications(string cluster, string service)
    {
        if (_journal is null)
        {
            return Array.Empty<JournalEntry>();
        }

        try
        {
            return _journal.Of(DeploymentJournal.EcsTarget(_facts.Session.Region.Name, cluster, service));
        }
        catch (Exception ex) when (ex is CorruptFileException or System.IO.IOException or UnauthorizedAccessException)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.JournalUnreadable, DeployOpsErrorKind.Other,
                $"The deployment journal {_journal.Path} cannot be read: {ex.Message}", _journal.Path, ex)
            {
                RecommendedAction = "Roll back with -ToPrevious or -TaskDefinition, or repair the journal file.",
            });
        }
    }

    /// <summary>The revision a reference names; a missing one is TaskDefinitionNotFound (or null when not <paramref name="required"/>).</summary>
    private async Task<RevisionInfo?> DescribeAsync(string reference, CancellationToken cancellationToken, bool required = true)
    {
        var definition = await _facts.TaskDefinitions.ReadAsync(reference, cancellationToken).ConfigureAwait(false);
        if (definition.IsRead)
        {
            return new RevisionInfo(definition.Value.Arn, definition.Value.Family, definition.Value.Revision, definition.Value.Status);
        }

        if (definition.Gap is { } gap)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.AwsRequestFailed, DeployOpsErrorKind.Other, gap.ToString(), reference));
        }

        return required
            ? throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.TaskDefinitionNotFound,
                $"Task definition '{AwsArn.LastSegment(reference)}' does not exist in region '{_facts.Session.Region.Name}'. List the revisions with Get-EcsTaskDefinitionHistory.",
                reference))
            : null;
    }
}
