using System;
using System.Management.Automation;
using DeployOps.Coordination;

namespace DeployOps.Commands;

/// <summary>
/// Repair-DeploymentRegistry: runbook 001's "registry unavailable" resolutions, one step each (-WhatIf shows every one):
/// creates a missing folder or file, sets permissions the owner lacks (755, 644) or reports what the user may not fix,
/// and backs up a corrupted file (deployments.json.corrupted-&lt;time&gt;), reinitialises it and re-adds the deployments
/// CloudFormation shows in progress.
/// </summary>
[Cmdlet(VerbsDiagnostic.Repair, "DeploymentRegistry", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(RegistryRepairStep))]
public sealed class RepairDeploymentRegistryCommand : DeploymentStoreAwsCmdlet
{
    /// <summary>-Force: repair without asking for confirmation (-WhatIf still changes nothing).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override bool UsesAws => false;

    /// <summary>
    /// Inspects, plans and applies each step in order; a step declined or failed stops the later ones (each builds on the
    /// one before). After permissions are fixed the content is inspected again (it may have been unreadable).
    /// </summary>
    protected override void ProcessRecord()
    {
        var repairer = new RegistryRepairer(new DeploymentRegistry(Store));
        for (var pass = 0; pass < 2; pass++)
        {
            var condition = repairer.Inspect();
            var facts = condition.NeedsCloudFormation ? Facts : null;
            if (!TryRunEngine(token => repairer.PlanAsync(condition, facts, token), Store.Folder, out var steps))
            {
                return;
            }

            var permissionsFixed = false;
            foreach (var step in steps)
            {
                if (!step.IsChange)
                {
                    WriteObject(step);
                    continue;
                }

                if (!ShouldChange(step, Force))
                {
                    if (WhatIfRequested())
                    {
                        continue;
                    }

                    return;
                }

                if (!TryRunEngine(step.ApplyAsync, step.Target, out var applied))
                {
                    return;
                }

                WriteObject(applied);
                if (applied.Outcome == nameof(RegistryRepairOutcome.Failed))
                {
                    WriteWarning($"{applied.Detail}. The later steps were not run.");
                    return;
                }

                permissionsFixed |= step.Action is nameof(RegistryRepairAction.SetFilePermissions) or nameof(RegistryRepairAction.SetFolderPermissions);
            }

            if (!permissionsFixed || condition.ContentProblem != RegistryProblem.AccessDenied || WhatIfRequested())
            {
                return;
            }
        }
    }
}
