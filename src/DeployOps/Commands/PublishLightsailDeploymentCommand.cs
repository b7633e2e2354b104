using System;
using System.Collections;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Environments;
using DeployOps.Lightsail;
using DeployOps.Verification;

namespace DeployOps.Commands;

/// <summary>
/// Publish-LightsailDeployment: deploys an image to a Lightsail container service from its ACTIVE deployment's
/// specification (never a stale file), after a pre-flight (the image exists, the required variables are set); waits
/// through ACTIVATING, fails fast on FAILED with the container's log lines, then verifies (runbook 003).
/// </summary>
[Cmdlet(VerbsData.Publish, "LightsailDeployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(LightsailDeploymentResult))]
public sealed class PublishLightsailDeploymentCommand : DeploymentStoreAwsCmdlet
{
    /// <summary>-ServiceName: the container service.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LightsailServiceCompleter))]
    public string ServiceName { get; set; } = string.Empty;

    /// <summary>-Image: the image to run, e.g. :api.soft-launch-32.165 (pushed) or nginx:1.25.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Image { get; set; } = string.Empty;

    /// <summary>-Container: the container to change; by default the one the public endpoint serves.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Container { get; set; }

    /// <summary>-SetEnvironment: variables to set or change, @{ NAME = 'value' }; values never appear in any output.</summary>
    [Parameter]
    public Hashtable? SetEnvironment { get; set; }

    /// <summary>-RemoveEnvironment: variable names to remove.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] RemoveEnvironment { get; set; } = Array.Empty<string>();

    /// <summary>-HealthCheckPath: a new health-check path for the public endpoint, e.g. /health/ready.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HealthCheckPath { get; set; }

    /// <summary>-RequiredEnvironment: variable names the new image needs (* matches any characters); wins over the environment's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] RequiredEnvironment { get; set; } = Array.Empty<string>();

    /// <summary>-ReadyPath: the deep health path the verification requests, e.g. /health/ready; wins over the environment's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReadyPath { get; set; }

    /// <summary>-Origin: origins whose requests CORS must allow; wins over the environment's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Origin { get; set; } = Array.Empty<string>();

    /// <summary>-RollbackOnFailure: restore the previous specification when the deployment fails or its verification fails.</summary>
    [Parameter]
    public SwitchParameter RollbackOnFailure { get; set; }

    /// <summary>-Timeout: seconds to wait for the deployment to become ACTIVE (whole seconds, as Wait-Job -Timeout).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    [Alias("TimeoutSec")]
    public int Timeout { get; set; } = WaitEcsDeploymentCommand.DefaultTimeoutSeconds;

    /// <summary>-Force: deploy without asking for confirmation (-WhatIf still changes nothing).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Checks the values by the engine's rules before any AWS work.</summary>
    protected override void BeginProcessing()
    {
        Require(Request(ServiceName.Length > 0 ? ServiceName : "service", null).Validate, Image);
        base.BeginProcessing();
    }

    /// <summary>Plans (pre-flight and diff), confirms, deploys, waits and verifies.</summary>
    protected override void ProcessRecord()
    {
        var request = Request(ServiceName, LightsailSettings(ServiceName));
        var publisher = new LightsailPublisher(Facts, Journal);
        if (TryRunEngine(token => publisher.PlanAsync(request, token), ServiceName, out var plan)
            && ShouldChange(plan, Force)
            && TryRunEngine(token => publisher.ApplyAsync(plan, request, token), ServiceName, out var outcomes))
        {
            WriteOutcomes(outcomes);
        }
    }

    private LightsailPublishRequest Request(string serviceName, VerificationSettings? settings) => new()
    {
        ServiceName = serviceName,
        Change = new LightsailSpecificationChange
        {
            Container = Container,
            Image = Image,
            SetEnvironment = Variables(SetEnvironment),
            RemoveEnvironment = RemoveEnvironment,
            HealthCheckPath = HealthCheckPath,
        },
        RequiredEnvironment = RequiredEnvironment.Length > 0 ? RequiredEnvironment : settings?.RequiredEnvironment ?? Array.Empty<string>(),
        RollbackOnFailure = RollbackOnFailure,
        Wait = WaitFor(Timeout),
        Verification = new VerificationExpectations { ReadyPath = ReadyPath, Origins = Origin }.WithSettings(settings),
    };
}
