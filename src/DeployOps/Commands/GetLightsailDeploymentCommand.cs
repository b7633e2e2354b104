using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Lightsail;

namespace DeployOps.Commands;

/// <summary>
/// Get-LightsailDeployment: the current and past deployments of Lightsail container services (runbook 003): state,
/// version, image per container, environment variable names (never values), health-check settings, created time.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LightsailDeployment")]
[OutputType(typeof(LightsailDeploymentInfo))]
public sealed class GetLightsailDeploymentCommand : DeployOpsAwsCmdlet
{
    /// <summary>-ServiceName: the container services.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LightsailServiceCompleter))]
    public string[] ServiceName { get; set; } = Array.Empty<string>();

    /// <summary>-Version: one deployment version; none lists every deployment, newest first.</summary>
    [Parameter(Position = 1)]
    [ValidateRange(1, int.MaxValue)]
    public int? Version { get; set; }

    /// <summary>Lists each service's deployments; a service that cannot be read is its own error.</summary>
    protected override void ProcessRecord()
    {
        var deployments = new LightsailDeployments(Facts);
        foreach (var name in ServiceName)
        {
            if (TryRunEngine(token => deployments.ListAsync(name, Version, token), name, out var found))
            {
                WriteObject(found, enumerateCollection: true);
            }
        }
    }
}
