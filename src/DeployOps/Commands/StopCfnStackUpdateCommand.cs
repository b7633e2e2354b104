using System.Management.Automation;
using DeployOps.Stacks;

namespace DeployOps.Commands;

/// <summary>
/// Stop-CfnStackUpdate: cancels a stack's update (CancelUpdateStack); CloudFormation rolls it back. Only in
/// UPDATE_IN_PROGRESS: in any other status the command refuses, naming the status and the legal actions.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "CfnStackUpdate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CfnStackChange), typeof(CfnStackWaitResult))]
public sealed class StopCfnStackUpdateCommand : StackChangeCmdlet
{
    /// <summary>Checks, confirms and cancels the update (with -Wait, waits for the rollback to complete).</summary>
    protected override void ProcessRecord() => Change((changer, token) => changer.PlanCancelAsync(StackName, token));
}
