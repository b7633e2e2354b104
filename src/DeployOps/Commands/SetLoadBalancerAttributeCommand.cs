using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.LoadBalancers;

namespace DeployOps.Commands;

/// <summary>
/// Set-LoadBalancerAttribute: runbook 004 "ALB returns 502/503 errors", cause 3 (connection timeout): sets a load
/// balancer's idle timeout (<c>idle_timeout.timeout_seconds</c>) after ShouldProcess; writes a
/// <see cref="LoadBalancerAttributeChange"/> per load balancer.
/// </summary>
[Cmdlet(VerbsCommon.Set, "LoadBalancerAttribute", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(LoadBalancerAttributeChange))]
public sealed class SetLoadBalancerAttributeCommand : DeployOpsAwsCmdlet
{
    /// <summary>-LoadBalancer: names or ARNs; a Get-LoadBalancerHealth report's LoadBalancerArn binds.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("LoadBalancerArn")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LoadBalancerCompleter))]
    public string[] LoadBalancer { get; set; } = Array.Empty<string>();

    /// <summary>-IdleTimeout: seconds a connection may stay idle, 1 to 4000 (ALB's default is 60; the runbook sets 120).</summary>
    [Parameter(Mandatory = true)]
    public int IdleTimeout { get; set; }

    /// <summary>-Force: change without asking (-WhatIf still wins).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Plans, confirms and applies the change for each load balancer.</summary>
    protected override void ProcessRecord()
    {
        var changer = new LoadBalancerAttributeChanger(Facts);
        foreach (var name in LoadBalancer)
        {
            var request = new IdleTimeoutRequest { LoadBalancer = name, IdleTimeoutSeconds = IdleTimeout };
            if (TryRunEngine(token => changer.PlanIdleTimeoutAsync(request, token), name, out var plan)
                && ShouldChange(plan, Force)
                && TryRunEngine(token => changer.ApplyAsync(plan, token), name, out var outcomes))
            {
                WriteOutcomes(outcomes);
            }
        }
    }
}
