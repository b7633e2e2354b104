using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Estimates;

namespace DeployOps.Commands;

/// <summary>
/// Update-DeploymentHistory: runbook 001's <c>deployment-time-estimator.sh collect</c>. Reads the stacks' events
/// (deleted stacks too) and merges every finished operation, with each resource's duration, into
/// deployment-history.json (average_deployment_minutes, resource_averages, deployments); reports the estimates' accuracy
/// on it. Collecting again adds only what is new.
/// </summary>
[Cmdlet(VerbsData.Update, "DeploymentHistory", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DeploymentHistorySummary))]
public sealed class UpdateDeploymentHistoryCommand : DeploymentStoreAwsCmdlet
{
    /// <summary>-StackName: the stacks to collect; by default every stack of the region.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(StackNameCompleter))]
    public string[]? StackName { get; set; }

    /// <summary>Collects, confirms and writes (-WhatIf: shows what the history would become, writes nothing).</summary>
    protected override void ProcessRecord()
    {
        var collector = new DeploymentHistoryCollector(Facts);
        var store = Store;
        if (!TryRunEngine(token => collector.CollectAsync(StackName ?? Array.Empty<string>(), store, token), store.Folder, out var collection))
        {
            return;
        }

        if (ShouldProcess(collection.ShouldProcessTarget, collection.ShouldProcessAction))
        {
            if (TryRunEngine(token => collector.WriteAsync(collection, token), store.Folder, out var summary))
            {
                WriteObject(summary);
            }
        }
        else if (TryRunEngine(_ => System.Threading.Tasks.Task.FromResult(collector.Preview(collection)), store.Folder, out var preview))
        {
            WriteObject(preview);
        }
    }
}
