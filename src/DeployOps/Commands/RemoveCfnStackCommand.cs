using System;
using System.Management.Automation;
using DeployOps.Stacks;

namespace DeployOps.Commands;

/// <summary>
/// Remove-CfnStack: deletes a stack (DeleteStack), the runbook's way out of a stuck CREATE_IN_PROGRESS and of
/// ROLLBACK_COMPLETE; in DELETE_FAILED, -RetainResources keeps the resources that cannot be deleted. With -Wait it waits
/// until the stack does not exist, and fails fast on DELETE_FAILED with the resource's reason.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "CfnStack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CfnStackChange), typeof(CfnStackWaitResult))]
public sealed class RemoveCfnStackCommand : StackChangeCmdlet
{
    /// <summary>-RetainResources: logical ids of resources to keep (valid only in DELETE_FAILED).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RetainResources { get; set; }

    /// <summary>Checks, confirms and deletes the stack (with -Wait, until it does not exist).</summary>
    protected override void ProcessRecord() => Change((changer, token) => changer.PlanDeleteAsync(StackName, RetainResources ?? Array.Empty<string>(), token));
}
