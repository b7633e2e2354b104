using System;
using System.Management.Automation;
using DeployOps.Deployments;
using DeployOps.Operations;

namespace DeployOps.Commands;

/// <summary>
/// The base of the cmdlets that start ECS deployments (Restart-EcsService, Repair-TargetGroupHealthCheck): -Force
/// for the confirmation, -Wait and -Timeout for waiting on what they started.
/// </summary>
public abstract class EcsDeploymentCmdlet : DeployOpsAwsCmdlet
{
    /// <summary>-Wait: wait for the deployments the command starts.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>-Timeout: seconds to wait for each deployment with -Wait (whole seconds, as Wait-Job -Timeout).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    [Alias("TimeoutSec")]
    public int Timeout { get; set; } = WaitEcsDeploymentCommand.DefaultTimeoutSeconds;

    /// <summary>-Force: change without asking for confirmation (-WhatIf still changes nothing).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>How long to wait with -Wait; null without it.</summary>
    protected DeploymentWaitSettings? WaitSettings => Wait ? new DeploymentWaitSettings(TimeSpan.FromSeconds(Timeout)) : null;

    /// <summary>ShouldProcess for one planned change, honouring -Force (see <see cref="DeployOpsCmdlet.ShouldChange"/>).</summary>
    protected bool ShouldChange(IChangePlan plan) => ShouldChange(plan, Force);
}
