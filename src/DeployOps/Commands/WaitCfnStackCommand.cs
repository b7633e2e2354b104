using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Stacks;

namespace DeployOps.Commands;

/// <summary>
/// Wait-CfnStack: waits for a stack's operation to end, with progress (resources done of total, an ETA from the
/// deployment history); fails fast when the stack starts rolling back, naming the first failure (-UntilRollbackComplete
/// waits through the rollback); warns when no stack event has come for -QuietWarning minutes.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "CfnStack")]
[OutputType(typeof(CfnStackWaitResult))]
public sealed class WaitCfnStackCommand : DeploymentStoreAwsCmdlet
{
    /// <summary>Ten seconds between two looks, as <c>aws cloudformation wait</c>'s 30 would be slow to report.</summary>
    public const int DefaultPollIntervalSeconds = 10;

    /// <summary>-StackName: the stack's name or id.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StackNameCompleter))]
    public string StackName { get; set; } = string.Empty;

    /// <summary>-Timeout: seconds to wait before giving up (default 3600).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    [Alias("TimeoutSec")]
    public int Timeout { get; set; } = StackChangeCmdlet.DefaultTimeoutSeconds;

    /// <summary>-PollInterval: seconds between two looks at the stack (default 10).</summary>
    [Parameter]
    [ValidateRange(1, 300)]
    public int PollInterval { get; set; } = DefaultPollIntervalSeconds;

    /// <summary>-UntilRollbackComplete: when the stack starts rolling back, wait for the rollback to end instead of stopping.</summary>
    [Parameter]
    public SwitchParameter UntilRollbackComplete { get; set; }

    /// <summary>-QuietWarning: minutes without a stack event before a warning (runbook 001: 15).</summary>
    [Parameter]
    [ValidateRange(1, 1440)]
    public int QuietWarning { get; set; } = (int)CfnStackDiagnosis.QuietAfter.TotalMinutes;

    /// <summary>Waits and writes how the wait ended (and the error when the stack did not end as asked).</summary>
    protected override void ProcessRecord()
    {
        var request = new StackWaitRequest
        {
            StackName = StackName,
            Timeout = TimeSpan.FromSeconds(Timeout),
            PollInterval = TimeSpan.FromSeconds(PollInterval),
            UntilRollbackComplete = UntilRollbackComplete,
            QuietWarning = TimeSpan.FromMinutes(QuietWarning),
            Store = Store,
        };
        if (TryRunEngine(token => new StackWaiter(Facts).WaitAsync(request, token), StackName, out var result))
        {
            WriteOutcomes(result.Outcomes());
        }
    }
}
