using System;
using DeployOps.Aws;

namespace DeployOps.Coordination;

/// <summary>What a registry record says when held against CloudFormation (Get-DeploymentRecord -Active).</summary>
public enum RecordReconciliation
{
    /// <summary>Not held against CloudFormation: the record is not active, or -Active was not asked for.</summary>
    NotChecked,

    /// <summary>Active, and its stack is in an <c>*_IN_PROGRESS</c> status: the deployment runs.</summary>
    InProgress,

    /// <summary>Active and registered moments ago; its stack has not started changing yet.</summary>
    Starting,

    /// <summary>Active while its stack is <c>*_COMPLETE</c> or gone: "stuck in queue", blocking the next deployment.</summary>
    Stale,

    /// <summary>Active while its stack is <c>*_FAILED</c>: the stack needs an operator before anything else.</summary>
    StackFailed,

    /// <summary>The stack could not be read (throttled, access denied): nothing can be said.</summary>
    Unknown,
}

/// <summary>Where a record comes from.</summary>
public enum RecordSource
{
    /// <summary>The deployment registry (<c>deployments.json</c>).</summary>
    Registry,

    /// <summary>CloudFormation alone: a stack in progress, listed while the registry is unavailable.</summary>
    CloudFormation,
}

/// <summary>
/// One deployment of the registry (Get-DeploymentRecord, Register-DeploymentRecord, ...), and with -Active what
/// CloudFormation says about it. Pipes into Remove-DeploymentRecord, Complete-DeploymentRecord and Watch-Deployment
/// (CorrelationId, StackName, RegistryPath, and the AWS settings it was checked with).
/// </summary>
public sealed class DeploymentRecord
{
    /// <summary>The deployment's correlation id; null for a stack listed from CloudFormation alone.</summary>
    public string? CorrelationId { get; init; }

    public string StackName { get; init; } = string.Empty;

    /// <summary>Active, Completed or Failed (the registry's status, as written when it is another word).</summary>
    public string Status { get; init; } = string.Empty;

    public DateTimeOffset? StartedAt { get; init; }

    public string? StartedBy { get; init; }

    public string? Commit { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>What the record says held against CloudFormation, as a name (see <see cref="RecordReconciliation"/>).</summary>
    public string Reconciliation => ReconciliationKind.ToString();

    /// <summary>The stack's status when it was checked; null when not checked or not read.</summary>
    public string? StackStatus { get; init; }

    /// <summary>Why the record is what <see cref="Reconciliation"/> says, e.g. "stack lightwave-dev-app is CREATE_COMPLETE since ...".</summary>
    public string? Detail { get; init; }

    /// <summary>What to do about it, as a command; null when nothing.</summary>
    public string? RecommendedAction { get; init; }

    /// <summary>Registry or CloudFormation.</summary>
    public string Source => SourceKind.ToString();

    /// <summary>The registry folder the record lives in (binds -RegistryPath down the pipeline).</summary>
    public string? RegistryPath { get; init; }

    /// <summary>The region CloudFormation was read in; null when not checked.</summary>
    public string? Region { get; init; }

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    /// <summary>True while the record says the deployment runs.</summary>
    public bool IsActive => string.Equals(Status, nameof(DeploymentRecordStatus.Active), StringComparison.Ordinal);

    internal RecordReconciliation ReconciliationKind { get; init; }

    internal RecordSource SourceKind { get; init; }

    /// <summary>The record of a registry entry, not yet held against CloudFormation.</summary>
    public static DeploymentRecord From(RegistryEntry entry, string registryFolder) => new()
    {
        CorrelationId = entry.CorrelationId,
        StackName = entry.StackName ?? string.Empty,
        Status = StatusName(entry.Status),
        StartedAt = entry.StartedAt,
        StartedBy = entry.StartedBy,
        Commit = entry.Commit,
        CompletedAt = entry.CompletedAt,
        RegistryPath = registryFolder,
        ReconciliationKind = RecordReconciliation.NotChecked,
        SourceKind = RecordSource.Registry,
    };

    /// <summary>This record held against CloudFormation in <paramref name="session"/>.</summary>
    internal DeploymentRecord Reconciled(RecordReconciliation reconciliation, string? stackStatus, string detail, string? action, AwsSession session) => new()
    {
        CorrelationId = CorrelationId,
        StackName = StackName,
        Status = Status,
        StartedAt = StartedAt,
        StartedBy = StartedBy,
        Commit = Commit,
        CompletedAt = CompletedAt,
        RegistryPath = RegistryPath,
        SourceKind = SourceKind,
        ReconciliationKind = reconciliation,
        StackStatus = stackStatus,
        Detail = detail,
        RecommendedAction = action,
        Region = session.Region.Name,
        EndpointUrl = session.EndpointUrl,
        ProfileName = session.ProfileName,
    };

    private static string StatusName(string? status) => status?.ToLowerInvariant() switch
    {
        "active" => nameof(DeploymentRecordStatus.Active),
        "completed" => nameof(DeploymentRecordStatus.Completed),
        "failed" => nameof(DeploymentRecordStatus.Failed),
        _ => status ?? string.Empty,
    };

    public override string ToString() => $"{CorrelationId ?? "(CloudFormation)"} {StackName} {Status} {Reconciliation}";
}

/// <summary>The statuses a registry record takes.</summary>
public enum DeploymentRecordStatus
{
    Active,
    Completed,
    Failed,
}
