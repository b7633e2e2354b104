using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.ElasticLoadBalancing;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Health;
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

    /// <summary>Services to redeploy; none means every service (of <see cref="Cluster"/>, or of every cluster) that uses the group.</summary>
    public IReadOnlyList<string> Services { get; init; } = Array.Empty<string>();

    /// <summary>Wait for the deployments (the redeployments, else the named services' current ones) and report health after; null: do not wait.</summary>
    public DeploymentWaitSettings? Wait { get; init; }
}

/// <summary>What a repair would do, for ShouldProcess to show before anything changes.</summary>
public sealed class HealthCheckRepairPlan : TargetGroupHealthCheckDifference, IChangePlan
{
    /// <summary>False when the group already has the asked-for path and matcher.</summary>
    public bool NeedsChange => Differs;

    public IReadOnlyList<RedeployPlan> ServicesToRedeploy { get; init; } = Array.Empty<RedeployPlan>();

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
/// Runbook 000 step 3A: set a target group's health-check path and matcher, force new deployments of the services that
/// use it, wait for them and report their health. Planned first (read only) so the cmdlet can ask; applying writes, in
/// order, the change, each redeployment's error, each wait's result and the health reports after.
/// </summary>
public sealed class HealthCheckRepairer
{
    private static readonly Regex TargetGroupArnPattern =
        new(@"^arn:aws(-[a-z]+)*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]+$", RegexOptions.Compiled);

    private static readonly Regex MatcherPattern = new(@"^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$", RegexOptions.Compiled);

    private readonly AwsFacts _facts;
    private readonly ServiceRedeployer _redeployer;

    public HealthCheckRepairer(AwsFacts facts)
    {
        _facts = facts;
        _redeployer = new ServiceRedeployer(facts);
    }

    public HealthCheckRepairer(AwsSession session, IOperationObserver observer)
        : this(new AwsFacts(session, observer))
    {
    }

    /// <summary>Validates the request and reads the group; throws <see cref="DeployOpsException"/> for a bad value or a missing resource.</summary>
    public async Task<HealthCheckRepairPlan> PlanAsync(HealthCheckRepairRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var groups = await ServiceRedeployer.Translated(() => _facts.Session.LoadBalancing.DescribeTargetGroupsAsync(new[] { request.TargetGroupArn }, cancellationToken),
            request.TargetGroupArn).ConfigureAwait(false);
        var group = groups.FirstOrDefault() ?? throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.TargetGroupNotFound,
            $"Target group '{request.TargetGroupArn}' does not exist in '{_facts.Session.Region.Name}'.", request.TargetGroupArn));
        var services = request.Redeploy ? await ServicesUsingAsync(group, request, cancellationToken).ConfigureAwait(false) : Array.Empty<RedeployPlan>();
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
    /// Changes the group (when needed) and, with -Redeploy, forces a new deployment of each planned service; with a wait,
    /// waits for those deployments and inspects the services again. A service that cannot be redeployed does not undo the
    /// rest: its error follows the change. Returns everything to write, in order.
    /// </summary>
    public async Task<IReadOnlyList<ItemOutcome<object>>> ApplyAsync(HealthCheckRepairPlan plan, HealthCheckRepairRequest request, CancellationToken cancellationToken)
    {
        if (plan.NeedsChange)
        {
            _facts.Observer.Verbose($"{plan.ShouldProcessTarget}: {plan.ShouldProcessAction}.");
            await ChangeHealthCheckAsync(plan, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _facts.Observer.Verbose($"{plan.ShouldProcessTarget} already checks {plan.NewHealthCheckPath} with matcher {plan.NewMatcher}; nothing to change.");
        }

        var started = new List<EcsDeploymentStart>();
        var errors = new List<DeployOpsError>();
        foreach (var service in request.Redeploy ? plan.ServicesToRedeploy : Array.Empty<RedeployPlan>())
        {
            try
            {
                started.Add(await _redeployer.ApplyAsync(service, cancellationToken).ConfigureAwait(false));
            }
            catch (DeployOpsException ex)
            {
                errors.Add(ex.Error);
            }
        }

        var outcomes = new List<ItemOutcome<object>>
        {
            ItemOutcome<object>.Success(new TargetGroupHealthCheckChange(plan)
            {
                Changed = plan.NeedsChange,
                Redeployments = started.ToPrintableList(),
                ChangedAt = DateTimeOffset.UtcNow,
            }),
        };
        outcomes.AddRange(errors.Select(ItemOutcome<object>.Failure));
        if (request.Wait is { } wait)
        {
            outcomes.AddRange(await WaitAndInspectAsync(plan, request, started, wait, cancellationToken).ConfigureAwait(false));
        }

        return outcomes;
    }

    /// <summary>
    /// ModifyTargetGroup. When its answer is lost past the retries (the change may well have been applied), the group is
    /// read back: a group that already checks the new path and matcher is changed, not failed; anything else is the error.
    /// </summary>
    private async Task ChangeHealthCheckAsync(HealthCheckRepairPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            await ServiceRedeployer.Translated(() => _facts.Session.LoadBalancing.ModifyTargetGroupAsync(plan.TargetGroupArn,
                new ElbHealthCheck { Path = plan.NewHealthCheckPath, Matcher = plan.NewMatcher }, cancellationToken), plan.TargetGroupArn).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A refusal reads back unchanged (the plan saw the old values), so only a lost answer can pass this.
            if (!await IsInPlaceAsync(plan, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }

            _facts.Observer.Verbose($"{plan.ShouldProcessTarget}: ModifyTargetGroup's answer was lost ({ex.Message}), but the group now checks " +
                                    $"{plan.NewHealthCheckPath} with matcher {plan.NewMatcher}: the change is in place.");
        }
    }

    /// <summary>True when the group reads back with the plan's path and matcher; false when it does not, or cannot be read.</summary>
    private async Task<bool> IsInPlaceAsync(HealthCheckRepairPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            var group = (await _facts.Session.LoadBalancing.DescribeTargetGroupsAsync(new[] { plan.TargetGroupArn }, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            return group is not null && group.HealthCheck.Path == plan.NewHealthCheckPath && group.HealthCheck.Matcher == plan.NewMatcher;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Runbook 000 step 3A's "wait, then report": waits for the deployments -Redeploy started (without -Redeploy, the
    /// named services' current ones), then inspects those services again with the new path as the expected one.
    /// </summary>
    private async Task<IReadOnlyList<ItemOutcome<object>>> WaitAndInspectAsync(
        HealthCheckRepairPlan plan, HealthCheckRepairRequest request, IReadOnlyList<EcsDeploymentStart> started, DeploymentWaitSettings wait, CancellationToken cancellationToken)
    {
        var waits = request.Redeploy
            ? started.Select(s => DeploymentWaitRequest.For(s, wait)).ToList()
            : request.Cluster is { Length: > 0 } named
                ? request.Services.Select(service => new DeploymentWaitRequest { Cluster = named, Service = service, Timeout = wait.Timeout }).ToList()
                : new List<DeploymentWaitRequest>();
        if (waits.Count == 0)
        {
            _facts.Observer.Warning($"-Wait: there is no deployment to wait for on {plan.TargetGroupName}; use -Redeploy, or name the services with -Cluster and -Service.");
            return Array.Empty<ItemOutcome<object>>();
        }

        var outcomes = new List<ItemOutcome<object>>();
        var waiter = new DeploymentWaiter(_facts, wait.Recorder);
        foreach (var one in waits)
        {
            outcomes.AddRange(await WaitOutcomesAsync(() => waiter.WaitAsync(one, cancellationToken)).ConfigureAwait(false));
        }

        var inspector = new DeploymentHealthInspector(_facts);
        foreach (var cluster in waits.GroupBy(w => w.Cluster, w => w.Service, StringComparer.Ordinal))
        {
            var inspection = new HealthInspectionRequest { Cluster = cluster.Key, Services = cluster.Distinct(StringComparer.Ordinal).ToArray(), ExpectedHealthCheckPath = request.HealthCheckPath };
            var reports = await inspector.InspectAsync(inspection, cancellationToken).ConfigureAwait(false);
            outcomes.AddRange(reports.Select(r => r.Value is { } report ? ItemOutcome<object>.Success(report) : ItemOutcome<object>.Failure(r.Error!)));
        }

        return outcomes;
    }

    /// <summary>One wait's outcomes, or its error when it could not wait at all (the service is gone).</summary>
    private static async Task<IReadOnlyList<ItemOutcome<object>>> WaitOutcomesAsync(Func<Task<DeploymentWaitResult>> wait)
    {
        try
        {
            return (await wait().ConfigureAwait(false)).Outcomes();
        }
        catch (DeployOpsException ex)
        {
            return new[] { ItemOutcome<object>.Failure(ex.Error) };
        }
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

    /// <summary>
    /// The services to redeploy: the named ones, or every service whose load balancers use the group, searched in the
    /// request's cluster or, without one, in every cluster. A named service is looked for in every cluster searched, and
    /// is ServiceNotFound only when none has it; one found that does not use the group is ServiceNotUsingTargetGroup.
    /// </summary>
    private async Task<IReadOnlyList<RedeployPlan>> ServicesUsingAsync(ElbTargetGroup group, HealthCheckRepairRequest request, CancellationToken cancellationToken)
    {
        var clusters = request.Cluster is { Length: > 0 } cluster
            ? new[] { cluster }
            : await ServiceRedeployer.Translated(() => _facts.Session.Ecs.ListClustersAsync(cancellationToken), "clusters").ConfigureAwait(false);
        var found = new List<EcsService>();
        foreach (var clusterArn in clusters)
        {
            var names = request.Services.Count > 0
                ? request.Services
                : await ServiceRedeployer.Translated(() => _facts.Services.ListNamesAsync(clusterArn, cancellationToken), AwsArn.LastSegment(clusterArn)).ConfigureAwait(false);
            if (names.Count > 0)
            {
                var described = await ServiceRedeployer.Translated(() => _facts.Services.DescribeAllAsync(clusterArn, names, cancellationToken), AwsArn.LastSegment(clusterArn))
                    .ConfigureAwait(false);
                found.AddRange(described.Found.Where(s => s.AcceptsDeployments));
            }
        }

        foreach (var named in request.Services.Select(AwsArn.LastSegment).Where(name => found.All(s => s.Name != name)))
        {
            throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.ServiceNotFound,
                $"Service '{named}' does not exist in {(clusters.Count == 1 ? $"cluster '{AwsArn.LastSegment(clusters[0])}'" : $"any of the clusters {string.Join(", ", clusters.Select(c => $"'{AwsArn.LastSegment(c)}'"))}")}.",
                named));
        }

        var users = found.Where(s => s.LoadBalancers.Any(lb => lb.TargetGroupArn == group.Arn)).ToList();
        if (request.Services.Count > 0 && found.Except(users).FirstOrDefault() is { } notUsing)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.ServiceNotUsingTargetGroup, DeployOpsErrorKind.InvalidArgument,
                $"Service '{notUsing.Name}' does not use target group '{group.Name}'; redeploying it would not apply the new health check.", notUsing.Name));
        }

        if (users.Count == 0)
        {
            _facts.Observer.Warning($"No ECS service uses target group {group.Name}; nothing to redeploy.");
        }

        return users.Select(s => new RedeployPlan(AwsArn.LastSegment(s.ClusterArn), s.Name) { PrimaryDeploymentId = s.Primary?.Id }).ToList();
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
