using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Facts;
using DeployOps.Health;

namespace DeployOps.Stacks;

/// <summary>What the ECS analysis found about a service a stack waits on: a summary, the lines that explain it, and the report behind them.</summary>
public sealed record EcsServiceFinding(string Summary, IReadOnlyList<string> Details, DeploymentHealthReport? Report);

/// <summary>
/// The ECS failure analysis of a service a stack is stuck on. THE SEAM for issue 8: its task-failure analysis
/// (Get-EcsTaskFailure: stop reasons, exit codes, the failing container's log lines) replaces
/// <see cref="HealthReportEcsAnalysis"/> behind this interface; <see cref="StackDiagnoser"/> takes any implementation.
/// </summary>
public interface IStackEcsAnalysis
{
    Task<EcsServiceFinding> AnalyzeAsync(string cluster, string service, CancellationToken cancellationToken);
}

/// <summary>The ECS analysis until issue 8 lands: runbook 000's health report (category, evidence, recommended action).</summary>
public sealed class HealthReportEcsAnalysis : IStackEcsAnalysis
{
    private readonly AwsFacts _facts;

    public HealthReportEcsAnalysis(AwsFacts facts)
    {
        _facts = facts;
    }

    public async Task<EcsServiceFinding> AnalyzeAsync(string cluster, string service, CancellationToken cancellationToken)
    {
        var outcomes = await new DeploymentHealthInspector(_facts).InspectAsync(new HealthInspectionRequest { Cluster = cluster, Services = new[] { service } }, cancellationToken)
            .ConfigureAwait(false);
        var outcome = outcomes.FirstOrDefault();
        if (outcome?.Value is not { } report)
        {
            var why = outcome?.Error?.Message ?? "no report";
            return new EcsServiceFinding($"ECS service {service} in {cluster} could not be inspected: {why}", new[] { why }, null);
        }

        var details = new List<string> { $"{report.Status}, category {report.Category}: {report.RunningCount} of {report.DesiredCount} running, {report.PendingCount} pending" };
        details.AddRange(report.Evidence.Take(4).Select(e => e.ToString()));
        details.Add(report.RecommendedAction);
        return new EcsServiceFinding($"ECS service {service}: {report.Status} ({report.Category})", details, report);
    }
}
