using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Deployments;
using DeployOps.Endpoints;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Networking;
using DeployOps.Operations;
using DeployOps.Verification;

namespace DeployOps.Health;

/// <summary>
/// Runbook 000 steps 1 and 2 (<c>deployment-health-check.sh</c>): reads each service through the fact readers and hands
/// the facts to <see cref="HealthClassifier"/>. Every service costs one share of a batched DescribeServices and one
/// DescribeTargetHealth per target group; stopped tasks, logs, security groups and task definitions are read only for
/// services whose first facts point there. What cannot be read about one service is a gap on its report alone.
/// </summary>
public sealed class DeploymentHealthInspector
{
    private readonly AwsFacts _facts;

    public DeploymentHealthInspector(AwsFacts facts)
    {
        _facts = facts;
    }

    public DeploymentHealthInspector(AwsSession session, IOperationObserver observer)
        : this(new AwsFacts(session, observer))
    {
    }

    /// <summary>
    /// One outcome per requested service (every service of the cluster when none is named): a report, or the error that
    /// service met (ServiceNotFound). A cluster that cannot be listed is the one outcome (ClusterNotFound, Throttled...).
    /// Throws only when nothing can work (the endpoint cannot be reached).
    /// </summary>
    public async Task<IReadOnlyList<ItemOutcome<DeploymentHealthReport>>> InspectAsync(HealthInspectionRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Cluster))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.MissingCluster, DeployOpsErrorKind.InvalidArgument,
                $"No cluster to inspect (the cluster name is '{request.Cluster}'): give -Cluster, or -Environment with a settings file that names one.", request.Cluster));
        }

        request.Validate();
        var cluster = AwsArn.LastSegment(request.Cluster);

        // Both reads are awaited together, so neither is abandoned when the other fails first.
        var servicesRead = ReadServicesAsync(request, cancellationToken);
        var identity = _facts.Identity.ReadAsync(cancellationToken);
        try
        {
            await Task.WhenAll(servicesRead, identity).ConfigureAwait(false);
        }
        catch (AwsCallException ex)
        {
            // Not one service's failure: the endpoint cannot be reached, or does not answer as AWS does.
            throw new DeployOpsException(ErrorTranslator.Translate(ex, cluster));
        }

        if (servicesRead.Result.ClusterError is { } clusterError)
        {
            return new[] { ItemOutcome<DeploymentHealthReport>.Failure(clusterError) };
        }

        var lookups = servicesRead.Result.Lookups;
        var live = lookups.Where(l => l.Service.IsRead).Select(l => l.Service.Value).ToList();
        var groups = await _facts.TargetGroups.ReadAsync(live.SelectMany(TargetGroupArns).ToList(), cancellationToken).ConfigureAwait(false);
        var facts = live.Select(service => ServiceFacts.From(cluster, service, TargetGroupArns(service).Select(arn => groups[arn]).ToList(), request.ExpectationFor(service.Name))).ToList();
        foreach (var fact in facts)
        {
            fact.Identity = identity.Result.ValueOr(null);
            fact.IdentityProblem = identity.Result.Gap?.Why;
        }

        await new LoadBalancers.LoadBalancerTriage(_facts).ApplyAsync(facts, groups, cancellationToken).ConfigureAwait(false);
        await ReadStoppedTasksAsync(request.Cluster, facts.Where(f => f.SuggestsFailingTasks).ToList(), cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(facts.Select(f => CompleteFactsAsync(f, cancellationToken))).ConfigureAwait(false);

        var reports = facts.ToDictionary(f => f.Service.Name, f => Report(f, request), StringComparer.Ordinal);
        return lookups.Select(lookup => Outcome(lookup, cluster, reports)).ToArray();
    }

    private sealed record ServicesRead(IReadOnlyList<ServiceLookup> Lookups, DeployOpsError? ClusterError);

    /// <summary>The requested services (or every service of the cluster); a cluster that cannot be listed is its own error.</summary>
    private async Task<ServicesRead> ReadServicesAsync(HealthInspectionRequest request, CancellationToken cancellationToken)
    {
        var cluster = AwsArn.LastSegment(request.Cluster);
        IReadOnlyList<string> names;
        try
        {
            names = request.Services.Count > 0 ? request.Services : await _facts.Services.ListNamesAsync(request.Cluster, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex)
        {
            return new ServicesRead(Array.Empty<ServiceLookup>(), ErrorTranslator.Translate(ex, cluster));
        }
        catch (DeployOpsException ex) when (ex.Error.ErrorId == ErrorIds.ClusterNotFound)
        {
            return new ServicesRead(Array.Empty<ServiceLookup>(), ex.Error);
        }

        if (names.Count == 0)
        {
            return new ServicesRead(Array.Empty<ServiceLookup>(), ErrorTranslator.NotFound(ErrorIds.NoServicesFound, $"Cluster '{cluster}' has no services.", cluster));
        }

        _facts.Observer.Verbose($"Describing {names.Count} service(s) in {cluster}.");
        try
        {
            return new ServicesRead(await _facts.Services.DescribeAsync(request.Cluster, names, cancellationToken).ConfigureAwait(false), null);
        }
        catch (DeployOpsException ex) when (ex.Error.ErrorId == ErrorIds.ClusterNotFound)
        {
            return new ServicesRead(Array.Empty<ServiceLookup>(), ex.Error);
        }
    }

    private static IEnumerable<string> TargetGroupArns(EcsService service) =>
        service.LoadBalancers.Select(lb => lb.TargetGroupArn).Where(arn => arn is not null).Select(arn => arn!).Distinct(StringComparer.Ordinal);

    private ItemOutcome<DeploymentHealthReport> Outcome(ServiceLookup lookup, string cluster, IReadOnlyDictionary<string, DeploymentHealthReport> reports)
    {
        if (lookup.Service.IsRead)
        {
            return ItemOutcome<DeploymentHealthReport>.Success(reports[lookup.Service.Value.Name]);
        }

        return lookup.Service.Absent
            ? ItemOutcome<DeploymentHealthReport>.Failure(lookup.NotFoundError(cluster))
            : ItemOutcome<DeploymentHealthReport>.Success(Unread(lookup, cluster));
    }

    /// <summary>The report of a service whose description could not be read: nothing is known but the gap.</summary>
    private DeploymentHealthReport Unread(ServiceLookup lookup, string cluster) => new()
    {
        Cluster = cluster,
        Service = lookup.Name,
        Status = nameof(HealthStatus.Unknown),
        Category = nameof(RootCauseCategory.None),
        Complete = false,
        Evidence = new[] { new HealthEvidence(EvidenceSource.NotRead, lookup.Name, lookup.Service.Gap!.ToString()) }.ToPrintableList(),
        RecommendedAction = "The service could not be read: run Get-DeploymentHealth again, or allow more attempts with AWS_MAX_ATTEMPTS.",
        CheckedAt = DateTimeOffset.UtcNow,
        Region = _facts.Session.Region.Name,
        EndpointUrl = _facts.Session.EndpointUrl,
        ProfileName = _facts.Session.ProfileName,
    };

    // ------------------------------------------------------------------ second round: only where the first points

    private async Task ReadStoppedTasksAsync(string cluster, IReadOnlyList<ServiceFacts> facts, CancellationToken cancellationToken)
    {
        if (facts.Count == 0)
        {
            return;
        }

        var stopped = await _facts.Tasks.StoppedOfServicesAsync(cluster, facts.Select(f => f.Service).ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var fact in facts)
        {
            fact.Absorb(stopped[fact.Service.Name], tasks => fact.StoppedTasks = tasks);
        }
    }

    private async Task CompleteFactsAsync(ServiceFacts facts, CancellationToken cancellationToken)
    {
        var work = new List<Task>();
        if (facts.FailureStops.FirstOrDefault(t => t.FailingContainer?.ExitCode is not null) is { } crashed)
        {
            work.Add(Absorb(facts, _facts.Logs.ExplainingLineAsync(crashed, cancellationToken), line => facts.ApplicationLog = line));
        }

        if (facts.SuggestsNetworkPath)
        {
            work.Add(ReadNetworkPathAsync(facts, cancellationToken));
        }

        if (CircuitBreakerRollback.Detect(facts.Service) is { } rollback)
        {
            work.Add(ReadRollbackAsync(facts, rollback, cancellationToken));
        }

        if (facts.SuggestsMissingTargets && facts.Primary?.TaskDefinition is { } taskDefinition)
        {
            work.Add(Absorb(facts, _facts.TaskDefinitions.ReadAsync(taskDefinition, cancellationToken),
                definition => facts.PortMappingFinding = PortMappings.Mismatch(facts.Service, definition)));
        }

        if (facts.Expectation.HealthUrl is { } url)
        {
            work.Add(TestEndpointAsync(facts, url, cancellationToken));
        }

        if (facts.SuggestsStartupCheck)
        {
            work.Add(CheckStartupsAsync(facts, cancellationToken));
        }

        await Task.WhenAll(work).ConfigureAwait(false);
    }

    private static async Task Absorb<T>(ServiceFacts facts, Task<Fact<T>> read, Action<T> keep) => facts.Absorb(await read.ConfigureAwait(false), keep);

    /// <summary>
    /// The tasks' network path (Test-EcsNetworkPath's analysis): its failing hops become evidence, and the load balancer
    /// hop's missing security group rules the findings category C has always named. What it could not read are gaps.
    /// </summary>
    private async Task ReadNetworkPathAsync(ServiceFacts facts, CancellationToken cancellationToken)
    {
        var path = await new NetworkPathInspector(_facts).ReadAsync(facts.Cluster, facts.Service, null, cancellationToken).ConfigureAwait(false);
        var hops = NetworkPathAnalysis.Analyze(path);
        facts.NetworkPath = hops;
        facts.NetworkFindings = hops.Where(h => h.KindValue == HopKind.LoadBalancerToTask && h.OutcomeKind == HopOutcome.Fail)
            .SelectMany(h => h.Evidence).Where(e => e.StartsWith("Security group ", StringComparison.Ordinal)).ToList();
        foreach (var gap in path.Network.Gaps.Concat(path.TargetGroups.SelectMany(g => g.Gaps)).Append(path.LoadBalancers.Gap).Where(g => g is not null).Distinct())
        {
            facts.AddGap(gap!);
        }
    }

    /// <summary>The circuit breaker rolled back: which revision failed and why, from the failed deployment's stopped tasks.</summary>
    private async Task ReadRollbackAsync(ServiceFacts facts, CircuitBreakerRollback rollback, CancellationToken cancellationToken)
    {
        var stopped = await _facts.Tasks.StoppedOfDeploymentAsync(facts.Cluster, rollback.FailedDeploymentId, cancellationToken).ConfigureAwait(false);
        var failing = stopped.ValueOr(Array.Empty<EcsTask>())!.Where(t => t.StoppedByApplicationFailure).OrderByDescending(t => t.StopTime).FirstOrDefault();
        var why = failing is null ? null : failing.FailingContainer is { ExitCode: { } code and not 0 } container
            ? $"{failing.StoppedReason} (container {container.Name} exit code {code})"
            : failing.FailingContainer?.Reason ?? failing.StoppedReason;
        facts.Rollback = new RollbackFinding(rollback, failing?.TaskDefinitionArn ?? stopped.ValueOr(Array.Empty<EcsTask>())!.FirstOrDefault()?.TaskDefinitionArn, why);
        if (stopped.Gap is { } gap)
        {
            facts.AddGap(gap);
        }
    }

    private async Task TestEndpointAsync(ServiceFacts facts, string url, CancellationToken cancellationToken)
    {
        try
        {
            facts.Endpoint = await new EndpointTester(_facts.Observer).TestAsync(new EndpointTestRequest { Url = url }, cancellationToken).ConfigureAwait(false);
        }
        catch (DeployOpsException ex)
        {
            facts.AddGap(new Gap("the health endpoint", ex.Message));
        }
    }

    /// <summary>The running tasks' startup phases (Test-StartupSequence's check), given the grace the service itself gives its tasks.</summary>
    private async Task CheckStartupsAsync(ServiceFacts facts, CancellationToken cancellationToken)
    {
        var tasks = await _facts.Tasks.ListedAsync(facts.Cluster, facts.Service.Name, cancellationToken).ConfigureAwait(false);
        if (!tasks.IsRead)
        {
            facts.Absorb(tasks, _ => { });
            return;
        }

        var running = tasks.Value.Where(t => t.DesiredStatus == "RUNNING" && t.LastStatus == "RUNNING").ToList();
        var grace = TimeSpan.FromSeconds(facts.Service.HealthCheckGracePeriodSeconds ?? 0);
        try
        {
            facts.Startups = await new StartupSequenceChecker(_facts).CheckTasksAsync(facts.Cluster, running, facts.Expectation.StartupPhases, null,
                grace > StartupSequenceRequest.DefaultTimeout ? grace : StartupSequenceRequest.DefaultTimeout, null, cancellationToken).ConfigureAwait(false);
        }
        catch (DeployOpsException ex)
        {
            facts.AddGap(new Gap($"the startup phases of {facts.Service.Name}'s tasks", ex.Error.Message));
        }
        catch (AwsCallException ex) when (ex is AwsServiceException or AwsOutcomeUnknownException)
        {
            facts.AddGap(new Gap($"the startup phases of {facts.Service.Name}'s tasks", _facts.Policy.Why(ex)));
        }
    }

    // ------------------------------------------------------------------ the report

    private DeploymentHealthReport Report(ServiceFacts facts, HealthInspectionRequest request)
    {
        var verdict = HealthClassifier.Classify(facts);
        var service = facts.Service;
        var redact = _facts.Redactor;
        return new DeploymentHealthReport
        {
            Cluster = facts.Cluster,
            Service = service.Name,
            Environment = request.Environment,
            Status = verdict.Status.ToString(),
            Complete = facts.Complete,
            Category = verdict.Category.ToString(),
            SubCause = verdict.SubCause?.ToString(),
            Evidence = verdict.Evidence.Select(e => e.Redacted(redact)).ToPrintableList(),
            RecommendedAction = redact.Redact(verdict.RecommendedAction),
            Checks = verdict.Checks.Select(c => c.Redacted(redact)).ToPrintableList(),
            TargetGroups = facts.TargetGroups.Select(g => g with { HealthCheckPath = redact.Redact(g.HealthCheckPath) }).ToPrintableList(),
            TargetGroupArn = TargetGroupArns(service).ToPrintableList(),
            Deployments = service.Deployments.Select(d => new DeploymentInfo
            {
                Id = d.Id,
                Status = d.Status,
                TaskDefinition = d.TaskDefinition ?? "",
                RolloutState = d.RolloutState,
                RolloutStateReason = redact.RedactOptional(d.RolloutStateReason),
                DesiredCount = d.DesiredCount,
                RunningCount = d.RunningCount,
                PendingCount = d.PendingCount,
                FailedTasks = d.FailedTasks,
                CreatedAt = d.CreatedAt,
                UpdatedAt = d.UpdatedAt,
            }).ToPrintableList(),
            TaskDefinition = facts.Primary?.TaskDefinition ?? service.TaskDefinition,
            RunningCount = service.RunningCount,
            DesiredCount = service.DesiredCount,
            PendingCount = service.PendingCount,
            RecentEvents = service.Events.Take(request.MaxEvents)
                .Select(e => new ServiceEventInfo { CreatedAt = e.CreatedAt ?? DateTimeOffset.MinValue, Message = redact.Redact(e.Message) }).ToPrintableList(),
            StoppedTasks = facts.StoppedTasks.Select(task => StoppedTaskInfo.From(task, redact)).ToPrintableList(),
            CheckedAt = DateTimeOffset.UtcNow,
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
    }
}
