using System;
using System.Collections;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Environments;
using DeployOps.Verification;

namespace DeployOps.Commands;

/// <summary>
/// Test-DeploymentVerification: runbook 003's verify-deployment.sh for ECS services and Lightsail container services: the
/// health endpoint (deep path when configured), CORS, the running image tag, the expected variables (by name; values by
/// digest), the startup sequence. A pass is recorded in the deployment journal; a failure is also an error record.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DeploymentVerification", DefaultParameterSetName = EcsSet)]
[OutputType(typeof(DeploymentVerificationResult))]
public sealed class TestDeploymentVerificationCommand : DeploymentStoreAwsCmdlet
{
    /// <summary>ECS services, by cluster and service names.</summary>
    public const string EcsSet = "Ecs";

    /// <summary>Lightsail container services, by name.</summary>
    public const string LightsailSet = "Lightsail";

    /// <summary>-Cluster: the ECS cluster.</summary>
    [Parameter(ParameterSetName = EcsSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ClusterCompleter))]
    public string Cluster { get; set; } = string.Empty;

    /// <summary>-Service: the ECS services to verify.</summary>
    [Parameter(ParameterSetName = EcsSet, Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string[] Service { get; set; } = Array.Empty<string>();

    /// <summary>-HealthUrl: the ECS service's public health URL; wins over the environment's publicHealthUrl.</summary>
    [Parameter(ParameterSetName = EcsSet)]
    [ValidateNotNullOrEmpty]
    public string? HealthUrl { get; set; }

    /// <summary>-ServiceName: the Lightsail container services to verify.</summary>
    [Parameter(ParameterSetName = LightsailSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LightsailServiceCompleter))]
    public string[] ServiceName { get; set; } = Array.Empty<string>();

    /// <summary>-ReadyPath: the deep health path to request, e.g. /health/ready; wins over the environment's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReadyPath { get; set; }

    /// <summary>-ExpectedStatusCode: the status the health endpoint must answer (default 200).</summary>
    [Parameter]
    [ValidateRange(100, 599)]
    public int ExpectedStatusCode { get; set; } = 200;

    /// <summary>-Origin: origins whose requests CORS must allow; wins over the environment's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Origin { get; set; } = Array.Empty<string>();

    /// <summary>-ExpectedImageTag: the tag the running image must have, e.g. 165; by default the newest pushed image (Lightsail).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ExpectedImageTag { get; set; }

    /// <summary>-RequiredEnvironment: variable names that must be set (* matches any characters); wins over the environment's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] RequiredEnvironment { get; set; } = Array.Empty<string>();

    /// <summary>-ExpectedEnvironment: @{ NAME = 'value' } compared by digest; values never appear in any output.</summary>
    [Parameter]
    public Hashtable? ExpectedEnvironment { get; set; }

    /// <summary>-StartupPhase: the startup's log texts (or /regular expressions/) in order; wins over the environment's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] StartupPhase { get; set; } = Array.Empty<string>();

    /// <summary>Checks the expectations by the engine's rules before any AWS work.</summary>
    protected override void BeginProcessing()
    {
        Require(Expectations(null, null).Validate, null);
        base.BeginProcessing();
    }

    /// <summary>Verifies each service and writes its result, then its error when it did not pass.</summary>
    protected override void ProcessRecord()
    {
        var verifier = new DeploymentVerifier(Facts, Journal);
        if (ParameterSetName == LightsailSet)
        {
            foreach (var name in ServiceName)
            {
                Verify(token => verifier.VerifyLightsailAsync(name, Expectations(LightsailSettings(name), null), token), name);
            }

            return;
        }

        foreach (var name in Service)
        {
            ServiceSettings(name, out var settings, out var healthUrl);
            Verify(token => verifier.VerifyEcsAsync(Cluster, name, Expectations(settings, healthUrl), token), $"{Cluster}/{name}");
        }
    }

    private void Verify(Func<System.Threading.CancellationToken, System.Threading.Tasks.Task<DeploymentVerificationResult>> verify, string target)
    {
        if (TryRunEngine(verify, target, out var result))
        {
            WriteOutcomes(result.Outcomes());
        }
    }

    private void ServiceSettings(string name, out VerificationSettings? settings, out string? healthUrl)
    {
        settings = null;
        healthUrl = null;
        if (DeploymentEnvironment is { } environment && environment.Services.TryGetValue(name, out var service))
        {
            settings = service.Verification;
            healthUrl = service.PublicHealthUrl?.ToString();
        }
    }

    private VerificationExpectations Expectations(VerificationSettings? settings, string? settingsHealthUrl) => new VerificationExpectations
    {
        ReadyPath = ReadyPath,
        HealthUrl = HealthUrl ?? settingsHealthUrl,
        ExpectedStatusCode = ExpectedStatusCode,
        Origins = Origin,
        ExpectedImageTag = ExpectedImageTag,
        RequiredEnvironment = RequiredEnvironment,
        ExpectedEnvironment = Variables(ExpectedEnvironment),
        StartupPhases = StartupPhase,
    }.WithSettings(settings);
}
