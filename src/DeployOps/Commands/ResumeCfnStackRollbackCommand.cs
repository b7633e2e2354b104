using System.Management.Automation;
using DeployOps.Stacks;

namespace DeployOps.Commands;

/// <summary>
/// Resume-CfnStackRollback: continues a stack's failed rollback (ContinueUpdateRollback), skipping the resources whose
/// rollback failed: computed from the stack (named on the parent, Nested.LogicalId for nested ones), or given with
/// -ResourcesToSkip and checked against that list. Only in UPDATE_ROLLBACK_FAILED.
/// </summary>
[Cmdlet(VerbsLifecycle.Resume, "CfnStackRollback", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CfnStackChange), typeof(CfnStackWaitResult))]
public sealed class ResumeCfnStackRollbackCommand : StackChangeCmdlet
{
    /// <summary>-ResourcesToSkip: the resources to skip; by default every resource whose rollback failed. Give an empty list (@()) to skip none.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? ResourcesToSkip { get; set; }

    /// <summary>Checks, confirms and continues the rollback (with -Wait, waits for it to complete).</summary>
    protected override void ProcessRecord() => Change((changer, token) => changer.PlanContinueRollbackAsync(StackName, ResourcesToSkip, token));
}
