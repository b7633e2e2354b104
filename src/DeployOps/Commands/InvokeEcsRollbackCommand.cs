using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Deployments;
using DeployOps.Verification;

namespace DeployOps.Commands;

/// <summary>
/// Invoke-EcsRollback: deploys an earlier task definition revision (runbook 002 "Immediate rollback", runbook 000's
/// emergency rollback): the revision before the running one skipping failed ones, a named one, or the last one DeployOps
/// verified. Refuses the revision already running, says when the circuit breaker already rolled back, works during a
/// failing rollout, never deregisters a task definition. -Wait waits with the fail-fast waiter.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "EcsRollback", DefaultParameterSetName = ToPreviousSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(EcsRollbackResult), typeof(DeploymentWaitResult))]
public sealed class InvokeEcsRollbackCommand : EcsDeploymentCmdlet
{
    /// <summary>Roll back to the revision before the running one.</summary>
    public const string ToPreviousSet = "ToPrevious";

    /// <summary>Roll back to a named revision.</summary>
    public const string TaskDefinitionSet = "TaskDefinition";

    /// <summary>Roll back to the last verified revision.</summary>
    public const string ToLastVerifiedSet = "ToLastVerified";

    /// <summary>-Cluster: the ECS cluster; by default the environment's.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(ClusterCompleter))]
    public string? Cluster { get; set; }

    /// <summary>-Service: the service to roll back; by default the environment's (when it has one).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string? Service { get; set; }

    /// <summary>-ToPrevious: the revision before the running one, skipping revisions whose deployment FAILED.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ToPreviousSet)]
    public SwitchParameter ToPrevious { get; set; }

    /// <summary>-TaskDefinition: the revision to go to, family:revision or its ARN.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TaskDefinitionSet)]
    [ValidateNotNullOrEmpty]
    public string TaskDefinition { get; set; } = string.Empty;

    /// <summary>-ToLastVerified: the newest revision the deployment journal says DeployOps verified.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ToLastVerifiedSet)]
    public SwitchParameter ToLastVerified { get; set; }

    /// <summary>Plans the rollback, confirms it (unless there is nothing to change), applies it and, with -Wait, waits.</summary>
    protected override void ProcessRecord()
    {
        var rollback = new EcsRollback(Facts, Journal);
        var request = new RollbackRequest
        {
            Cluster = ResolveCluster(Cluster),
            Service = Service ?? OnlyService(),
            Mode = ParameterSetName switch
            {
                TaskDefinitionSet => RollbackMode.TaskDefinition,
                ToLastVerifiedSet => RollbackMode.ToLastVerified,
                _ => RollbackMode.ToPrevious,
            },
            TaskDefinition = ParameterSetName == TaskDefinitionSet ? TaskDefinition : null,
        };
        if (TryRunEngine(token => rollback.PlanAsync(request, token), request.Service, out var plan)
            && (!plan.NeedsChange || ShouldChange(plan))
            && TryRunEngine(token => rollback.ApplyAsync(plan, WaitSettings, token), request.Service, out var outcomes))
        {
            WriteOutcomes(outcomes);
        }
    }

    /// <summary>The environment's service when it lists exactly one; otherwise -Service is needed.</summary>
    private string OnlyService()
    {
        var services = ResolveServices(null);
        if (services.Length > 1)
        {
            ThrowEngineError(new Errors.DeployOpsError(Errors.ErrorIds.MissingService, Errors.DeployOpsErrorKind.InvalidArgument,
                $"Environment '{DeploymentEnvironment!.Name}' has {services.Length} services ({string.Join(", ", services)}); name the one to roll back with -Service.", null));
        }

        return services[0];
    }
}
