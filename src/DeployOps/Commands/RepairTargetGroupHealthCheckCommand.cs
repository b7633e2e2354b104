using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Deployments;
using DeployOps.Health;

namespace DeployOps.Commands;

/// <summary>
/// Repair-TargetGroupHealthCheck: runbook 000 step 3A. Sets a target group's health-check path and matcher, optionally
/// forces new deployments of the services using it, waits for them and reports their health.
/// </summary>
[Cmdlet(VerbsDiagnostic.Repair, "TargetGroupHealthCheck", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(TargetGroupHealthCheckChange), typeof(DeploymentHealthReport))]
public sealed class RepairTargetGroupHealthCheckCommand : EcsDeploymentCmdlet
{
    /// <summary>-TargetGroupArn: the target groups to repair; a health report binds its TargetGroupArn.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] TargetGroupArn { get; set; } = Array.Empty<string>();

    /// <summary>-HealthCheckPath: the path the health check should request, e.g. /api/v1/health/health/.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string HealthCheckPath { get; set; } = string.Empty;

    /// <summary>-Matcher: the HTTP codes that mean healthy, e.g. 200 or 200-299.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Matcher { get; set; } = "200";

    /// <summary>-Redeploy: force a new deployment of the services using the group.</summary>
    [Parameter]
    public SwitchParameter Redeploy { get; set; }

    /// <summary>-Cluster: the cluster of the services to redeploy (a health report binds its Cluster).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ClusterCompleter))]
    public string? Cluster { get; set; }

    /// <summary>-Service: the services to redeploy; none means every service using the group.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string[]? Service { get; set; }

    /// <summary>Plans, confirms and applies the change for each target group; the engine waits and reports with -Wait.</summary>
    protected override void ProcessRecord()
    {
        var repairer = new HealthCheckRepairer(Facts);
        foreach (var arn in TargetGroupArn)
        {
            var request = new HealthCheckRepairRequest
            {
                TargetGroupArn = arn,
                HealthCheckPath = HealthCheckPath,
                Matcher = Matcher,
                Redeploy = Redeploy,
                Cluster = string.IsNullOrEmpty(Cluster) ? null : Cluster,
                Services = Service ?? Array.Empty<string>(),
                Wait = WaitSettings,
            };
            if (TryRunEngine(token => repairer.PlanAsync(request, token), arn, out var plan)
                && ShouldChange(plan)
                && TryRunEngine(token => repairer.ApplyAsync(plan, request, token), arn, out var outcomes))
            {
                WriteOutcomes(outcomes);
            }
        }
    }
}
