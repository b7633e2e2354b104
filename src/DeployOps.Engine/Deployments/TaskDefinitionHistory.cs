using System;
using System.Collections.Generic;
using System.Globalization;
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

/// <summary>One revision of a task definition family, as Get-EcsTaskDefinitionHistory shows it (runbook 002 "Get previous task definition").</summary>
public sealed class TaskDefinitionRevision
{
    /// <summary>The service whose deployments and verifications are shown (null when only a family was named).</summary>
    public string? Cluster { get; init; }

    public string? Service { get; init; }

    public string Family { get; init; } = "";

    public int Revision { get; init; }

    /// <summary>family:revision, as -TaskDefinition takes it.</summary>
    public string TaskDefinition => $"{Family}:{Revision.ToString(CultureInfo.InvariantCulture)}";

    public string TaskDefinitionArn { get; init; } = "";

    /// <summary>ACTIVE or INACTIVE.</summary>
    public string? Status { get; init; }

    public DateTimeOffset? RegisteredAt { get; init; }

    public string? Cpu { get; init; }

    public string? Memory { get; init; }

    /// <summary>The containers' images (with their tags).</summary>
    public PrintableList<string> Images { get; init; } = PrintableList<string>.Empty;

    /// <summary>The environment variables' names, never their values.</summary>
    public PrintableList<string> EnvironmentNames { get; init; } = PrintableList<string>.Empty;

    /// <summary>The secrets' names (the variables they fill), never their values.</summary>
    public PrintableList<string> SecretNames { get; init; } = PrintableList<string>.Empty;

    /// <summary>The service's deployments of this revision that ECS still shows, newest first.</summary>
    public PrintableList<DeploymentRecord> Deployments { get; init; } = PrintableList<DeploymentRecord>.Empty;

    /// <summary>How its newest deployment ended (InProgress, Completed, Failed, RolledBack, Replaced), or null when none is visible.</summary>
    public string? LastOutcome => Deployments.FirstOrDefault()?.Outcome;

    /// <summary>True when the deployment journal says DeployOps verified this revision for the service.</summary>
    public bool Verified => VerifiedAt is not null;

    /// <summary>The newest verification of this revision for the service.</summary>
    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>True for the revision the service's PRIMARY deployment runs.</summary>
    public bool Running { get; init; }

    /// <summary>What could not be read about this revision, or null.</summary>
    public string? NotRead { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{TaskDefinition} {string.Join(", ", Images)} {LastOutcome}" + (Verified ? " (verified)" : "");
}

/// <summary>What Get-EcsTaskDefinitionHistory reads.</summary>
public sealed record TaskDefinitionHistoryRequest
{
    /// <summary>The service's cluster (with <see cref="Service"/>: the family it runs, its deployments and verifications).</summary>
    public string? Cluster { get; init; }

    public string? Service { get; init; }

    /// <summary>The family; by default the one the service runs.</summary>
    public string? Family { get; init; }

    /// <summary>How many revisions, newest first.</summary>
    public int MaxRevisions { get; init; } = 10;
}

/// <summary>
/// Get-EcsTaskDefinitionHistory: a family's ACTIVE revisions newest first (ListTaskDefinitions, then DescribeTaskDefinition
/// per revision shown), each with its image and tag, cpu and memory, the names of its variables and secrets, and, for a
/// service, the deployments that used it and how they ended (from ECS's deployments, events and tasks) and whether the
/// deployment journal says DeployOps verified it.
/// </summary>
public sealed class TaskDefinitionHistoryReader
{
    private readonly AwsFacts _facts;
    private readonly DeploymentJournal? _journal;

    public TaskDefinitionHistoryReader(AwsFacts facts, DeploymentJournal? journal)
    {
        _facts = facts;
        _journal = journal;
    }

    public async Task<IReadOnlyList<TaskDefinitionRevision>> ReadAsync(TaskDefinitionHistoryRequest request, CancellationToken cancellationToken)
    {
        EcsService? service = null;
        DeploymentHistoryReading? history = null;
        var cluster = string.IsNullOrEmpty(request.Cluster) ? null : AwsArn.LastSegment(request.Cluster!);
        if (cluster is not null && !string.IsNullOrEmpty(request.Service))
        {
            service = await _facts.Services.RequireAsync(cluster, request.Service!, cancellationToken).ConfigureAwait(false);
            history = await _facts.DeploymentHistory.ReadAsync(cluster, service, cancellationToken).ConfigureAwait(false);
        }

        var family = request.Family ?? RevisionInfo.Parse(service?.Primary?.TaskDefinition ?? service?.TaskDefinition)?.Family
            ?? throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidTaskDefinition, DeployOpsErrorKind.InvalidArgument,
                "No task definition family to list: give -Family, or -Cluster and -Service of a service that runs one.", request.Family));
        var revisions = await _facts.TaskDefinitions.RevisionsAsync(family, cancellationToken).ConfigureAwait(false);
        if (revisions.Gap is { } gap)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.AwsRequestFailed, DeployOpsErrorKind.Other, gap.ToString(), family));
        }

        if (!revisions.IsRead || revisions.Value.Count == 0)
        {
            throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.TaskDefinitionNotFound,
                $"Task definition family '{family}' has no ACTIVE revision in region '{_facts.Session.Region.Name}'.", family));
        }

        var shown = revisions.Value.Take(Math.Max(1, request.MaxRevisions)).ToList();
        var definitions = await Task.WhenAll(shown.Select(r => _facts.TaskDefinitions.ReadAsync(r.Arn, cancellationToken))).ConfigureAwait(false);
        var verified = service is null || _journal is null
            ? new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal)
            : Verifications(DeploymentJournal.EcsTarget(_facts.Session.Region.Name, cluster!, service.Name));
        if (history?.Gap is { } tasksGap)
        {
            _facts.Observer.Warning($"{tasksGap}: deployments whose task definition only their tasks name are left out.");
        }

        return shown.Zip(definitions, (revision, definition) => Row(revision, definition, cluster, service, history, verified)).ToList();
    }

    /// <summary>The newest verification time of each revision (family:revision) of the target; a journal that cannot be read is a warning.</summary>
    private Dictionary<string, DateTimeOffset> Verifications(string target)
    {
        try
        {
            return RollbackTargets.NewestFirst(_journal!.Of(target)).ToDictionary(v => AwsArn.LastSegment(v.Revision), v => v.VerifiedAt, StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is CorruptFileException or System.IO.IOException or UnauthorizedAccessException)
        {
            _facts.Observer.Warning($"The deployment journal {_journal!.Path} could not be read ({ex.Message}); Verified is false for every revision.");
            return new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        }
    }

    private TaskDefinitionRevision Row(RevisionInfo revision, Fact<EcsTaskDefinition> definition, string? cluster, EcsService? service, DeploymentHistoryReading? history,
        IReadOnlyDictionary<string, DateTimeOffset> verified)
    {
        var read = definition.ValueOr(null);
        var containers = read?.ContainerDefinitions ?? Array.Empty<EcsContainerDefinition>();
        var redact = _facts.Redactor;
        return new TaskDefinitionRevision
        {
            Cluster = cluster,
            Service = service?.Name,
            Family = revision.Family,
            Revision = revision.Revision,
            TaskDefinitionArn = revision.Arn,
            Status = read?.Status ?? revision.Status,
            RegisteredAt = read?.RegisteredAt,
            Cpu = read?.Cpu,
            Memory = read?.Memory,
            Images = containers.Select(c => c.Image ?? "").Where(i => i.Length > 0).Select(redact.Redact).ToPrintableList(),
            EnvironmentNames = containers.SelectMany(c => c.Environment).Select(v => v.Name).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToPrintableList(),
            SecretNames = containers.SelectMany(c => c.Secrets).Select(v => v.Name).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToPrintableList(),
            Deployments = (history is null ? Array.Empty<DeploymentRecord>() : DeploymentHistory.Of(history.Records, revision.Arn))
                .Select(r => Redacted(r, redact)).ToPrintableList(),
            VerifiedAt = verified.TryGetValue(revision.Name, out var at) ? at : null,
            Running = service?.Primary?.TaskDefinition is { } running && DeploymentHistory.SameRevision(running, revision.Arn),
            NotRead = definition.Gap?.ToString(),
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
    }

    private static DeploymentRecord Redacted(DeploymentRecord record, Redaction.SecretRedactor redactor) => new()
    {
        DeploymentId = record.DeploymentId,
        TaskDefinition = record.TaskDefinition,
        OutcomeKind = record.OutcomeKind,
        Reason = redactor.RedactOptional(record.Reason),
        StartedAt = record.StartedAt,
        Current = record.Current,
        StartedByCircuitBreaker = record.StartedByCircuitBreaker,
    };
}
