using System;
using System.Management.Automation;
using DeployOps.Alarms;
using DeployOps.Commands.Completion;

namespace DeployOps.Commands;

/// <summary>
/// Test-AlarmNotification: each CloudWatch alarm named, or on an ECS service, a load balancer or an Aurora cluster: its
/// state, whether its actions are enabled, its SNS topics' subscriptions (pending confirmation, none, a missing topic),
/// and how many times it went to ALARM in a window (runbook 004 "Missing alarm notifications", "False positive alarms").
/// Reads only.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "AlarmNotification")]
[OutputType(typeof(AlarmNotificationReport))]
public sealed class TestAlarmNotificationCommand : DeployOpsAwsCmdlet
{
    /// <summary>-AlarmName: alarms to test by name; with no name and no resource, every metric alarm of the region.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    public string[]? AlarmName { get; set; }

    /// <summary>-Cluster: the alarms on this ECS cluster (dimension ClusterName).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(ClusterCompleter))]
    public string? Cluster { get; set; }

    /// <summary>-Service: with -Cluster, the alarms on this ECS service (dimension ServiceName).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string? Service { get; set; }

    /// <summary>-LoadBalancer: the alarms on this load balancer (name or ARN; dimension LoadBalancer).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(LoadBalancerCompleter))]
    public string? LoadBalancer { get; set; }

    /// <summary>-DatabaseCluster: the alarms on this Aurora cluster (dimension DBClusterIdentifier).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(DatabaseClusterCompleter))]
    public string? DatabaseCluster { get; set; }

    /// <summary>-Since: the window flaps are counted in (12h, 2d, 1.00:00:00); a day by default.</summary>
    [Parameter]
    [TimeSpanTransformation]
    public TimeSpan? Since { get; set; }

    /// <summary>-StartTime and -EndTime: the window, instead of -Since.</summary>
    [Parameter]
    public DateTime? StartTime { get; set; }

    [Parameter]
    public DateTime? EndTime { get; set; }

    /// <summary>-FlapThreshold: an alarm that went to ALARM this many times in the window flaps (default 3).</summary>
    [Parameter]
    [ValidateRange(1, 10000)]
    public int FlapThreshold { get; set; } = AlarmNotificationQuery.DefaultFlapThreshold;

    /// <summary>Tests the alarms and writes a report for each; an alarm or load balancer that does not exist is its own error.</summary>
    protected override void ProcessRecord()
    {
        var query = new AlarmNotificationQuery
        {
            AlarmNames = AlarmName ?? Array.Empty<string>(),
            Cluster = Cluster,
            Service = Service,
            LoadBalancer = LoadBalancer,
            DatabaseCluster = DatabaseCluster,
            Since = Since,
            StartTime = StartTime,
            EndTime = EndTime,
            FlapThreshold = FlapThreshold,
        };
        var inspector = new AlarmNotificationInspector(Facts);
        if (TryRunEngine(token => inspector.InspectAsync(query, token), (object?)LoadBalancer ?? Service ?? Cluster ?? DatabaseCluster ?? "alarms", out var outcomes))
        {
            WriteOutcomes(outcomes);
        }
    }
}
