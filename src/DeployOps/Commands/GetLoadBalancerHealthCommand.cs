using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.LoadBalancers;

namespace DeployOps.Commands;

/// <summary>
/// Get-LoadBalancerHealth: runbook 004 "ALB returns 502/503 errors" and "ALB not receiving traffic". For each load
/// balancer (by name or ARN, or the ones in front of services) its routes and target health, the causes of what users get
/// by status code with evidence and a fix, its CloudWatch figures, idle timeout, state and scheme, and whether the
/// internet reaches it; one <see cref="LoadBalancerHealthReport"/> per load balancer.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LoadBalancerHealth", DefaultParameterSetName = LoadBalancerParameterSet)]
[OutputType(typeof(LoadBalancerHealthReport))]
public sealed class GetLoadBalancerHealthCommand : DeployOpsAwsCmdlet
{
    private const string LoadBalancerParameterSet = "LoadBalancer";
    private const string ServiceParameterSet = "Service";

    /// <summary>-LoadBalancer: names or ARNs; a report's LoadBalancerArn binds.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = LoadBalancerParameterSet, ValueFromPipelineByPropertyName = true)]
    [Alias("LoadBalancerArn")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LoadBalancerCompleter))]
    public string[] LoadBalancer { get; set; } = Array.Empty<string>();

    /// <summary>-Cluster: the cluster of the services whose load balancers to inspect.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ServiceParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ClusterCompleter))]
    public string Cluster { get; set; } = string.Empty;

    /// <summary>-Service: the services whose load balancers to inspect.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ServiceParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string[] Service { get; set; } = Array.Empty<string>();

    /// <summary>-Since: how far back the CloudWatch figures look (30m, 2h, 00:30:00); an hour by default.</summary>
    [Parameter]
    [TimeSpanTransformation]
    public TimeSpan? Since { get; set; }

    /// <summary>-StartTime and -EndTime: the window, instead of -Since.</summary>
    [Parameter]
    public DateTime? StartTime { get; set; }

    [Parameter]
    public DateTime? EndTime { get; set; }

    /// <summary>
    /// -DnsServer: the resolver to ask for each load balancer's DNS name (an IPv4 or IPv6 address, optional port: 8.8.8.8,
    /// 1.1.1.1:53, [2001:4860:4860::8888]:53), instead of this machine's; also asked behind -EndpointUrl.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DnsServer { get; set; }

    /// <summary>Inspects each load balancer and writes its report; one that does not exist is its own error.</summary>
    protected override void ProcessRecord()
    {
        var request = new LoadBalancerHealthRequest
        {
            LoadBalancers = ParameterSetName == LoadBalancerParameterSet ? LoadBalancer : Array.Empty<string>(),
            Cluster = ParameterSetName == ServiceParameterSet ? Cluster : null,
            Services = ParameterSetName == ServiceParameterSet ? Service : Array.Empty<string>(),
            Since = Since,
            StartTime = StartTime,
            EndTime = EndTime,
            DnsServer = DnsServer,
        };
        var inspector = new LoadBalancerHealthInspector(Facts);
        if (TryRunEngine(token => inspector.InspectAsync(request, token), ParameterSetName == LoadBalancerParameterSet ? string.Join(", ", LoadBalancer) : Cluster, out var outcomes))
        {
            WriteOutcomes(outcomes);
        }
    }
}
