using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.ElasticLoadBalancing;
using DeployOps.Deployments;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.LoadBalancers;

/// <summary>What Set-LoadBalancerAttribute asks for one load balancer.</summary>
public sealed record IdleTimeoutRequest
{
    /// <summary>A name or ARN.</summary>
    public string LoadBalancer { get; init; } = "";

    public int IdleTimeoutSeconds { get; init; }
}

/// <summary>A load balancer attribute change, planned and not made yet: what ShouldProcess shows.</summary>
public sealed class LoadBalancerAttributePlan : IChangePlan
{
    public string LoadBalancerName { get; init; } = "";

    public string LoadBalancerArn { get; init; } = "";

    public string Attribute { get; init; } = "";

    public string? OldValue { get; init; }

    public string NewValue { get; init; } = "";

    /// <summary>False when the attribute already has the value.</summary>
    public bool NeedsChange => !string.Equals(OldValue, NewValue, StringComparison.Ordinal);

    public string ShouldProcessTarget => $"load balancer {LoadBalancerName} ({LoadBalancerArn})";

    public string ShouldProcessAction => NeedsChange
        ? $"Set {Attribute} {OldValue ?? "(unset)"} -> {NewValue}"
        : $"Keep {Attribute} {NewValue} (already set)";
}

/// <summary>
/// Runbook 004 "ALB returns 502/503 errors", cause 3: raise the load balancer's idle timeout
/// (<c>idle_timeout.timeout_seconds</c>, 1 to 4000 seconds). Planned first (read only) so the cmdlet can ask; applying
/// writes the attribute and reports the value AWS answered with.
/// </summary>
public sealed class LoadBalancerAttributeChanger
{
    private readonly AwsFacts _facts;

    public LoadBalancerAttributeChanger(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>Validates the request and reads the load balancer and its attribute; throws <see cref="DeployOpsException"/> for a bad value or a missing load balancer.</summary>
    public async Task<LoadBalancerAttributePlan> PlanIdleTimeoutAsync(IdleTimeoutRequest request, CancellationToken cancellationToken)
    {
        LoadBalancerHealthInspector.ValidateName(request.LoadBalancer);
        if (request.IdleTimeoutSeconds < ElbLoadBalancerVocabulary.MinIdleTimeoutSeconds || request.IdleTimeoutSeconds > ElbLoadBalancerVocabulary.MaxIdleTimeoutSeconds)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidIdleTimeout, DeployOpsErrorKind.InvalidArgument,
                $"-IdleTimeout must be {ElbLoadBalancerVocabulary.MinIdleTimeoutSeconds} to {ElbLoadBalancerVocabulary.MaxIdleTimeoutSeconds} seconds (ALB's range); it is {request.IdleTimeoutSeconds}.",
                request.IdleTimeoutSeconds));
        }

        var elb = _facts.Session.LoadBalancing;
        IReadOnlyList<ElbLoadBalancer> found;
        try
        {
            found = await ServiceRedeployer.Translated(() => _facts.LoadBalancers.DescribeAsync(request.LoadBalancer, cancellationToken), request.LoadBalancer).ConfigureAwait(false);
        }
        catch (DeployOpsException ex) when (ex.Error.Kind == DeployOpsErrorKind.NotFound)
        {
            throw new DeployOpsException(_facts.LoadBalancers.NotFound(request.LoadBalancer));
        }

        if (found.Count == 0)
        {
            throw new DeployOpsException(_facts.LoadBalancers.NotFound(request.LoadBalancer));
        }

        var lb = found[0];
        var attributes = await ServiceRedeployer.Translated(() => elb.DescribeLoadBalancerAttributesAsync(lb.Arn, cancellationToken), lb.Name).ConfigureAwait(false);
        return new LoadBalancerAttributePlan
        {
            LoadBalancerName = lb.Name,
            LoadBalancerArn = lb.Arn,
            Attribute = ElbLoadBalancerVocabulary.IdleTimeoutAttribute,
            OldValue = attributes.TryGetValue(ElbLoadBalancerVocabulary.IdleTimeoutAttribute, out var old) ? old : null,
            NewValue = request.IdleTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Sets the attribute when it differs; the change reports the value AWS answered with.</summary>
    public async Task<IReadOnlyList<ItemOutcome<object>>> ApplyAsync(LoadBalancerAttributePlan plan, CancellationToken cancellationToken)
    {
        var now = plan.NewValue;
        if (plan.NeedsChange)
        {
            _facts.Observer.Verbose($"{plan.ShouldProcessTarget}: {plan.ShouldProcessAction}.");
            var answered = await ServiceRedeployer.Translated(() => _facts.Session.LoadBalancing.ModifyLoadBalancerAttributesAsync(plan.LoadBalancerArn,
                new Dictionary<string, string> { [plan.Attribute] = plan.NewValue }, cancellationToken), plan.LoadBalancerName).ConfigureAwait(false);
            now = answered.TryGetValue(plan.Attribute, out var value) ? value : plan.NewValue;
        }
        else
        {
            _facts.Observer.Verbose($"{plan.ShouldProcessTarget} already has {plan.Attribute} {plan.NewValue}; nothing to change.");
        }

        return new[]
        {
            ItemOutcome<object>.Success(new LoadBalancerAttributeChange
            {
                LoadBalancerName = plan.LoadBalancerName,
                LoadBalancerArn = plan.LoadBalancerArn,
                Attribute = plan.Attribute,
                OldValue = plan.OldValue,
                NewValue = now,
                Changed = plan.NeedsChange,
                ChangedAt = DateTimeOffset.UtcNow,
                Region = _facts.Session.Region.Name,
                EndpointUrl = _facts.Session.EndpointUrl,
                ProfileName = _facts.Session.ProfileName,
            }),
        };
    }
}
