using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Networking;

namespace DeployOps.Commands;

/// <summary>
/// Repair-EcsNetworkPath: for each failing hop of a service's network path whose fix is one missing inbound security group
/// rule (load balancer to task, task to database, a VPC endpoint), adds exactly that rule and nothing else (runbook 000
/// step 3C "update security group rules"). Routes, ACLs and egress are left for a person: the analysis names their fix.
/// </summary>
[Cmdlet(VerbsDiagnostic.Repair, "EcsNetworkPath", DefaultParameterSetName = EcsServiceSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SecurityGroupRuleChange))]
public sealed class RepairEcsNetworkPathCommand : EcsServicesCmdlet
{
    /// <summary>-DatabaseSecurityGroupId: the database's security groups, for the task-to-database hop (with -DatabasePort).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? DatabaseSecurityGroupId { get; set; }

    /// <summary>-DatabasePort: the database engine's port, e.g. 5432.</summary>
    [Parameter]
    public int DatabasePort { get; set; }

    /// <summary>-Force: add the rules without asking for confirmation (-WhatIf still changes nothing).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Analyses each service, then confirms and adds each missing inbound rule the analysis names.</summary>
    protected override void ProcessRecord()
    {
        var cluster = ResolveCluster(Cluster);
        var repairer = new NetworkPathRepairer(Facts);
        foreach (var service in ResolveServices(Service))
        {
            var request = NetworkPathRequests.For(cluster, service, DatabaseSecurityGroupId, DatabasePort, MyInvocation.BoundParameters.ContainsKey(nameof(DatabasePort)),
                DeploymentEnvironment);
            if (!TryRunEngine(token => repairer.PlanAsync(request, token), service, out var planned))
            {
                continue;
            }

            if (planned.Plans.Count == 0)
            {
                WriteWarning($"Nothing to repair on {planned.Report.Cluster}/{planned.Report.Service}: no failing hop is fixed by one missing inbound rule" +
                             (planned.Report.FailingHop is { } hop ? $" ('{hop}' fails; its fix: see Test-EcsNetworkPath's Hops)." : "."));
                continue;
            }

            foreach (var plan in planned.Plans)
            {
                if (ShouldChange(plan, Force) && TryRunEngine(token => repairer.ApplyAsync(plan, token), plan.Rule.GroupId, out var change))
                {
                    WriteObject(change);
                }
            }
        }
    }
}
