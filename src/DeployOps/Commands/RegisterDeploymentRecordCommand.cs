using System;
using System.Management.Automation;
using DeployOps.Coordination;
using DeployOps.Operations;

namespace DeployOps.Commands;

/// <summary>
/// Register-DeploymentRecord: adds a deployment to the registry before it starts (runbook 001's coordinator), refusing
/// a second active deployment of the same stack ("waiting for active deployment").
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "DeploymentRecord", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DeploymentRecord))]
public sealed class RegisterDeploymentRecordCommand : DeploymentStoreCmdlet
{
    /// <summary>-StackName: the CloudFormation stack the deployment changes.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string StackName { get; set; } = string.Empty;

    /// <summary>-CorrelationId: the deployment's id for tracing; by default a new one (deploy-&lt;UTC time&gt;-&lt;hex&gt;).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    public string? CorrelationId { get; set; }

    /// <summary>-StartedAt: when the deployment started; now by default.</summary>
    [Parameter]
    public DateTime? StartedAt { get; set; }

    /// <summary>-StartedBy: who started it; the current user by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StartedBy { get; set; }

    /// <summary>-Commit: the commit deployed.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    public string? Commit { get; set; }

    /// <summary>Checks the names, then adds the record and writes it.</summary>
    protected override void ProcessRecord()
    {
        var now = DateTimeOffset.UtcNow;
        var correlationId = CorrelationId ?? DeploymentRegistry.NewCorrelationId(now);
        Require(() =>
        {
            DeploymentRegistry.ValidateStackName(StackName);
            DeploymentRegistry.ValidateCorrelationId(correlationId);
        }, StackName);
        var registry = new DeploymentRegistry(Store);
        var entry = new RegistryEntry
        {
            CorrelationId = correlationId,
            StackName = StackName,
            Status = RegistryEntry.ActiveStatus,
            StartedAt = StartedAt is { } started ? new DateTimeOffset(started.ToUniversalTime(), TimeSpan.Zero) : now,
            StartedBy = StartedBy ?? System.Environment.UserName,
            Commit = Commit,
        };
        if (ShouldProcess($"deployment registry {registry.Path}", $"Register deployment {correlationId} of stack {StackName}")
            && TryRunEngine(token => registry.RegisterAsync(entry, token), correlationId, out var registered))
        {
            WriteObject(DeploymentRecord.From(registered, registry.Store.Folder));
        }
    }
}
