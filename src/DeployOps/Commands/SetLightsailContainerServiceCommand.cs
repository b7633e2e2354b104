using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Lightsail;

namespace DeployOps.Commands;

/// <summary>
/// Set-LightsailContainerService: sets a Lightsail container service's scale (runbook 003: 2 nodes, not 1) and power;
/// with -Wait, waits until it runs again.
/// </summary>
[Cmdlet(VerbsCommon.Set, "LightsailContainerService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(LightsailServiceInfo))]
public sealed class SetLightsailContainerServiceCommand : DeploymentSettingsCmdlet
{
    /// <summary>-ServiceName: the container service.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LightsailServiceCompleter))]
    public string ServiceName { get; set; } = string.Empty;

    /// <summary>-Scale: the number of nodes, 1 to 20.</summary>
    [Parameter]
    public int? Scale { get; set; }

    /// <summary>-Power: the node size: nano, micro, small, medium, large or xlarge.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LightsailPowerCompleter))]
    public string? Power { get; set; }

    /// <summary>-Wait: wait until the service runs again with every node.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>-Timeout: seconds to wait with -Wait (whole seconds, as Wait-Job -Timeout).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    [Alias("TimeoutSec")]
    public int Timeout { get; set; } = WaitEcsDeploymentCommand.DefaultTimeoutSeconds;

    /// <summary>-Force: change without asking for confirmation (-WhatIf still changes nothing).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Checks -Scale and -Power by the engine's rules before any AWS work.</summary>
    protected override void BeginProcessing()
    {
        Require(Request().Validate, (object?)Power ?? Scale);
        base.BeginProcessing();
    }

    /// <summary>Plans, confirms (nothing to confirm when the values are already set) and applies.</summary>
    protected override void ProcessRecord()
    {
        var request = Request();
        var changer = new LightsailServiceChanger(Facts);
        if (TryRunEngine(token => changer.PlanAsync(request, token), ServiceName, out var plan)
            && (!plan.NeedsChange || ShouldChange(plan, Force))
            && TryRunEngine(token => changer.ApplyAsync(plan, request, token), ServiceName, out var outcomes))
        {
            WriteOutcomes(outcomes);
        }
    }

    private LightsailServiceChangeRequest Request() => new()
    {
        ServiceName = ServiceName,
        Scale = Scale,
        Power = Power,
        Wait = Wait ? WaitFor(Timeout) : null,
    };
}
