using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Waf;

namespace DeployOps.Commands;

/// <summary>
/// Get-WafBlockedRequest: the web ACL in front of a load balancer, BlockedRequests by rule over a window, the sampled
/// blocked requests (client IP, URI, rule, time), and the rule responsible for a reported 403 with the fix (runbook 004
/// "WAF blocking legitimate traffic"). Reads only.
/// </summary>
[Cmdlet(VerbsCommon.Get, "WafBlockedRequest")]
[OutputType(typeof(WafBlockedRequestReport))]
public sealed class GetWafBlockedRequestCommand : DeployOpsAwsCmdlet
{
    /// <summary>-LoadBalancer: the application load balancer's name or ARN.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("LoadBalancerName", "LoadBalancerArn")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LoadBalancerCompleter))]
    public string LoadBalancer { get; set; } = "";

    /// <summary>-ClientIp: the address of the client that reported a 403; the report names the rule that blocked it.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    public string? ClientIp { get; set; }

    /// <summary>-Since: how far back to look (30m, 2h, 00:30:00); an hour by default.</summary>
    [Parameter]
    [TimeSpanTransformation]
    public TimeSpan? Since { get; set; }

    /// <summary>-StartTime and -EndTime: the window, instead of -Since.</summary>
    [Parameter]
    public DateTime? StartTime { get; set; }

    [Parameter]
    public DateTime? EndTime { get; set; }

    /// <summary>-MaxSamples: sampled requests to read per rule (1 to 500, default 100).</summary>
    [Parameter]
    [ValidateRange(1, 500)]
    public int MaxSamples { get; set; } = 100;

    /// <summary>Reads the web ACL's activity and writes the report; a load balancer that does not exist is an error.</summary>
    protected override void ProcessRecord()
    {
        var query = new WafBlockedRequestQuery
        {
            LoadBalancer = LoadBalancer,
            ClientIp = ClientIp,
            Since = Since,
            StartTime = StartTime,
            EndTime = EndTime,
            MaxSamples = MaxSamples,
        };
        var inspector = new WafBlockedRequestInspector(Facts);
        if (TryRunEngine(token => inspector.InspectAsync(query, token), LoadBalancer, out var outcomes))
        {
            WriteOutcomes(outcomes);
        }
    }
}
