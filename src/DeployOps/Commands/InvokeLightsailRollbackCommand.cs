using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Lightsail;

namespace DeployOps.Commands;

/// <summary>
/// Invoke-LightsailRollback: deploys again the specification of an earlier deployment of a Lightsail container service:
/// the one ACTIVE before the current (default), a given -Version, or -ToLastVerified (the deployment journal) (runbook 003).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "LightsailRollback", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = PreviousSet)]
[OutputType(typeof(LightsailDeploymentResult))]
public sealed class InvokeLightsailRollbackCommand : DeploymentChangeCmdlet
{
    /// <summary>Back to the deployment ACTIVE before the current one.</summary>
    public const string PreviousSet = "Previous";

    /// <summary>Back to a version given by number.</summary>
    public const string VersionSet = "Version";

    /// <summary>Back to the newest version the journal records as verified.</summary>
    public const string LastVerifiedSet = "LastVerified";

    /// <summary>-ServiceName: the container service.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LightsailServiceCompleter))]
    public string ServiceName { get; set; } = string.Empty;

    /// <summary>-Version: the deployment version whose specification to deploy again.</summary>
    [Parameter(ParameterSetName = VersionSet, Mandatory = true, Position = 1)]
    [ValidateRange(1, int.MaxValue)]
    public int Version { get; set; }

    /// <summary>-ToLastVerified: back to the newest version the deployment journal records as verified.</summary>
    [Parameter(ParameterSetName = LastVerifiedSet, Mandatory = true)]
    public SwitchParameter ToLastVerified { get; set; }

    /// <summary>Plans the rollback (which version, the diff), confirms, deploys, and with -Wait waits.</summary>
    protected override void ProcessRecord()
    {
        var request = new LightsailRollbackRequest
        {
            ServiceName = ServiceName,
            Target = ParameterSetName switch
            {
                VersionSet => LightsailRollbackTarget.Version,
                LastVerifiedSet => LightsailRollbackTarget.LastVerified,
                _ => LightsailRollbackTarget.Previous,
            },
            Version = ParameterSetName == VersionSet ? Version : null,
            Wait = Wait ? WaitFor(Timeout) : null,
        };
        var rollback = new LightsailRollback(Facts, Journal);
        if (TryRunEngine(token => rollback.PlanAsync(request, token), ServiceName, out var plan)
            && ShouldChange(plan)
            && TryRunEngine(token => rollback.ApplyAsync(plan, request, token), ServiceName, out var outcomes))
        {
            WriteOutcomes(outcomes);
        }
    }
}
