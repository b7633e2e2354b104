using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.ElasticLoadBalancing;
using DeployOps.Aws;
using DeployOps.Errors;
using DeployOps.Operations;

namespace DeployOps.Deployments;

/// <summary>What Repair-TargetGroupHealthCheck asks for one target group.</summary>
public sealed record HealthCheckRepairRequest
{
    public string TargetGroupArn { get; init; } = "";

    public string HealthCheckPath { get; init; } = "";

    public string Matcher { get; init; } = "200";

    public bool Redeploy { get; init; }

    /// <summary>Where the services to redeploy run; with no cluster, every cluster is searched for services using the group.</summary>
    public string? Cluster { get; init; }

    /// <summary>Services to redeploy; none means every service of <see cref="Cluster"/> that uses the group.</summary>
    public IReadOnlyList<string> Services { get; init; } = Array.Empty<string>();
}

/// <summary>What a repair would do, for ShouldProcess to show before anything changes.</summary>
public sealed class HealthCheckRepairPlan : TargetGroupHealthCheckDifference
{
    /// <summary>False when the group already has the asked-for path and matcher.</summary>
    public bool NeedsChange => Differs;

    public IReadOnlyList<ServiceReference> ServicesToRedeploy { get; init; } = Array.Empty<ServiceReference>();

    public string ShouldProcessTarget => $"target group {TargetGroupName} ({TargetGroupArn})";

    public string ShouldProcessAction
    {
        get
        {
            var change = NeedsChange
                ? $"Set health check path {OldHealthCheckPath} -> {NewHealthCheckPath}, matcher {OldMatcher} -> {NewMatcher}"
                : $"Keep health check path {NewHealthCheckPath} and matcher {NewMatcher} (already set)";
            return ServicesToRedeploy.Count == 0 ? change : $"{change}; force a new deployment of {string.Join(", ", ServicesToRedeploy)}";
        }
    }
}

/// <summary>
/// Runbook 000 step 3A: set a target group's health-check path and matcher, and force new
/// deployments of the services that use it. Planned first (read only) so the cmdlet can ask.
/// </summary>
public sealed class HealthCheckRepairer
{
    private static readonly Regex TargetGroupArnPattern =
        new(@"^arn:aws(-[a-z]+)*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]+$", RegexOptions.Compiled);

    private static readonly Regex MatcherPattern = new(@"^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$", RegexOptions.Compiled);

    private readonly AwsSession _session;
    private readonly IOperationObserver _observer;
    private readonly ServiceRedeployer _redeployer;

    public HealthCheckRepairer(AwsSession session, IOperationObserver observer)
    {
        _session = session;
        _observer = observer;
        _redeployer = new ServiceRedeployer(session, observer);
    }

    /// <summary>Validates the request and reads the group; throws <see cref="DeployOpsException"/> for a bad value or a missing resource.</summary>
    public async Task<HealthCheckRepairPlan> PlanAsync(HealthCheckRepairRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var groups = await ServiceRedeployer.Call(() => _session.LoadBalancing.DescribeTargetGroupsAsync(new[] { request.TargetGroupArn }, cancellationToken),
            request.TargetGroupArn).ConfigureAwait(false);
        var group = groups.FirstOrDefault() ?? throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.TargetGroupNotFound,
            $"Target group '{request.TargetGroupArn}' does not exist in region '{_session.Region.Name}'.", request.TargetGroupArn));
        var services = request.Redeploy ? await ServicesUsingAsync(group, request, cancellationToken).ConfigureAwait(false) : Array.Empty<ServiceReference>();
        return new HealthCheckRepairPlan
        {
            TargetGroupArn = group.Arn,
            TargetGroupName = group.Name,
            OldHealthCheckPath = group.HealthCheck.Path ?? "",
            NewHealthCheckPath = request.HealthCheckPath,
            OldMatcher = group.HealthCheck.Matcher ?? "",
            NewMatcher = request.Matcher,
            ServicesToRedeploy = services,
        };
    }

    /// <summary>
    /// Changes the group (when needed) and, with <paramref name="redeploy"/>, forces a new deployment of
    /// each planned service. A service that cannot be redeployed does not undo the rest: its error is in
    /// <see cref="TargetGroupHealthCheckChange.RedeploymentErrors"/>.
    /// </summary>
    public async Task<TargetGroupHealthCheckChange> ApplyAsync(HealthCheckRepairPlan plan, bool redeploy, CancellationToken cancellationToken)
    {
        if (plan.NeedsChange)
        {
            _observer.Verbose($"{plan.ShouldProcessTarget}: {plan.ShouldProcessAction}.");
            await ServiceRedeployer.Call(() => _session.LoadBalancing.ModifyTargetGroupAsync(plan.TargetGroupArn,
                new ElbHealthCheck { Path = plan.NewHealthCheckPath, Matcher = plan.NewMatcher }, cancellationToken), plan.TargetGroupArn).ConfigureAwait(false);
        }
        else
        {
            _observer.Verbose($"{plan.ShouldProcessTarget} already checks {plan.NewHealthCheckPath} with matcher {plan.NewMatcher}; nothing to change.");
        }

        var started = new List<EcsDeploymentStart>();
        var errors = new List<DeployOpsError>();
        foreach (var service in redeploy ? plan.ServicesToRedeploy : Array.Empty<ServiceReference>())
        {
            try
            {
                started.Add(await _redeployer.ForceNewDeploymentAsync(service, cancellationToken).ConfigureAwait(false));
            }
            catch (DeployOpsException ex)
            {
                errors.Add(ex.Error);
            }
        }

        return new TargetGroupHealthCheckChange(plan)
        {
            Changed = plan.NeedsChange,
            Redeployments = started.ToPrintableList(),
            RedeploymentErrors = errors,
            ChangedAt = DateTimeOffset.UtcNow,
        };
    }

    private static void Validate(HealthCheckRepairRequest request)
    {
        if (!TargetGroupArnPattern.IsMatch(request.TargetGroupArn ?? ""))
        {
            throw Invalid(ErrorIds.InvalidTargetGroupArn, request.TargetGroupArn,
                $"'{request.TargetGroupArn}' is not a target group ARN; expected arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>.");
        }

        HealthCheckPaths.Validate(request.HealthCheckPath);

        var codes = request.Matcher ?? "";
        var valid = MatcherPattern.IsMatch(codes) &&
                    codes.Split(',', '-').Select(int.Parse).All(code => code >= 200 && code <= 499);
        if (!valid)
        {
            throw Invalid(ErrorIds.InvalidMatcher, codes,
                $"'{codes}' is not an HTTP matcher; expected codes from 200 to 499 such as 200, 200,302 or 200-299.");
        }
    }

    private static DeployOpsException Invalid(string errorId, string? value, string message) =>
        new(new DeployOpsError(errorId, DeployOpsErrorKind.InvalidArgument, message, value));

    /// <summary>The services to redeploy: those named, or every service (of the cluster, or of every cluster) whose load balancers use the group.</summary>
    private async Task<IReadOnlyList<ServiceReference>> ServicesUsingAsync(ElbTargetGroup group, HealthCheckRepairRequest request, CancellationToken cancellationToken)
    {
        var clusters = request.Cluster is { Length: > 0 } cluster
            ? new[] { cluster }
            : await ServiceRedeployer.Call(() => _session.Ecs.ListClustersAsync(cancellationToken), "clusters").ConfigureAwait(false);
        var found = new List<ServiceReference>();
        foreach (var clusterArn in clusters)
        {
            var names = request.Services.Count > 0
                ? request.Services
                : await ServiceRedeployer.Call(() => _session.Ecs.ListServicesAsync(clusterArn, cancellationToken), clusterArn).ConfigureAwait(false);
            if (names.Count == 0)
            {
                continue;
            }

            var described = await ServiceRedeployer.Call(() => _session.Ecs.DescribeServicesAsync(clusterArn, names, cancellationToken), clusterArn).ConfigureAwait(false);
            foreach (var named in request.Services.Where(n => described.Found.All(s => s.Name != AwsArn.LastSegment(n))))
            {
                throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.ServiceNotFound,
                    $"Service '{AwsArn.LastSegment(named)}' does not exist in cluster '{AwsArn.LastSegment(clusterArn)}'.", named));
            }

            foreach (var service in described.Found.Where(s => s.Status == "ACTIVE"))
            {
                if (service.LoadBalancers.Any(lb => lb.TargetGroupArn == group.Arn))
                {
                    found.Add(new ServiceReference(AwsArn.LastSegment(service.ClusterArn), service.Name));
                }
                else if (request.Services.Count > 0)
                {
                    throw new DeployOpsException(new DeployOpsError(ErrorIds.ServiceNotUsingTargetGroup, DeployOpsErrorKind.InvalidArgument,
                        $"Service '{service.Name}' does not use target group '{group.Name}'; redeploying it would not apply the new health check.", service.Name));
                }
            }
        }

        if (found.Count == 0)
        {
            _observer.Warning($"No ECS service uses target group {group.Name}; nothing to redeploy.");
        }

        return found;
    }
}

/// <summary>What ELB accepts as a health-check path.</summary>
public static class HealthCheckPaths
{
    /// <summary>Throws <see cref="DeployOpsException"/> (InvalidHealthCheckPath) naming the value when it is not a path ELB accepts.</summary>
    public static void Validate(string? path)
    {
        var text = path ?? "";
        if (!text.StartsWith("/", StringComparison.Ordinal) || text.Length > 1024 || text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidHealthCheckPath, DeployOpsErrorKind.InvalidArgument,
                $"'{text}' is not a health-check path; expected a path of up to 1024 characters that starts with / and has no spaces, e.g. /api/v1/health/health/.", text));
        }
    }
}
