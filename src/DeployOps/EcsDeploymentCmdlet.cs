using System;
using System.Management.Automation;
using DeployOps.Deployments;

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

    /// <summary>ShouldProcess for one change, honouring -Force (see <see cref="DeployOpsCmdlet.ShouldChange"/>).</summary>
    protected bool ShouldChange(string target, string action) => ShouldChange(target, action, Force);

    /// <summary>
    /// Waits up to -Timeout for a deployment of a service (<paramref name="deploymentId"/> null: its PRIMARY one), with
    /// progress. False, with the error written, when the service cannot be waited for at all.
    /// </summary>
    protected bool TryWait(string cluster, string service, string? deploymentId, out DeploymentWaitResult result)
    {
        var request = new DeploymentWaitRequest { Cluster = cluster, Service = service, DeploymentId = deploymentId, Timeout = TimeSpan.FromSeconds(Timeout) };
        var waiter = new DeploymentWaiter(Session, Observer);
        return TryRunEngine(token => waiter.WaitAsync(request, token), $"{cluster}/{service}", out result);
    }
}
