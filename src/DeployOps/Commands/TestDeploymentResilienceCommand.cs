using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Resilience;

namespace DeployOps.Commands;

/// <summary>
/// Test-DeploymentResilience: runbook 002 "Gradual rollout" and runbook 003's lessons as checks on an ECS service, each a
/// finding with its fix: circuit breaker with rollback, minimumHealthyPercent and maximumPercent, two or more tasks, two or
/// more availability zones, a grace period covering the observed startup, a deep health path, a container health check,
/// the deregistration delay.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DeploymentResilience", DefaultParameterSetName = EcsServiceSet)]
[OutputType(typeof(ResilienceReport))]
public sealed class TestDeploymentResilienceCommand : EcsServicesCmdlet
{
    /// <summary>-ReadyPattern: a regular expression for the log line the application writes when it can serve (default: common "Listening on" lines).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReadyPattern { get; set; }

    /// <summary>Checks the pattern, then the rest as every DeployOps AWS cmdlet does.</summary>
    protected override void BeginProcessing()
    {
        Require(() => ResilienceInspector.ReadyRegex(ReadyPattern), ReadyPattern);
        base.BeginProcessing();
    }

    /// <summary>Checks each service and writes its findings.</summary>
    protected override void ProcessRecord()
    {
        var cluster = ResolveCluster(Cluster);
        var inspector = new ResilienceInspector(Facts);
        foreach (var service in ResolveServices(Service))
        {
            var request = new ResilienceRequest { Cluster = cluster, Service = service, ReadyPattern = ReadyPattern, Environment = DeploymentEnvironment?.Name };
            if (TryRunEngine(token => inspector.InspectAsync(request, token), service, out var report))
            {
                WriteObject(report);
            }
        }
    }
}
