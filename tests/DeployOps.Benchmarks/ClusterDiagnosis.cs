using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Health;
using DeployOps.Operations;

namespace DeployOps.Benchmarks;

/// <summary>One Get-DeploymentHealth -Cluster run over every service of a cluster, in its own session: what it found, cost and took.</summary>
public sealed record ClusterDiagnosis(string Cluster, int Services, int TargetGroups, int Reports, int Healthy, int Incomplete, int Errors, AwsCallCounter Calls, TimeSpan Elapsed)
{
    /// <summary>The least this diagnosis had to ask (<see cref="DiagnosisCalls.Minimum"/>).</summary>
    public int Minimum => DiagnosisCalls.Minimum(Services, TargetGroups);

    public static async Task<ClusterDiagnosis> RunAsync(Uri sandbox, string cluster)
    {
        using var session = SandboxSession.Create(sandbox);
        var clock = Stopwatch.StartNew();
        var outcomes = await new DeploymentHealthInspector(session, NullOperationObserver.Instance).InspectAsync(new HealthInspectionRequest { Cluster = cluster }, default);
        clock.Stop();
        var reports = outcomes.Select(o => o.Value).OfType<DeploymentHealthReport>().ToList();
        return new ClusterDiagnosis(
            cluster,
            outcomes.Count,
            reports.SelectMany(r => r.TargetGroupArn).Distinct(StringComparer.Ordinal).Count(),
            reports.Count,
            reports.Count(r => r.Status == nameof(HealthStatus.Healthy)),
            reports.Count(r => !r.Complete),
            outcomes.Count(o => o.Error is not null),
            session.Calls,
            clock.Elapsed);
    }
}
