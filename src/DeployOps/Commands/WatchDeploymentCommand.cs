using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading.Tasks;
using DeployOps.Commands.Completion;
using DeployOps.Errors;
using DeployOps.Monitoring;
using DeployOps.Notifications;

namespace DeployOps.Commands;

/// <summary>
/// Watch-Deployment: runbook 001's deployment monitor. Follows a stack (and optionally its ECS service) to a terminal
/// state and notifies Slack through the durable outbox: started; progress every N minutes (or per resource group);
/// stuck; completed, or failed with the first failure's reason. It writes each notification as it is made. Its
/// checkpoint lets a restarted monitor resume with nothing lost and nothing sent twice; its heartbeat lets
/// Get-DeploymentMonitor tell it running from dead. Runs in the background with Start-ThreadJob or Start-Job.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "Deployment")]
[OutputType(typeof(NotificationQueueItem))]
public sealed class WatchDeploymentCommand : DeploymentStoreAwsCmdlet
{
    private NotificationSending? _sending;

    /// <summary>-StackName: the CloudFormation stack (a name or a stack id).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string StackName { get; set; } = string.Empty;

    /// <summary>-CorrelationId: the deployment's id; by default the registry's active deployment of the stack, else one derived from the stack.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    public string? CorrelationId { get; set; }

    /// <summary>-Cluster: the ECS cluster of -Service.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ClusterCompleter))]
    public string? Cluster { get; set; }

    /// <summary>-Service: an ECS service whose rollout must also complete.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string? Service { get; set; }

    /// <summary>-ProgressInterval: seconds between progress notifications (default 300; 0 for none).</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int ProgressInterval { get; set; } = 300;

    /// <summary>-ProgressPerResourceGroup: also notify each time every resource of a group (RDS, ECS, EC2...) is done.</summary>
    [Parameter]
    public SwitchParameter ProgressPerResourceGroup { get; set; }

    /// <summary>-StuckAfter: seconds without a stack event before a stuck notification (default 900).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int StuckAfter { get; set; } = 900;

    /// <summary>-PollInterval: seconds between two looks at the stack (default 15).</summary>
    [Parameter]
    [ValidateRange(1, 300)]
    public int PollInterval { get; set; } = 15;

    /// <summary>-Timeout: seconds to watch before giving up (default 10800, three hours).</summary>
    [Parameter]
    [ValidateRange(1, 604800)]
    [Alias("TimeoutSec")]
    public int Timeout { get; set; } = 10800;

    /// <summary>-WebhookUrl: a Slack incoming webhook URL (a secret as a whole, so a SecureString).</summary>
    [Parameter]
    public SecureString? WebhookUrl { get; set; }

    /// <summary>-Token: a Slack bot token for chat.postMessage (with -Channel).</summary>
    [Parameter]
    public SecureString? Token { get; set; }

    /// <summary>-Channel: the channel chat.postMessage posts to, e.g. C0A9M9DPFUY.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Channel { get; set; }

    /// <summary>-SlackApiUrl: Slack's Web API (https://slack.com/api/ by default; a sandbox's elsewhere).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SlackApiUrl { get; set; }

    /// <summary>Watches the stack: a poll, its notifications written, a wait; until the deployment ends or the timeout.</summary>
    protected override void ProcessRecord()
    {
        _sending ??= Require(() => NotificationSending.Create(WebhookUrl, Token, Channel, SlackApiUrl, DeploymentEnvironment?.SlackChannel, Store, Observer, Redactor), "Slack");
        var destination = _sending.Destinations.FirstOrDefault();
        if (destination is null)
        {
            WriteWarning("No Slack destination is configured (-WebhookUrl, -Token and -Channel, or the DEPLOYOPS_SLACK_* variables): notifications are only written here.");
        }

        var request = new MonitorRequest
        {
            StackName = StackName,
            CorrelationId = CorrelationId,
            Cluster = Cluster,
            Service = Service,
            PollInterval = TimeSpan.FromSeconds(PollInterval),
            Settings = new MonitorSettings
            {
                ProgressInterval = TimeSpan.FromSeconds(ProgressInterval),
                ProgressPerResourceGroup = ProgressPerResourceGroup,
                StuckAfter = TimeSpan.FromSeconds(StuckAfter),
                FollowsEcsService = Service is not null,
            },
        };
        var monitor = new DeploymentMonitor(Facts, Store, request, destination is null ? null : _sending.Dispatcher, destination);
        if (!TryRunEngine(async token => { await monitor.StartAsync(token).ConfigureAwait(false); return true; }, StackName, out _))
        {
            return;
        }

        var activity = Math.Abs(monitor.Checkpoint.CorrelationId.GetHashCode() % 10000);
        var clock = Stopwatch.StartNew();
        MonitorPoll? poll = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(Timeout))
        {
            if (!TryRunEngine(monitor.PollAsync, StackName, out poll))
            {
                return;
            }

            WriteObject(poll.Notifications, enumerateCollection: true);
            WriteProgress(new ProgressRecord(activity, $"Watching {monitor.Checkpoint.StackName} ({monitor.Checkpoint.CorrelationId})",
                $"{poll.StackStatus ?? "not read"}; last event: {monitor.Checkpoint.LastEvent ?? "none yet"}") { SecondsRemaining = (int)Math.Max(0, Timeout - clock.Elapsed.TotalSeconds) });
            if (poll.Finished)
            {
                break;
            }

            RunEngine(async token =>
            {
                await Task.Delay(request.PollInterval, token).ConfigureAwait(false);
                return true;
            });
        }

        var outcome = poll is { Finished: true } ? poll.Outcome ?? "Completed" : "TimedOut";
        if (TryRunEngine(token => monitor.FinishAsync(outcome, token), StackName, out var drained))
        {
            WriteVerbose($"Sent {drained.Count(d => d.State == nameof(OutboxState.Delivered))} queued notification(s) while finishing.");
        }

        WriteProgress(new ProgressRecord(activity, $"Watching {monitor.Checkpoint.StackName}", outcome) { RecordType = ProgressRecordType.Completed });
        if (outcome == "TimedOut")
        {
            WriteEngineError(new DeployOpsError(ErrorIds.DeploymentWaitTimedOut, DeployOpsErrorKind.OperationTimeout,
                $"Deployment {monitor.Checkpoint.CorrelationId} of {monitor.Checkpoint.StackName} did not end within {Timeout} s (stack {poll?.StackStatus ?? "not read"}).", StackName)
            {
                RecommendedAction = $"Watch on (it resumes from its checkpoint): Watch-Deployment -StackName {monitor.Checkpoint.StackName} -CorrelationId {monitor.Checkpoint.CorrelationId}",
            });
        }
        else if (outcome == nameof(NotificationKind.Failed))
        {
            WriteEngineError(new DeployOpsError(ErrorIds.DeploymentFailed, DeployOpsErrorKind.DeploymentFailed,
                $"Deployment {monitor.Checkpoint.CorrelationId} of {monitor.Checkpoint.StackName} failed: {poll?.StackStatus}. First failure: {monitor.Checkpoint.FirstFailure?.ToString() ?? "none read"}.",
                StackName)
            {
                RecommendedAction = $"Get-CfnStackDiagnosis -StackName {monitor.Checkpoint.StackName}",
            });
        }
    }

    /// <inheritdoc />
    protected override void DisposeResources()
    {
        _sending?.Dispose();
        base.DisposeResources();
    }
}
