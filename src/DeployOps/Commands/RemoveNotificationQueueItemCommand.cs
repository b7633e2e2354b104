using System;
using System.Linq;
using System.Management.Automation;
using DeployOps.Notifications;

namespace DeployOps.Commands;

/// <summary>
/// Remove-NotificationQueueItem: cleans the outbox after review (runbook 001: "review failed notifications, then clean
/// up the dead letter queue"): the messages named by key, or every dead letter with -DeadLetter.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NotificationQueueItem", DefaultParameterSetName = KeySet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(NotificationQueueItem))]
public sealed class RemoveNotificationQueueItemCommand : DeploymentStoreCmdlet
{
    /// <summary>Messages named by key.</summary>
    public const string KeySet = "IdempotencyKey";

    /// <summary>Every dead letter.</summary>
    public const string DeadLetterSet = "DeadLetter";

    /// <summary>-IdempotencyKey: the pending or dead-letter messages to remove.</summary>
    [Parameter(ParameterSetName = KeySet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] IdempotencyKey { get; set; } = Array.Empty<string>();

    /// <summary>-DeadLetter: remove every dead letter.</summary>
    [Parameter(ParameterSetName = DeadLetterSet, Mandatory = true)]
    public SwitchParameter DeadLetter { get; set; }

    /// <summary>-Force: remove without asking for confirmation (-WhatIf still removes nothing).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>-PassThru: write each removed message.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Confirms and removes each message.</summary>
    protected override void ProcessRecord()
    {
        var outbox = new NotificationOutbox(Store);
        var keys = DeadLetter
            ? Require(() => outbox.Items(OutboxState.DeadLetter), outbox.Path).Select(i => (i.IdempotencyKey, State: (string?)i.State, i.LastError)).ToList()
            : IdempotencyKey.Select(k => (IdempotencyKey: k, State: (string?)null, LastError: (string?)null)).ToList();
        foreach (var (key, state, error) in keys)
        {
            var plan = new QueueItemRemovalPlan(outbox.Path, key, state is null ? null : $"{state}: {error}");
            if (ShouldChange(plan, Force) && TryRunEngine(token => outbox.RemoveAsync(key, token), key, out var removed) && PassThru)
            {
                WriteObject(removed);
            }
        }
    }
}
