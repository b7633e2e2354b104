using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Deployments;

namespace DeployOps.Commands;

/// <summary>Restart-EcsService: forces a new deployment of ECS services (runbook 000 steps 3A and 3B, "force new deployment").</summary>
[Cmdlet(VerbsLifecycle.Restart, "EcsService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(EcsDeploymentStart), typeof(DeploymentWaitResult))]
public sealed class RestartEcsServiceCommand : EcsDeploymentCmdlet
{
    /// <summary>-Cluster: the ECS cluster.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ClusterCompleter))]
    public string Cluster { get; set; } = string.Empty;

    /// <summary>-Service: the services to redeploy.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string[] Service { get; set; } = Array.Empty<string>();

    /// <summary>Plans, confirms and redeploys each service (and with -Wait, waits for it).</summary>
    protected override void ProcessRecord()
    {
        var redeployer = new ServiceRedeployer(Facts);
        foreach (var name in Service)
        {
            if (TryRunEngine(token => redeployer.PlanAsync(Cluster, name, token), name, out var plan)
                && ShouldChange(plan)
                && TryRunEngine(token => redeployer.ApplyAsync(plan, WaitSettings, token), name, out var outcomes))
            {
                WriteOutcomes(outcomes);
            }
        }
    }
}
