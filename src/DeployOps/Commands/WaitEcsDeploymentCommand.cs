using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Deployments;
using DeployOps.Verification;

namespace DeployOps.Commands;

/// <summary>
/// Wait-EcsDeployment: waits until a service's deployment is COMPLETED with every task running and its targets
/// healthy, and fails fast when the rollout fails, rolls back or its tasks keep stopping (runbook 000 step 4). A completed
/// rollout is recorded as verified in the deployment journal (unless -NoJournal), which Invoke-EcsRollback -ToLastVerified reads.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "EcsDeployment")]
[OutputType(typeof(DeploymentWaitResult))]
public sealed class WaitEcsDeploymentCommand : DeploymentStoreAwsCmdlet
{
    /// <summary>Ten minutes, as runbook 000 step 3A waits.</summary>
    public const int DefaultTimeoutSeconds = 600;

    /// <summary>-Cluster: the ECS cluster.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ClusterCompleter))]
    public string Cluster { get; set; } = string.Empty;

    /// <summary>-Service: the ECS service.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string Service { get; set; } = string.Empty;

    /// <summary>-DeploymentId: the deployment to wait for (ecs-svc/...); by default the PRIMARY one when the wait starts.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? DeploymentId { get; set; }

    /// <summary>-Timeout: seconds to wait before giving up (default 600).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    [Alias("TimeoutSec")]
    public int Timeout { get; set; } = DefaultTimeoutSeconds;

    /// <summary>-PollInterval: seconds between two looks at the service (default 5).</summary>
    [Parameter]
    [ValidateRange(1, 300)]
    public int PollInterval { get; set; } = 5;

    /// <summary>-NoJournal: do not record a completed rollout as verified in the deployment journal.</summary>
    [Parameter]
    public SwitchParameter NoJournal { get; set; }

    /// <summary>Waits for the service and writes how the wait ended (plus an error when the deployment did not complete).</summary>
    protected override void ProcessRecord()
    {
        var request = new DeploymentWaitRequest
        {
            Cluster = Cluster,
            Service = Service,
            DeploymentId = string.IsNullOrEmpty(DeploymentId) ? null : DeploymentId,
            Timeout = TimeSpan.FromSeconds(Timeout),
            PollInterval = TimeSpan.FromSeconds(PollInterval),
        };
        var recorder = NoJournal
            ? null
            : new VerificationRecorder(Journal, "Wait-EcsDeployment");
        var waiter = new DeploymentWaiter(Facts, recorder);
        if (TryRunEngine(token => waiter.WaitAsync(request, token), Service, out var result))
        {
            WriteOutcomes(result.Outcomes());
        }
    }
}
