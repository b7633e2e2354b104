using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DeployOps.Coordination;
using DeployOps.Errors;

namespace DeployOps.Commands;

/// <summary>
/// Get-DeploymentRecord: the deployments of the registry (runbook 001's <c>deployment-coordinator.sh get_active</c>);
/// with -Active, each active one held against CloudFormation, so a record whose stack is *_COMPLETE or gone shows as
/// Stale ("deployment stuck in queue"). When the registry is unavailable it warns and falls back to CloudFormation-only
/// coordination: the stacks in progress.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DeploymentRecord")]
[OutputType(typeof(DeploymentRecord))]
public sealed class GetDeploymentRecordCommand : DeploymentStoreAwsCmdlet
{
    /// <summary>-CorrelationId: only these deployments.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    public string[]? CorrelationId { get; set; }

    /// <summary>-StackName: only the deployments of these stacks.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    public string[]? StackName { get; set; }

    /// <summary>-Active: only active deployments, each held against CloudFormation (Reconciliation: InProgress, Stale, ...).</summary>
    [Parameter]
    public SwitchParameter Active { get; set; }

    /// <inheritdoc />
    protected override bool UsesAws => Active;

    /// <summary>Reads the registry (or falls back), filters, reconciles with -Active, and writes the records.</summary>
    protected override void ProcessRecord()
    {
        var registry = new DeploymentRegistry(Store);
        IReadOnlyList<DeploymentRecord> records;
        try
        {
            records = registry.ReadRecords();
        }
        catch (RegistryUnavailableException ex)
        {
            WriteWarning(Redactor.Redact($"Registry unavailable, falling back to CloudFormation-only coordination: {ex.Message} Repair it with Repair-DeploymentRegistry."));
            var facts = Facts;
            if (TryRunEngine(token => new DeploymentCoordinator(facts).InProgressStacksAsync(token), registry.Path, out var inProgress))
            {
                WriteObject(Filtered(inProgress), enumerateCollection: true);
            }

            return;
        }

        var wanted = Filtered(records).Where(r => !Active || r.IsActive).ToList();
        foreach (var missing in (CorrelationId ?? Array.Empty<string>()).Where(id => wanted.All(r => r.CorrelationId != id)))
        {
            WriteEngineError(ErrorTranslator.NotFound(ErrorIds.DeploymentRecordNotFound,
                $"The registry {registry.Path} has no {(Active ? "active " : "")}deployment with correlation id '{missing}'.", missing));
        }

        if (Active && wanted.Count > 0)
        {
            var facts = Facts;
            if (!TryRunEngine(token => new DeploymentCoordinator(facts).ReconcileAsync(wanted, token), registry.Path, out var reconciled))
            {
                return;
            }

            wanted = reconciled.ToList();
        }

        WriteObject(wanted, enumerateCollection: true);
    }

    private IEnumerable<DeploymentRecord> Filtered(IEnumerable<DeploymentRecord> records) =>
        records.Where(r => (CorrelationId is null || CorrelationId.Contains(r.CorrelationId)) && (StackName is null || StackName.Contains(r.StackName, StringComparer.Ordinal)));
}
