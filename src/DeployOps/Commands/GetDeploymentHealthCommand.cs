using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Environments;
using DeployOps.Health;

namespace DeployOps.Commands;

/// <summary>
/// Get-DeploymentHealth: runbook 000 steps 1 and 2 (initial diagnosis, root-cause category) for ECS services behind
/// an ALB; one <see cref="DeploymentHealthReport"/> per service.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DeploymentHealth", DefaultParameterSetName = ClusterSet)]
[OutputType(typeof(DeploymentHealthReport))]
public sealed class GetDeploymentHealthCommand : DeployOpsEnvironmentCmdlet
{
    /// <summary>Services named by cluster (and service names).</summary>
    public const string ClusterSet = ClusterParameterSet;

    /// <summary>Services named by an environment of the settings file.</summary>
    public const string EnvironmentSet = EnvironmentParameterSet;

    /// <summary>-Service: the services to check; none means every service of the cluster (or of the environment).</summary>
    [Parameter(ParameterSetName = ClusterSet, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = EnvironmentSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string[]? Service { get; set; }

    /// <summary>-ExpectedHealthCheckPath: the path every target group should check; wins over the environment's.</summary>
    [Parameter]
    public string? ExpectedHealthCheckPath { get; set; }

    /// <summary>-HealthUrl: a URL to test as the services' health endpoint; wins over the environment's.</summary>
    [Parameter]
    public string? HealthUrl { get; set; }

    /// <summary>
    /// Checks -ExpectedHealthCheckPath and -HealthUrl by the engine's rules and reads the environment (either problem
    /// stops the command before any AWS work), then resolves the session.
    /// </summary>
    protected override void BeginProcessing()
    {
        Require(new HealthInspectionRequest { ExpectedHealthCheckPath = ExpectedHealthCheckPath, HealthUrl = HealthUrl }.Validate, null);
        base.BeginProcessing();
    }

    /// <summary>Inspects the services and writes a report for each; a service that cannot be inspected is its own error.</summary>
    protected override void ProcessRecord()
    {
        var request = (SelectedEnvironment is null
            ? new HealthInspectionRequest { Cluster = Cluster, Services = Service ?? Array.Empty<string>() }
            : HealthInspectionRequest.ForEnvironment(SelectedEnvironment, Cluster, Service)) with
        {
            ExpectedHealthCheckPath = ExpectedHealthCheckPath,
            HealthUrl = HealthUrl,
        };
        var inspector = new DeploymentHealthInspector(Facts);
        if (TryRunEngine(token => inspector.InspectAsync(request, token), request.Cluster, out var outcomes))
        {
            WriteOutcomes(outcomes);
        }
    }
}
