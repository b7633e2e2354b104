using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.Deployments;

/// <summary>A planned forced deployment of one service: what Restart-EcsService (and a repair with -Redeploy) asks before doing.</summary>
public sealed record RedeployPlan(string Cluster, string Service) : IChangePlan
{
    /// <summary>The PRIMARY deployment when the plan was made: after a lost answer, a different one is the deployment this change started.</summary>
    public string? PrimaryDeploymentId { get; init; }

    public string ShouldProcessTarget => $"ECS service {Service} in cluster {Cluster}";

    public string ShouldProcessAction => "Force a new deployment";

    public override string ToString() => $"{Cluster}/{Service}";
}

/// <summary>
/// How long to wait for the deployments a change starts (-Wait -Timeout), and where a rollout that completes is recorded
/// as verified (the deployment journal; null records nothing).
/// </summary>
public sealed record DeploymentWaitSettings(TimeSpan Timeout)
{
    public static DeploymentWaitSettings Default { get; } = new(TimeSpan.FromMinutes(10));

    public VerificationRecorder? Recorder { get; init; }
}

/// <summary>
/// Forces new deployments (<c>aws ecs update-service --force-new-deployment</c>): plan (the service exists and takes
/// deployments), apply, and with a wait, wait for each rollout.
/// </summary>
public sealed class ServiceRedeployer
{
    private readonly AwsFacts _facts;

    public ServiceRedeployer(AwsFacts facts)
    {
        _facts = facts;
    }

    public ServiceRedeployer(AwsSession session, IOperationObserver observer)
        : this(new AwsFacts(session, observer))
    {
    }

    /// <summary>Checks the service exists and takes deployments; throws <see cref="DeployOpsException"/> (ClusterNotFound, ServiceNotFound) otherwise.</summary>
    public async Task<RedeployPlan> PlanAsync(string cluster, string service, CancellationToken cancellationToken)
    {
        var found = await Translated(() => _facts.Services.RequireAsync(cluster, service, cancellationToken), $"{cluster}/{service}").ConfigureAwait(false);
        var clusterName = AwsArn.LastSegment(found.ClusterArn.Length > 0 ? found.ClusterArn : cluster);
        if (!found.AcceptsDeployments)
        {
            throw new DeployOpsException(ServiceReader.NotFound(found.Name, clusterName, found.Status));
        }

        return new RedeployPlan(clusterName, found.Name) { PrimaryDeploymentId = found.Primary?.Id };
    }

    /// <summary>
    /// Starts one new deployment. UpdateService is not idempotent, so it is never resent when its answer is lost: the
    /// service is read back instead, and a PRIMARY deployment other than the one the plan saw is the one this change
    /// started. When the read-back shows none (or cannot be made), the lost answer is the error (OutcomeUnknown).
    /// </summary>
    public async Task<EcsDeploymentStart> ApplyAsync(RedeployPlan plan, CancellationToken cancellationToken)
    {
        _facts.Observer.Verbose($"Forcing a new deployment of {plan}.");
        EcsService updated;
        try
        {
            updated = await _facts.Session.Ecs.UpdateServiceAsync(
                new EcsUpdateServiceRequest(plan.Cluster, plan.Service) { ForceNewDeployment = true }, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsOutcomeUnknownException lost)
        {
            updated = await StartedDespiteAsync(plan, lost, cancellationToken).ConfigureAwait(false)
                      ?? throw new DeployOpsException(ErrorTranslator.Translate(lost, plan.ToString()));
        }
        catch (AwsServiceException refused)
        {
            throw new DeployOpsException(ErrorTranslator.Translate(refused, plan.ToString()));
        }

        var primary = updated.Primary ?? throw new DeployOpsException(new DeployOpsError(ErrorIds.OutcomeUnknown, DeployOpsErrorKind.OutcomeUnknown,
            $"ECS accepted the new deployment of {plan} but reports no PRIMARY deployment; check it with Get-DeploymentHealth.", plan.ToString()));
        _facts.Observer.Verbose($"{plan}: deployment {primary.Id} started with {primary.TaskDefinition}.");
        return new EcsDeploymentStart
        {
            Cluster = plan.Cluster,
            Service = plan.Service,
            DeploymentId = primary.Id,
            TaskDefinition = primary.TaskDefinition ?? "",
            StartedAt = primary.CreatedAt ?? DateTimeOffset.UtcNow,
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
    }

    /// <summary>Starts the deployment; with <paramref name="wait"/>, waits for it: its result (and the error when it did not complete) instead of the start.</summary>
    public async Task<IReadOnlyList<ItemOutcome<object>>> ApplyAsync(RedeployPlan plan, DeploymentWaitSettings? wait, CancellationToken cancellationToken)
    {
        var started = await ApplyAsync(plan, cancellationToken).ConfigureAwait(false);
        if (wait is null)
        {
            return new[] { ItemOutcome<object>.Success(started) };
        }

        var result = await new DeploymentWaiter(_facts, wait.Recorder).WaitAsync(DeploymentWaitRequest.For(started, wait), cancellationToken).ConfigureAwait(false);
        return result.Outcomes();
    }

    /// <summary>
    /// The service read back after UpdateService's answer was lost, when its PRIMARY deployment is not the one the plan saw
    /// (so the request was applied); null when it is the same, the plan saw none, or the service cannot be read.
    /// </summary>
    private async Task<EcsService?> StartedDespiteAsync(RedeployPlan plan, AwsOutcomeUnknownException lost, CancellationToken cancellationToken)
    {
        if (plan.PrimaryDeploymentId is null)
        {
            return null;
        }

        var service = (await _facts.Services.DescribeAsync(plan.Cluster, new[] { plan.Service }, cancellationToken).ConfigureAwait(false)).Single().Service;
        if (!service.IsRead || service.Value.Primary is not { } primary || primary.Id == plan.PrimaryDeploymentId)
        {
            return null;
        }

        _facts.Observer.Verbose($"{plan}: UpdateService's answer was lost ({lost.Message}), but the service now deploys {primary.Id}: the new deployment started.");
        return service.Value;
    }

    /// <summary>Runs an AWS call, turning its failure into a <see cref="DeployOpsException"/> about <paramref name="target"/>.</summary>
    internal static async Task<T> Translated<T>(Func<Task<T>> call, string target)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AwsServiceException or AwsOutcomeUnknownException)
        {
            throw new DeployOpsException(ErrorTranslator.Translate(ex, target));
        }
    }
}
