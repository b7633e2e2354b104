using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.ElasticLoadBalancing;
using DeployOps.Endpoints;
using DeployOps.Errors;
using DeployOps.Operations;

namespace DeployOps.Health;

/// <summary>
/// Runbook 000 steps 1 and 2 (<c>deployment-health-check.sh</c>): reads what AWS says about each
/// service and hands the facts to <see cref="HealthClassifier"/>. Every service costs one share of a
/// batched DescribeServices and one DescribeTargetHealth per target group; stopped tasks, logs,
/// security groups and task definitions are read only for services whose first facts point there.
/// </summary>
public sealed class DeploymentHealthInspector
{
    private readonly AwsSession _session;
    private readonly IOperationObserver _observer;
    private readonly ConcurrentDictionary<string, Task<EcsTaskDefinition>> _taskDefinitions = new(StringComparer.Ordinal);

    public DeploymentHealthInspector(AwsSession session, IOperationObserver observer)
    {
        _session = session;
        _observer = observer;
    }

    /// <summary>
    /// One outcome per service: a report, or the error that service met (not found...). Throws
    /// <see cref="DeployOpsException"/> only when nothing can work (the endpoint cannot be reached).
    /// </summary>
    public async Task<IReadOnlyList<ItemOutcome<DeploymentHealthReport>>> InspectAsync(HealthInspectionRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Cluster))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.MissingCluster, DeployOpsErrorKind.InvalidArgument,
                $"No cluster to inspect (the cluster name is '{request.Cluster}'): give -Cluster, or -Environment with a settings file that names one."));
        }

        request.Validate();
        var cluster = AwsArn.LastSegment(request.Cluster);
        var identity = ReadIdentityAsync(cancellationToken);
        return await Translated(async () =>
        {
            var names = request.Services.Count > 0 ? request.Services : await ListServicesAsync(request.Cluster, cancellationToken).ConfigureAwait(false);
            if (names.Count == 0)
            {
                return new[] { ItemOutcome<DeploymentHealthReport>.Failure(ErrorTranslator.NotFound(ErrorIds.NoServicesFound, $"Cluster '{cluster}' has no services.", cluster)) };
            }

            _observer.Verbose($"Describing {names.Count} service(s) in {cluster}.");
            var described = await _session.Ecs.DescribeServicesAsync(request.Cluster, names, cancellationToken).ConfigureAwait(false);
            var services = described.Found.Where(s => s.Status == "ACTIVE" || s.Status == "DRAINING").ToList();
            var targetGroups = await ReadTargetGroupsAsync(services, cancellationToken).ConfigureAwait(false);
            var (who, identityProblem) = await identity.ConfigureAwait(false);

            var facts = services.Select(service => new ServiceFacts(
                cluster,
                service,
                service.LoadBalancers.Select(lb => lb.TargetGroupArn).Where(arn => arn is not null).Distinct()
                    .Select(arn => targetGroups.TryGetValue(arn!, out var group) ? group : null).Where(g => g is not null).Select(g => g!).ToList(),
                request.ExpectationFor(service.Name))
            {
                Identity = who,
                IdentityProblem = identityProblem,
            }).ToList();
            await ReadStoppedTasksAsync(request.Cluster, facts.Where(f => f.SuggestsFailingTasks).ToList(), cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(facts.Select(f => CompleteFactsAsync(f, cancellationToken))).ConfigureAwait(false);

            var reports = facts.ToDictionary(f => f.Service.Name, f => Report(f, request), StringComparer.Ordinal);
            return names.Select(name => Outcome(name, cluster, reports, described)).ToArray();
        }, cluster).ConfigureAwait(false);
    }

    /// <summary>Runs the first round; a not-found cluster is the one outcome, anything else that stops all work is thrown.</summary>
    private static async Task<IReadOnlyList<ItemOutcome<DeploymentHealthReport>>> Translated(
        Func<Task<ItemOutcome<DeploymentHealthReport>[]>> inspect, string cluster)
    {
        try
        {
            return await inspect().ConfigureAwait(false);
        }
        catch (AwsServiceException ex)
        {
            return new[] { ItemOutcome<DeploymentHealthReport>.Failure(ErrorTranslator.Translate(ex, cluster)) };
        }
        catch (AwsCallException ex)
        {
            throw new DeployOpsException(ErrorTranslator.Translate(ex, cluster));
        }
    }

    private static ItemOutcome<DeploymentHealthReport> Outcome(string requested, string cluster, Dictionary<string, DeploymentHealthReport> reports,
        EcsDescribeResult<EcsService> described)
    {
        var name = AwsArn.LastSegment(requested);
        if (reports.TryGetValue(name, out var report))
        {
            return ItemOutcome<DeploymentHealthReport>.Success(report);
        }

        var inactive = described.Found.FirstOrDefault(s => s.Name == name);
        var why = inactive is not null ? $"is {inactive.Status}" : "does not exist";
        return ItemOutcome<DeploymentHealthReport>.Failure(ErrorTranslator.NotFound(ErrorIds.ServiceNotFound,
            $"Service '{name}' {why} in cluster '{cluster}'. List the cluster's services with: aws ecs list-services --cluster '{cluster}'", name));
    }

    // ------------------------------------------------------------------ first round

    private async Task<IReadOnlyList<string>> ListServicesAsync(string cluster, CancellationToken cancellationToken)
    {
        var arns = await _session.Ecs.ListServicesAsync(cluster, cancellationToken).ConfigureAwait(false);
        return arns.Select(AwsArn.LastSegment).ToList();
    }

    private async Task<(string? Identity, string? Problem)> ReadIdentityAsync(CancellationToken cancellationToken)
    {
        try
        {
            var identity = await _session.Sts.GetCallerIdentityAsync(cancellationToken).ConfigureAwait(false);
            return ($"account {identity.Account} as {identity.Arn}, credentials from {_session.CredentialSource}", null);
        }
        catch (AwsServiceException ex)
        {
            return (null, ex.ErrorMessage);
        }
    }

    /// <summary>Every target group of the services, with settings (one batched call) and health (one call each, concurrently).</summary>
    private async Task<Dictionary<string, TargetGroupHealth>> ReadTargetGroupsAsync(IReadOnlyList<EcsService> services, CancellationToken cancellationToken)
    {
        var arns = services.SelectMany(s => s.LoadBalancers).Select(lb => lb.TargetGroupArn).Where(a => a is not null).Select(a => a!).Distinct().ToList();
        if (arns.Count == 0)
        {
            return new Dictionary<string, TargetGroupHealth>();
        }

        var groups = await _session.LoadBalancing.DescribeTargetGroupsAsync(arns, cancellationToken).ConfigureAwait(false);
        var healths = await Task.WhenAll(groups.Select(g => _session.LoadBalancing.DescribeTargetHealthAsync(g.Arn, cancellationToken))).ConfigureAwait(false);
        return groups.Select((group, i) => ToHealth(group, healths[i])).ToDictionary(g => g.TargetGroupArn, StringComparer.Ordinal);
    }

    private static TargetGroupHealth ToHealth(ElbTargetGroup group, IReadOnlyList<ElbTargetHealth> targets)
    {
        var infos = targets.Select(t => new TargetHealthInfo
        {
            Id = t.TargetId,
            Port = t.Port ?? group.Port ?? 0,
            AvailabilityZone = t.AvailabilityZone,
            State = t.State,
            Reason = t.Reason,
            Description = t.Description,
        }).ToList();
        var check = group.HealthCheck;
        return new TargetGroupHealth
        {
            TargetGroupArn = group.Arn,
            TargetGroupName = group.Name,
            Protocol = group.Protocol ?? "",
            Port = group.Port ?? 0,
            HealthCheckProtocol = check.Protocol ?? "",
            HealthCheckPort = check.Port ?? "",
            HealthCheckPath = check.Path ?? "",
            Matcher = check.Matcher ?? "",
            IntervalSeconds = check.IntervalSeconds ?? 0,
            TimeoutSeconds = check.TimeoutSeconds ?? 0,
            HealthyThreshold = check.HealthyThresholdCount ?? 0,
            UnhealthyThreshold = check.UnhealthyThresholdCount ?? 0,
            LoadBalancerArns = group.LoadBalancerArns.ToPrintableList(),
            Targets = infos.ToPrintableList(),
            HealthyCount = infos.Count(t => t.State == "healthy"),
            UnhealthyCount = infos.Count(t => t.State == "unhealthy"),
        };
    }

    // ------------------------------------------------------------------ second round: only where the first points

    /// <summary>Stopped tasks of the services' current deployments: one ListTasks each, then one batched DescribeTasks.</summary>
    private async Task ReadStoppedTasksAsync(string cluster, IReadOnlyList<ServiceFacts> facts, CancellationToken cancellationToken)
    {
        if (facts.Count == 0)
        {
            return;
        }

        try
        {
            var lists = await Task.WhenAll(facts.Select(f => _session.Ecs.ListTasksAsync(
                new EcsListTasksRequest(cluster) { ServiceName = f.Service.Name, DesiredStatus = EcsDesiredStatus.Stopped }, cancellationToken))).ConfigureAwait(false);
            var described = await _session.Ecs.DescribeTasksAsync(cluster, lists.SelectMany(l => l).ToList(), cancellationToken).ConfigureAwait(false);
            foreach (var fact in facts)
            {
                var deployments = new HashSet<string>(fact.Service.Deployments.Select(d => d.Id), StringComparer.Ordinal);
                fact.StoppedTasks = described.Found
                    .Where(t => t.StartedBy is not null && deployments.Contains(t.StartedBy))
                    .OrderByDescending(t => t.StoppedAt ?? t.StoppingAt ?? DateTimeOffset.MinValue)
                    .Take(20)
                    .Select(ToStoppedTask)
                    .ToList();
            }
        }
        catch (AwsServiceException ex)
        {
            foreach (var fact in facts)
            {
                fact.Gaps.Add($"stopped tasks ({ex.ErrorCode})");
            }
        }
    }

    private static StoppedTaskInfo ToStoppedTask(EcsTask task)
    {
        var container = task.Containers.FirstOrDefault(c => c.ExitCode is not null and not 0 || c.Reason is not null) ?? task.Containers.FirstOrDefault();
        return new StoppedTaskInfo
        {
            TaskArn = task.Arn,
            TaskDefinition = task.TaskDefinitionArn ?? "",
            StartedBy = task.StartedBy,
            StopCode = task.StopCode,
            StoppedReason = task.StoppedReason,
            ContainerName = container?.Name,
            ExitCode = container?.ExitCode,
            ContainerReason = container?.Reason,
            StoppedAt = task.StoppedAt,
        };
    }

    private async Task CompleteFactsAsync(ServiceFacts facts, CancellationToken cancellationToken)
    {
        var work = new List<Task>();
        if (facts.FailureStops.FirstOrDefault(t => t.ExitCode is not null) is { } crashed)
        {
            work.Add(Gap(facts, "the application log", () => ReadApplicationLogAsync(facts, crashed, cancellationToken)));
        }

        if (facts.Service.RunningCount > 0 && facts.UnreachableTargets.Any())
        {
            work.Add(Gap(facts, "security groups", () => ReadNetworkFindingsAsync(facts, cancellationToken)));
        }

        if (facts.SuggestsMissingTargets)
        {
            work.Add(Gap(facts, "the task definition's port mappings", () => ReadPortMappingAsync(facts, cancellationToken)));
        }

        if (facts.Expectation.HealthUrl is { } url)
        {
            work.Add(TestEndpointAsync(facts, url, cancellationToken));
        }

        await Task.WhenAll(work).ConfigureAwait(false);
    }

    /// <summary>Runs a second-round read; if AWS refuses it, the report says what it lacks instead of failing.</summary>
    private async Task Gap(ServiceFacts facts, string what, Func<Task> read)
    {
        try
        {
            await read().ConfigureAwait(false);
        }
        catch (AwsServiceException ex)
        {
            _observer.Verbose($"{facts.Service.Name}: could not read {what}: {ex.ErrorCode}");
            lock (facts.Gaps)
            {
                facts.Gaps.Add($"{what} ({ex.ErrorCode})");
            }
        }
    }

    private Task<EcsTaskDefinition> TaskDefinitionAsync(string arn, CancellationToken cancellationToken) =>
        _taskDefinitions.GetOrAdd(arn, a => _session.Ecs.DescribeTaskDefinitionAsync(a, cancellationToken));

    /// <summary>The line in the crashed task's awslogs stream that explains the crash.</summary>
    private async Task ReadApplicationLogAsync(ServiceFacts facts, StoppedTaskInfo task, CancellationToken cancellationToken)
    {
        var definition = await TaskDefinitionAsync(task.TaskDefinition, cancellationToken).ConfigureAwait(false);
        var container = definition.ContainerDefinitions.FirstOrDefault(c => c.Name == task.ContainerName) ?? definition.ContainerDefinitions.FirstOrDefault();
        var options = container?.LogConfiguration is { LogDriver: "awslogs" } log ? log.Options : null;
        if (options is null || !options.TryGetValue("awslogs-group", out var group))
        {
            return;
        }

        options.TryGetValue("awslogs-stream-prefix", out var prefix);
        var stream = $"{prefix}/{container!.Name}/{AwsArn.LastSegment(task.TaskArn)}";
        var events = await _session.Logs.GetLogEventsAsync(group, stream, false, 100, cancellationToken).ConfigureAwait(false);
        if (LogLines.Explaining(events.Select(e => e.Message).ToList()) is { } line)
        {
            facts.ApplicationLog = new LogFinding(group, stream, line);
        }
    }

    /// <summary>Do the tasks' security groups let the load balancer in on the target port (and does the load balancer's let it out)?</summary>
    private async Task ReadNetworkFindingsAsync(ServiceFacts facts, CancellationToken cancellationToken)
    {
        var taskGroups = facts.Service.NetworkConfiguration?.SecurityGroups ?? Array.Empty<string>();
        var balancerArns = facts.TargetGroups.SelectMany(g => g.LoadBalancerArns).Distinct().ToList();
        if (taskGroups.Count == 0 || balancerArns.Count == 0)
        {
            return;
        }

        var balancers = await _session.LoadBalancing.DescribeLoadBalancersAsync(balancerArns, cancellationToken).ConfigureAwait(false);
        var balancerGroups = balancers.SelectMany(b => b.SecurityGroups).Distinct().ToList();
        var taskSubnets = facts.Service.NetworkConfiguration?.Subnets ?? Array.Empty<string>();
        var groupsRead = _session.Ec2.DescribeSecurityGroupsAsync(taskGroups.Concat(balancerGroups).Distinct().ToList(), cancellationToken);
        var subnetsRead = _session.Ec2.DescribeSubnetsAsync(balancers.SelectMany(b => b.SubnetIds).Concat(taskSubnets).Distinct().ToList(), cancellationToken);
        var groups = await groupsRead.ConfigureAwait(false);
        var cidrs = (await subnetsRead.ConfigureAwait(false)).Where(s => s.CidrBlock is not null).ToDictionary(s => s.Id, s => s.CidrBlock!, StringComparer.Ordinal);
        var port = facts.UnreachableTargets.First().Port;
        var source = new NetworkSide("the load balancer", balancerGroups, balancers.SelectMany(b => b.SubnetIds).Where(cidrs.ContainsKey).Select(id => cidrs[id]).ToList());
        var destination = new NetworkSide("the service's tasks", taskGroups, taskSubnets.Where(cidrs.ContainsKey).Select(id => cidrs[id]).ToList());
        facts.NetworkFindings = SecurityGroupPath.Explain(groups, source, destination, port);
    }

    /// <summary>Does the service's load balancer mapping name a container port the task definition exposes?</summary>
    private async Task ReadPortMappingAsync(ServiceFacts facts, CancellationToken cancellationToken)
    {
        if (facts.Primary?.TaskDefinition is not { } arn)
        {
            return;
        }

        var definition = await TaskDefinitionAsync(arn, cancellationToken).ConfigureAwait(false);
        foreach (var mapping in facts.Service.LoadBalancers)
        {
            var container = definition.ContainerDefinitions.FirstOrDefault(c => c.Name == mapping.ContainerName);
            var exposed = container?.PortMappings.Select(p => p.ContainerPort).Where(p => p is not null).Select(p => p!.Value).ToList() ?? new List<int>();
            if (container is null || !exposed.Contains(mapping.ContainerPort ?? 0))
            {
                var actual = container is null
                    ? $"has no container named '{mapping.ContainerName}' (containers: {string.Join(", ", definition.ContainerDefinitions.Select(c => c.Name))})"
                    : $"exposes {mapping.ContainerName}:{(exposed.Count == 0 ? "no port" : string.Join(", ", exposed))}";
                facts.PortMappingFinding = $"The service maps container '{mapping.ContainerName}' port {mapping.ContainerPort} to its target group, " +
                                           $"but task definition {definition.Family}:{definition.Revision} {actual}";
                return;
            }
        }
    }

    private async Task TestEndpointAsync(ServiceFacts facts, string url, CancellationToken cancellationToken)
    {
        try
        {
            facts.Endpoint = await new EndpointTester(_observer).TestAsync(new EndpointTestRequest { Url = url }, cancellationToken).ConfigureAwait(false);
        }
        catch (DeployOpsException ex)
        {
            lock (facts.Gaps)
            {
                facts.Gaps.Add($"the health endpoint ({ex.Message})");
            }
        }
    }

    // ------------------------------------------------------------------ the report

    private DeploymentHealthReport Report(ServiceFacts facts, HealthInspectionRequest request)
    {
        var verdict = HealthClassifier.Classify(facts);
        var service = facts.Service;
        return new DeploymentHealthReport
        {
            Cluster = facts.Cluster,
            Service = service.Name,
            Environment = request.Environment,
            Status = verdict.Status.ToString(),
            Category = verdict.Category.ToString(),
            Evidence = verdict.Evidence.ToPrintableList(),
            RecommendedAction = verdict.RecommendedAction,
            Checks = verdict.Checks.ToPrintableList(),
            TargetGroups = facts.TargetGroups.ToPrintableList(),
            TargetGroupArn = facts.TargetGroups.Select(g => g.TargetGroupArn).ToPrintableList(),
            Deployments = service.Deployments.Select(d => new DeploymentInfo
            {
                Id = d.Id,
                Status = d.Status,
                TaskDefinition = d.TaskDefinition ?? "",
                RolloutState = d.RolloutState,
                RolloutStateReason = d.RolloutStateReason,
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
                .Select(e => new ServiceEventInfo { CreatedAt = e.CreatedAt ?? DateTimeOffset.MinValue, Message = e.Message }).ToPrintableList(),
            StoppedTasks = facts.StoppedTasks.ToPrintableList(),
            CheckedAt = DateTimeOffset.UtcNow,
            Region = _session.Region.Name,
            EndpointUrl = _session.EndpointUrl,
            ProfileName = _session.ProfileName,
        };
    }

}

/// <summary>Picks the log line that explains why an application stopped.</summary>
public static class LogLines
{
    // The runbook's known startup errors (SOP step 3B), then any exception line, then any error line.
    private static readonly Regex[] Patterns =
    {
        new(@"ImproperlyConfigured|FATAL: database connection failed|ModuleNotFoundError|already in use|OutOfMemory|MemoryError", RegexOptions.Compiled),
        new(@"\b[\w.]*(Error|Exception)\b:", RegexOptions.Compiled),
        new(@"\b(ERROR|FATAL|CRITICAL)\b", RegexOptions.Compiled),
    };

    /// <summary>The last line matching the most specific pattern, or null.</summary>
    public static string? Explaining(IReadOnlyList<string> lines)
    {
        foreach (var pattern in Patterns)
        {
            var match = lines.LastOrDefault(l => pattern.IsMatch(l));
            if (match is not null)
            {
                return match.Trim();
            }
        }

        return null;
    }
}
