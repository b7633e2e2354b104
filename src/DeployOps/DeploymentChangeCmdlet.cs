using System.Management.Automation;
using DeployOps.Operations;

namespace DeployOps.Commands;

/// <summary>
/// The base of the cmdlets that change a deployment and record it in the local store (Invoke-EcsRollback,
/// Invoke-LightsailRollback, and the stack actions of <see cref="StackChangeCmdlet"/>): -Force for the confirmation,
/// -Wait and -Timeout for waiting on what they started. A command whose waits are longer sets <see cref="Timeout"/>'s
/// default in its constructor.
/// </summary>
public abstract class DeploymentChangeCmdlet : DeploymentStoreAwsCmdlet
{
    /// <summary>-Wait: wait until the change has taken effect (failing fast when it fails).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>-Timeout: seconds to wait with -Wait (whole seconds, as Wait-Job -Timeout).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    [Alias("TimeoutSec")]
    public int Timeout { get; set; } = WaitEcsDeploymentCommand.DefaultTimeoutSeconds;

    /// <summary>-Force: change without asking for confirmation (-WhatIf still changes nothing).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>ShouldProcess for one planned change, honouring -Force (see <see cref="DeployOpsCmdlet.ShouldChange"/>).</summary>
    protected bool ShouldChange(IChangePlan plan) => ShouldChange(plan, Force);
}
