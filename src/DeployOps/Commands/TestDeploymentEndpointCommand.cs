using System;
using System.Management.Automation;
using DeployOps.Endpoints;

namespace DeployOps.Commands;

/// <summary>
/// Test-DeploymentEndpoint: runbook 000 step 4, "test health endpoint directly": requests each URL, checks the status
/// code and, with -Origin, CORS.
/// <para>
/// It derives from <see cref="DeployOpsCmdlet"/>, not from <see cref="DeployOpsAwsCmdlet"/>: it calls no AWS API, so
/// it must work on a machine without AWS credentials or region (testing a public URL from anywhere), and -Region or
/// -Credential would be parameters that do nothing.
/// </para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DeploymentEndpoint")]
[OutputType(typeof(EndpointTestResult))]
public sealed class TestDeploymentEndpointCommand : DeployOpsCmdlet
{
    /// <summary>-Url: the absolute http(s) URLs to request.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("HealthUrl")]
    [ValidateNotNullOrEmpty]
    public string[] Url { get; set; } = Array.Empty<string>();

    /// <summary>-ExpectedStatusCode: the status that means success (default 200).</summary>
    [Parameter]
    [ValidateRange(100, 599)]
    public int ExpectedStatusCode { get; set; } = 200;

    /// <summary>-Origin: send this Origin header and require Access-Control-Allow-Origin to allow it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Origin { get; set; }

    /// <summary>-TimeoutSec: seconds one request may take (default 10).</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int TimeoutSec { get; set; } = 10;

    /// <summary>-RetryCount: further attempts after a failed one (default 0).</summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int RetryCount { get; set; }

    /// <summary>-RetryIntervalSec: seconds between attempts (default 2).</summary>
    [Parameter]
    [ValidateRange(0, 3600)]
    public int RetryIntervalSec { get; set; } = 2;

    /// <summary>Tests each URL; a failed check is a non-terminating EndpointCheckFailed error after its result.</summary>
    protected override void ProcessRecord()
    {
        var tester = new EndpointTester(Observer);
        foreach (var url in Url)
        {
            var request = new EndpointTestRequest
            {
                Url = url,
                ExpectedStatusCode = ExpectedStatusCode,
                Origin = Origin,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                RetryCount = RetryCount,
                RetryInterval = TimeSpan.FromSeconds(RetryIntervalSec),
            };
            if (!TryRunEngine(token => tester.TestAsync(request, token), url, out var result))
            {
                continue;
            }

            WriteObject(result);
            if (EndpointTester.ErrorFor(result) is { } failed)
            {
                WriteEngineError(failed);
            }
        }
    }
}
