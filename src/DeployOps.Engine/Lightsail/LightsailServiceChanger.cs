using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Lightsail;
using DeployOps.Deployments;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.Lightsail;

/// <summary>What Set-LightsailContainerService asks for: the scale and power to set (null keeps them).</summary>
public sealed record LightsailServiceChangeRequest
{
    /// <summary>The powers Lightsail sells (botocore's ContainerServicePowerName), smallest first.</summary>
    public static readonly IReadOnlyList<string> Powers = new[] { "nano", "micro", "small", "medium", "large", "xlarge" };

    public string ServiceName { get; init; } = "";

    /// <summary>Nodes, 1 to 20.</summary>
    public int? Scale { get; init; }

    public string? Power { get; init; }

    /// <summary>Wait until the service runs again (RUNNING or READY); null: return once Lightsail accepted the change.</summary>
    public LightsailWaitSettings? Wait { get; init; }

    /// <summary>Checks the values; throws <see cref="DeployOpsException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (Scale is < 1 or > 20)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidCapacity, DeployOpsErrorKind.InvalidArgument,
                $"{Scale} is not a scale; expected 1 to 20 nodes (runbook 003 asks for 2).", Scale));
        }

        if (Power is not null && !Powers.Contains(Power))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidCapacity, DeployOpsErrorKind.InvalidArgument,
                $"'{Power}' is not a container service power; expected one of {string.Join(", ", Powers)}.", Power));
        }
    }
}

/// <summary>A change of scale or power planned (what ShouldProcess shows).</summary>
public sealed class LightsailServiceChangePlan : IChangePlan
{
    public string ServiceName { get; init; } = "";

    public string Region { get; init; } = "";

    public int ScaleFrom { get; init; }

    public int ScaleTo { get; init; }

    public string? PowerFrom { get; init; }

    public string? PowerTo { get; init; }

    /// <summary>False when the service already has this scale and power: nothing is sent.</summary>
    public bool NeedsChange => ScaleFrom != ScaleTo || PowerFrom != PowerTo;

    public string ShouldProcessTarget => $"Lightsail container service {ServiceName} ({Region})";

    public string ShouldProcessAction => NeedsChange
        ? string.Join(", ", new[] { ScaleFrom != ScaleTo ? $"Set scale {ScaleFrom} -> {ScaleTo}" : null, PowerFrom != PowerTo ? $"Set power {PowerFrom} -> {PowerTo}" : null }.Where(p => p is not null))
        : $"Keep scale {ScaleTo} and power {PowerTo} (already set)";
}

/// <summary>
/// Runbook 003's "scale to 2 containers": sets a container service's scale (and power), and with a wait, waits until it
/// runs again with every node healthy (UPDATING ends).
/// </summary>
public sealed class LightsailServiceChanger
{
    private static int _nextActivityId = 1000;

    private readonly AwsFacts _facts;

    public LightsailServiceChanger(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>Reads the service; throws <see cref="DeployOpsException"/> when it does not exist or is busy.</summary>
    public async Task<LightsailServiceChangePlan> PlanAsync(LightsailServiceChangeRequest request, CancellationToken cancellationToken)
    {
        request.Validate();
        var service = await _facts.Lightsail.RequireServiceAsync(request.ServiceName, cancellationToken).ConfigureAwait(false);
        var plan = new LightsailServiceChangePlan
        {
            ServiceName = service.Name,
            Region = _facts.Session.Region.Name,
            ScaleFrom = service.Scale,
            ScaleTo = request.Scale ?? service.Scale,
            PowerFrom = service.Power,
            PowerTo = request.Power ?? service.Power,
        };
        if (plan.NeedsChange)
        {
            LightsailPublisher.RequireSettled(service);
        }

        return plan;
    }

    /// <summary>Applies the change (nothing when none is needed); with a wait, waits until the service runs again.</summary>
    public async Task<IReadOnlyList<ItemOutcome<object>>> ApplyAsync(LightsailServiceChangePlan plan, LightsailServiceChangeRequest request, CancellationToken cancellationToken)
    {
        var client = _facts.Session.Client<LightsailClient>();
        LightsailContainerService service;
        if (plan.NeedsChange)
        {
            _facts.Observer.Verbose($"{plan.ShouldProcessTarget}: {plan.ShouldProcessAction}.");
            service = await ServiceRedeployer.Translated(() => client.UpdateContainerServiceAsync(plan.ServiceName,
                plan.PowerTo != plan.PowerFrom ? plan.PowerTo : null, plan.ScaleTo != plan.ScaleFrom ? plan.ScaleTo : null, null, cancellationToken), plan.ServiceName).ConfigureAwait(false);
        }
        else
        {
            _facts.Observer.Verbose($"{plan.ShouldProcessTarget} has scale {plan.ScaleTo} and power {plan.PowerTo} already; nothing to change.");
            service = await _facts.Lightsail.RequireServiceAsync(plan.ServiceName, cancellationToken).ConfigureAwait(false);
        }

        if (request.Wait is { } wait && plan.NeedsChange)
        {
            var settled = await WaitSettledAsync(plan, wait, cancellationToken).ConfigureAwait(false);
            if (settled.Error is { } error)
            {
                return new[] { ItemOutcome<object>.Success(LightsailServiceInfo.Of(settled.Service, _facts.Session)), ItemOutcome<object>.Failure(error) };
            }

            service = settled.Service;
        }

        return new[] { ItemOutcome<object>.Success(LightsailServiceInfo.Of(service, _facts.Session)) };
    }

    /// <summary>Polls until the service is RUNNING or READY again, or the timeout passes (DeploymentWaitTimedOut).</summary>
    private async Task<(LightsailContainerService Service, DeployOpsError? Error)> WaitSettledAsync(LightsailServiceChangePlan plan, LightsailWaitSettings wait, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var activity = Interlocked.Increment(ref _nextActivityId);
        var title = $"Waiting for container service {plan.ServiceName} to run with scale {plan.ScaleTo}";
        while (true)
        {
            await Task.Delay(wait.PollInterval, cancellationToken).ConfigureAwait(false);
            var service = await _facts.Lightsail.RequireServiceAsync(plan.ServiceName, cancellationToken).ConfigureAwait(false);
            if (service.State is LightsailServiceState.Running or LightsailServiceState.Ready)
            {
                _facts.Observer.Progress(new OperationProgress(activity, title, service.State, 100, 0, Completed: true));
                return (service, null);
            }

            var remaining = wait.Timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                _facts.Observer.Progress(new OperationProgress(activity, title, "timed out", 100, 0, Completed: true));
                return (service, new DeployOpsError(ErrorIds.DeploymentWaitTimedOut, DeployOpsErrorKind.OperationTimeout,
                    $"Container service {plan.ServiceName} is still {service.State} after {clock.Elapsed.TotalSeconds:0} s{(service.StateDetail is null ? "" : $" ({service.StateDetail})")}.", plan.ServiceName));
            }

            _facts.Observer.Progress(new OperationProgress(activity, title, $"{service.State} {service.StateDetail}".TrimEnd(), 50, (int)remaining.TotalSeconds));
        }
    }
}
