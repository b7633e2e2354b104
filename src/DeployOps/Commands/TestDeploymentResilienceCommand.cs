using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Lightsail;
using DeployOps.Resilience;
using DeployOps.Verification;

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
    /// <summary>The parameter set of Lightsail container services.</summary>
    public const string LightsailServiceSet = "LightsailService";

    /// <summary>-ServiceName: Lightsail container services to check instead of ECS services.</summary>
    [Parameter(ParameterSetName = LightsailServiceSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LightsailServiceCompleter))]
    public string[] ServiceName { get; set; } = System.Array.Empty<string>();

    /// <summary>-ReadyPath: the application's deep health path (e.g. /health/ready); a health check on any other path only checks liveness. By default the settings' readyPath.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReadyPath { get; set; }

    /// <summary>-ReadyPattern: a regular expression for the log line the application writes when it can serve (default: common "Listening on" lines).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReadyPattern { get; set; }

    /// <summary>Checks the pattern and the path, then the rest as every DeployOps AWS cmdlet does.</summary>
    protected override void BeginProcessing()
    {
        Require(() => ResilienceInspector.ReadyRegex(ReadyPattern), ReadyPattern);
        if (ReadyPath is not null)
        {
            Require(() => VerificationExpectations.ValidatePath(ReadyPath, "-ReadyPath"), ReadyPath);
        }

        base.BeginProcessing();
    }

    /// <summary>Checks each service and writes its findings.</summary>
    protected override void ProcessRecord()
    {
        if (ParameterSetName == LightsailServiceSet)
        {
            var lightsail = new LightsailResilience(Facts);
            foreach (var name in ServiceName)
            {
                var readyPath = ReadyPath ?? LightsailSettings(name)?.ReadyPath;
                if (TryRunEngine(token => lightsail.InspectAsync(name, readyPath, DeploymentEnvironment?.Name, token), name, out var lightsailReport))
                {
                    WriteObject(lightsailReport);
                }
            }

            return;
        }

        var cluster = ResolveCluster(Cluster);
        var inspector = new ResilienceInspector(Facts);
        foreach (var service in ResolveServices(Service))
        {
            var request = new ResilienceRequest { Cluster = cluster, Service = service, ReadyPattern = ReadyPattern, ReadyPath = ReadyPath ?? EcsSettings(service)?.ReadyPath,
                Environment = DeploymentEnvironment?.Name };
            if (TryRunEngine(token => inspector.InspectAsync(request, token), service, out var report))
            {
                WriteObject(report);
            }
        }
    }
}
