using System;
using System.Management.Automation;
using DeployOps.ApplicationLogs;
using DeployOps.Commands.Completion;

namespace DeployOps.Commands;

/// <summary>
/// Get-DeploymentLog: the log lines of a service's (or some tasks') containers, found from the task definition's awslogs
/// options, filtered, the last N, or followed until Ctrl-C like <c>aws logs tail --follow</c>; secrets taken out. With
/// -ServiceName, a Lightsail container service's containers' lines (GetContainerLog) the same way.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DeploymentLog", DefaultParameterSetName = ClusterParameterSet)]
[OutputType(typeof(DeploymentLogLine))]
public sealed class GetDeploymentLogCommand : DeployOpsEnvironmentCmdlet
{
    /// <summary>The parameter set of a Lightsail container service's log.</summary>
    public const string LightsailSet = "Lightsail";

    /// <summary>-Service: the service whose tasks' lines to read.</summary>
    [Parameter(ParameterSetName = ClusterParameterSet, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = EnvironmentParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string? Service { get; set; }

    /// <summary>-ServiceName: a Lightsail container service whose containers' lines to read instead.</summary>
    [Parameter(ParameterSetName = LightsailSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LightsailServiceCompleter))]
    public string ServiceName { get; set; } = string.Empty;

    /// <summary>-Task: only these tasks' lines (ARNs or ids).</summary>
    [Parameter(ParameterSetName = ClusterParameterSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = EnvironmentParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [Alias("TaskArn", "ExampleTaskArn")]
    public string[]? Task { get; set; }

    /// <summary>-Container: only this container's lines.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Container { get; set; }

    /// <summary>-Since: how far back to read (30m, 2h, 00:30:00); ten minutes by default, as aws logs tail.</summary>
    [Parameter]
    [TimeSpanTransformation]
    public TimeSpan? Since { get; set; }

    /// <summary>-StartTime and -EndTime: the window, instead of -Since.</summary>
    [Parameter]
    public DateTime? StartTime { get; set; }

    [Parameter]
    public DateTime? EndTime { get; set; }

    /// <summary>-Pattern: a CloudWatch Logs filter pattern, e.g. ERROR, "Listening on port", { $.level = "error" }.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("FilterPattern")]
    public string? Pattern { get; set; }

    /// <summary>-Tail: only the last N lines of the window.</summary>
    [Parameter]
    [ValidateRange(1, DeploymentLogRequest.MaxLines)]
    public int? Tail { get; set; }

    /// <summary>-Follow: after the window, write new lines as they arrive until Ctrl-C.</summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    /// <summary>-PollInterval: seconds between two looks for new lines while following (default 2).</summary>
    [Parameter]
    [ValidateRange(1, 300)]
    public int PollInterval { get; set; } = 2;

    /// <summary>Writes the lines; with -Follow it keeps writing them until Ctrl-C.</summary>
    protected override void ProcessRecord()
    {
        var lightsail = ParameterSetName == LightsailSet;
        var request = new DeploymentLogRequest
        {
            LightsailService = lightsail ? ServiceName : null,
            Cluster = lightsail ? string.Empty : ClusterFor(Cluster),
            Service = lightsail ? null : Task is null ? ServiceFor(Service) : Service,
            Tasks = Task ?? Array.Empty<string>(),
            Container = Container,
            Since = Since,
            StartTime = StartTime,
            EndTime = EndTime,
            Pattern = Pattern,
            Tail = Tail,
            PollInterval = TimeSpan.FromSeconds(PollInterval),
        };
        var reader = new DeploymentLogReader(Facts);
        if (Follow)
        {
            TryRunEngine(async token =>
            {
                await reader.FollowAsync(request, line => Emit(line), token).ConfigureAwait(false);
                return true;
            }, request.LightsailService ?? request.Service ?? request.Cluster, out _);
        }
        else if (TryRunEngine(token => reader.ReadAsync(request, token), request.LightsailService ?? request.Service ?? request.Cluster, out var lines))
        {
            WriteObject(lines, enumerateCollection: true);
        }
    }
}
