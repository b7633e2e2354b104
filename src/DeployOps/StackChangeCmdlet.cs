using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Stacks;

namespace DeployOps.Commands;

/// <summary>
/// The base of the cmdlets that act on a stack (Stop-CfnStackUpdate, Resume-CfnStackRollback, Remove-CfnStack): -StackName,
/// -Force for the confirmation (ConfirmImpact High: a rollback or a deletion), -Wait, -Timeout and -PollInterval.
/// </summary>
public abstract class StackChangeCmdlet : DeploymentChangeCmdlet
{
    /// <summary>An hour: a stack's rollback or deletion can take that (an RDS instance alone takes minutes).</summary>
    public const int DefaultTimeoutSeconds = 3600;

    /// <summary>Waits of an hour by default.</summary>
    protected StackChangeCmdlet()
    {
        Timeout = DefaultTimeoutSeconds;
    }

    /// <summary>-StackName: the stack's name or id.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StackNameCompleter))]
    public string StackName { get; set; } = string.Empty;

    /// <summary>-PollInterval: seconds between two looks at the stack with -Wait.</summary>
    [Parameter]
    [ValidateRange(1, 300)]
    public int PollInterval { get; set; } = WaitCfnStackCommand.DefaultPollIntervalSeconds;

    /// <summary>How long to wait with -Wait; null without it.</summary>
    protected StackWaitSettings? WaitSettings => Wait ? new StackWaitSettings(TimeSpan.FromSeconds(Timeout), TimeSpan.FromSeconds(PollInterval)) : null;

    /// <summary>Plans, confirms and applies one action on -StackName, writing what it did (and, with -Wait, how the wait ended).</summary>
    protected void Change(Func<StackChanger, System.Threading.CancellationToken, System.Threading.Tasks.Task<StackChangePlan>> plan)
    {
        var changer = new StackChanger(Facts);
        if (TryRunEngine(token => plan(changer, token), StackName, out var planned)
            && ShouldChange(planned)
            && TryRunEngine(token => changer.ApplyAsync(planned, WaitSettings, Store, token), StackName, out var outcomes))
        {
            WriteOutcomes(outcomes);
        }
    }
}
