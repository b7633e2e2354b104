using System;
using System.Linq;
using System.Management.Automation;
using DeployOps.Coordination;

namespace DeployOps.Commands;

/// <summary>
/// Remove-DeploymentRecord: runbook 001's <c>deployment-coordinator.sh cleanup &lt;correlation_id&gt;</c>; with -Stale, every
/// active record CloudFormation shows is stale (its stack *_COMPLETE or gone).
/// </summary>
[Cmdlet(VerbsCommon.Remove, "DeploymentRecord", DefaultParameterSetName = CorrelationIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DeploymentRecord))]
public sealed class RemoveDeploymentRecordCommand : DeploymentStoreAwsCmdlet
{
    /// <summary>Records named by correlation id.</summary>
    public const string CorrelationIdSet = "CorrelationId";

    /// <summary>The stale records, found by holding the registry against CloudFormation.</summary>
    public const string StaleSet = "Stale";

    /// <summary>-CorrelationId: the deployments to remove.</summary>
    [Parameter(ParameterSetName = CorrelationIdSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] CorrelationId { get; set; } = Array.Empty<string>();

    /// <summary>-Stale: remove every active record whose stack is *_COMPLETE or gone.</summary>
    [Parameter(ParameterSetName = StaleSet, Mandatory = true)]
    public SwitchParameter Stale { get; set; }

    /// <summary>-Force: remove without asking for confirmation (-WhatIf still removes nothing).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>-PassThru: write each removed record.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override bool UsesAws => Stale;

    /// <summary>Finds the records (with -Stale, by reconciling), confirms each and removes it.</summary>
    protected override void ProcessRecord()
    {
        var registry = new DeploymentRegistry(Store);
        var targets = CorrelationId.Select(id => (Id: id, Why: (string?)null)).ToList();
        if (Stale)
        {
            var facts = Facts;
            if (!TryRunEngine(async token => await new DeploymentCoordinator(facts).ReconcileAsync(registry.ReadRecords(), token).ConfigureAwait(false), registry.Path, out var reconciled))
            {
                return;
            }

            targets = reconciled.Where(r => r.Reconciliation == nameof(RecordReconciliation.Stale)).Select(r => (r.CorrelationId!, r.Detail)).ToList();
            WriteVerbose($"{targets.Count} stale record(s) of {reconciled.Count(r => r.IsActive)} active in {registry.Path}.");
        }

        foreach (var (id, why) in targets)
        {
            var plan = new RecordRemovalPlan(registry.Path, id, why);
            if (ShouldChange(plan, Force) && TryRunEngine(token => registry.RemoveAsync(id, token), id, out var removed) && PassThru)
            {
                WriteObject(DeploymentRecord.From(removed, registry.Store.Folder));
            }
        }
    }

}
