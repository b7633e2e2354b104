using System;
using System.Management.Automation;
using DeployOps.Databases;

namespace DeployOps.Commands;

/// <summary>
/// The base of Start-DatabaseCluster and Start-DatabaseInstance: -Wait, -Timeout, -PollInterval and -Force, and the one
/// way both plan, confirm and start through the engine's <see cref="DatabaseStarter"/>. A database that is available
/// already is left alone (a warning says so); one that is starting is only waited for.
/// </summary>
public abstract class DatabaseStartCmdlet : DeployOpsAwsCmdlet
{
    /// <summary>Fifteen minutes: an Aurora cluster or an RDS instance usually starts in a few.</summary>
    public const int DefaultTimeoutSeconds = 900;

    /// <summary>-Wait: wait until the database is available.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>-Timeout: seconds to wait with -Wait (whole seconds, as Wait-Job -Timeout).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    [Alias("TimeoutSec")]
    public int Timeout { get; set; } = DefaultTimeoutSeconds;

    /// <summary>-PollInterval: seconds between two looks at the database with -Wait.</summary>
    [Parameter]
    [ValidateRange(1, 300)]
    public int PollInterval { get; set; } = (int)DatabaseWaitSettings.Default.PollInterval.TotalSeconds;

    /// <summary>-Force: start without asking for confirmation (-WhatIf still changes nothing).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Plans, confirms and starts the database (with -Wait, until it is available).</summary>
    private protected void StartDatabase(DatabaseKind kind, string identifier)
    {
        var starter = new DatabaseStarter(Facts);
        if (!TryRunEngine(token => starter.PlanAsync(kind, identifier, token), identifier, out var planned))
        {
            return;
        }

        if (planned.Plan is null)
        {
            WriteWarning($"{planned.Database.Noun} {planned.Database.Identifier} is {planned.Database.Status} already: nothing to start.");
            WriteObject(starter.Unchanged(planned.Database));
            return;
        }

        var wait = Wait ? new DatabaseWaitSettings(TimeSpan.FromSeconds(Timeout), TimeSpan.FromSeconds(PollInterval)) : null;
        if (ShouldChange(planned.Plan, Force) && TryRunEngine(token => starter.ApplyAsync(planned.Plan, wait, token), identifier, out var outcomes))
        {
            WriteOutcomes(outcomes);
        }
    }
}
