using System;
using System.Linq;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Verification;

namespace DeployOps.Commands;

/// <summary>
/// Test-StartupSequence: per running task of a service (or per given task), the startup phases its log shows, the one it
/// never reached and the time each took. "Started but never listening" fails even while a shallow health check passes.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "StartupSequence", DefaultParameterSetName = ClusterParameterSet)]
[OutputType(typeof(StartupSequenceResult))]
public sealed class TestStartupSequenceCommand : DeployOpsEnvironmentCmdlet
{
    /// <summary>-Service: the service whose running tasks to check.</summary>
    [Parameter(ParameterSetName = ClusterParameterSet, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = EnvironmentParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string? Service { get; set; }

    /// <summary>-Phase: the lines the application logs as it starts, in order (text, or a /regular expression/); by default the environment's startupPhases.</summary>
    [Parameter(ParameterSetName = ClusterParameterSet, Mandatory = true, Position = 2)]
    [Parameter(ParameterSetName = EnvironmentParameterSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Phase { get; set; }

    /// <summary>-Task: these tasks instead of the service's running ones (ARNs or ids).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("TaskArn")]
    public string[]? Task { get; set; }

    /// <summary>-Container: the container whose log to read; by default the first essential container that logs to CloudWatch Logs.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Container { get; set; }

    /// <summary>-Timeout: seconds a task may take to log every phase before a missing one fails (default 120).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    [Alias("TimeoutSec")]
    public int Timeout { get; set; } = (int)StartupSequenceRequest.DefaultTimeout.TotalSeconds;

    /// <summary>Checks the phases are well formed before any AWS work.</summary>
    protected override void BeginProcessing()
    {
        if (Phase is not null)
        {
            Require(() => StartupSequenceChecker.Validate(Phase), null);
        }

        base.BeginProcessing();
    }

    /// <summary>Writes one result per task.</summary>
    protected override void ProcessRecord()
    {
        var service = Task is null ? ServiceFor(Service) : Service;
        var phases = Phase ?? (service is not null && SelectedEnvironment?.Services.TryGetValue(service, out var settings) == true ? settings!.Verification.StartupPhases.ToArray() : Array.Empty<string>());
        var request = new StartupSequenceRequest
        {
            Cluster = ClusterFor(Cluster),
            Service = service,
            Tasks = Task ?? Array.Empty<string>(),
            Phases = phases,
            Container = Container,
            Timeout = TimeSpan.FromSeconds(Timeout),
            Environment = SelectedEnvironment?.Name,
        };
        var checker = new StartupSequenceChecker(Facts);
        if (TryRunEngine(token => checker.CheckAsync(request, token), service ?? request.Cluster, out var results))
        {
            WriteObject(results, enumerateCollection: true);
        }
    }
}
