using System;
using System.Collections.Generic;
using System.Linq;
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

    /// <summary>Plans, confirms and applies the change for each target group.</summary>
    protected override void ProcessRecord()
    {
        var repairer = new HealthCheckRepairer(Session, Observer);
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
            };
            if (!TryRunEngine(token => repairer.PlanAsync(request, token), arn, out var plan)
                || !ShouldChange(plan.ShouldProcessTarget, plan.ShouldProcessAction)
                || !TryRunEngine(token => repairer.ApplyAsync(plan, Redeploy, token), arn, out var change))
            {
                continue;
            }

            WriteObject(change);

            // A service that could not be redeployed does not undo the change: each is its own error.
            foreach (var error in change.RedeploymentErrors)
            {
                WriteEngineError(error);
            }

            if (Wait)
            {
                WaitAndReport(change);
            }
        }
    }

    private void WaitAndReport(TargetGroupHealthCheckChange change)
    {
        // The deployments -Redeploy started; without -Redeploy, the named services' current deployments.
        var waits = Redeploy
            ? change.Redeployments.Select(started => (started.Cluster, started.Service, (string?)started.DeploymentId)).ToList()
            : NamedServices().Select(service => (Cluster!, service, (string?)null)).ToList();
        if (waits.Count == 0)
        {
            WriteWarning($"-Wait: there is no deployment to wait for on {change.TargetGroupName}; use -Redeploy, or name the services with -Cluster and -Service.");
            return;
        }

        foreach (var (cluster, service, deploymentId) in waits)
        {
            if (TryWait(cluster, service, deploymentId, out var result) && result.ToError() is { } failed)
            {
                WriteEngineError(failed);
            }
        }

        var inspector = new DeploymentHealthInspector(Session, Observer);
        foreach (var cluster in waits.GroupBy(wait => wait.Item1, wait => wait.Item2, StringComparer.Ordinal))
        {
            var request = new HealthInspectionRequest
            {
                Cluster = cluster.Key,
                Services = cluster.Distinct(StringComparer.Ordinal).ToArray(),
                ExpectedHealthCheckPath = HealthCheckPath,
            };
            if (TryRunEngine(token => inspector.InspectAsync(request, token), cluster.Key, out var outcomes))
            {
                WriteOutcomes(outcomes);
            }
        }
    }

    private IEnumerable<string> NamedServices() =>
        string.IsNullOrEmpty(Cluster) || Service is null ? Enumerable.Empty<string>() : Service;
}
