using System;
using System.Management.Automation;
using DeployOps.Coordination;

namespace DeployOps.Commands;

/// <summary>Complete-DeploymentRecord: marks a registered deployment completed (or failed, with -Failed) so the next one may start.</summary>
[Cmdlet(VerbsLifecycle.Complete, "DeploymentRecord", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DeploymentRecord))]
public sealed class CompleteDeploymentRecordCommand : DeploymentStoreCmdlet
{
    /// <summary>-CorrelationId: the deployments to complete.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] CorrelationId { get; set; } = Array.Empty<string>();

    /// <summary>-Failed: record that the deployment failed rather than completed.</summary>
    [Parameter]
    public SwitchParameter Failed { get; set; }

    /// <summary>Marks each deployment and writes its record.</summary>
    protected override void ProcessRecord()
    {
        var registry = new DeploymentRegistry(Store);
        foreach (var id in CorrelationId)
        {
            if (ShouldProcess($"deployment {id} in {registry.Path}", Failed ? "Mark the deployment failed" : "Mark the deployment completed")
                && TryRunEngine(token => registry.CompleteAsync(id, Failed, DateTimeOffset.UtcNow, token), id, out var entry))
            {
                WriteObject(DeploymentRecord.From(entry, registry.Store.Folder));
            }
        }
    }
}
