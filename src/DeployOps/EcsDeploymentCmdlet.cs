using System;
using System.Management.Automation;
using DeployOps.Deployments;

namespace DeployOps.Commands;

/// <summary>
/// The base of the cmdlets that start ECS deployments (Restart-EcsService, Repair-TargetGroupHealthCheck,
/// Invoke-EcsRollback): with -Wait they wait on what they started, and a rollout that completes is recorded as verified
/// in the deployment journal (as Wait-EcsDeployment records it) unless -NoJournal, so Invoke-EcsRollback -ToLastVerified
/// knows it.
/// </summary>
public abstract class EcsDeploymentCmdlet : DeploymentChangeCmdlet
{
    /// <summary>-NoJournal: with -Wait, do not record a completed rollout as verified in the deployment journal.</summary>
    [Parameter]
    public SwitchParameter NoJournal { get; set; }

    /// <summary>How long to wait with -Wait, and the journal a completed rollout goes to; null without -Wait.</summary>
    protected DeploymentWaitSettings? WaitSettings => Wait
        ? new DeploymentWaitSettings(TimeSpan.FromSeconds(Timeout)) { Recorder = NoJournal ? null : new VerificationRecorder(Journal, MyInvocation.MyCommand.Name + " -Wait") }
        : null;
}
