using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.TaskFailures;

/// <summary>
/// Get-EcsTaskFailure: why a service's tasks stopped (runbook 000 step 3B, runbook 004 "tasks failing to start" and "tasks
/// restarting"). It lists every task ECS still holds (one ListTasks per status, for the service or the whole cluster),
/// describes them in batches of 100, classifies each stopped one (<see cref="TaskFailureClassifier"/>), adds the service
/// events that say a task could not be placed, and groups them by cause. Each cause then reads what explains it, once per
/// cause and never per task: the example task's last log lines, the task definition, the memory metric, the target group,
/// the subnets.
/// </summary>
public sealed class TaskFailureAnalyzer
{
    private readonly AwsFacts _facts;

    public TaskFailureAnalyzer(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>
    /// One report per service (per requested task's service with <see cref="TaskFailureRequest.Tasks"/>), or the error an
    /// item met (ServiceNotFound, TaskNotFound); a cluster that cannot be listed is the one outcome. Throws for bad
    /// parameters and when nothing can work (the endpoint cannot be reached).
    /// </summary>
    public async Task<IReadOnlyList<ItemOutcome<EcsTaskFailureReport>>> AnalyzeAsync(TaskFailureRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Cluster))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.MissingCluster, DeployOpsErrorKind.InvalidArgument,
                $"No cluster to look at (the cluster name is '{request.Cluster}'): give -Cluster, or -Environment with a settings file that names one.", request.Cluster));
        }

        var window = request.Window(DateTimeOffset.UtcNow);
        var cluster = AwsArn.LastSegment(request.Cluster);
        try
        {
            return request.Tasks.Count > 0
                ? await ForTasksAsync(request, cluster, window, cancellationToken).ConfigureAwait(false)
                : await ForServicesAsync(request, cluster, window, cancellationToken).ConfigureAwait(false);
        }
        catch (DeployOpsException ex) when (ex.Error.ErrorId == ErrorIds.ClusterNotFound)
        {
            return new[] { ItemOutcome<EcsTaskFailureReport>.Failure(ex.Error) };
        }
        catch (AwsCallException ex)
        {
            throw new DeployOpsException(ErrorTranslator.Translate(ex, cluster));
        }
    }

    /// <summary>What one report is built from.</summary>
    private sealed record Scope(
        TaskFailureRequest Request,
        string Cluster,
        string Service,
        EcsService? EcsService,
        IReadOnlyList<EcsTask> Tasks,
        TimeWindow Window,
        bool WholeWindow)
    {
        public ConcurrentQueue<Gap> Gaps { get; } = new();
    }

    /// <summary>One stopped task, or one service event that says a task could not be placed.</summary>
    private sealed record Entry(TaskFailureClassification Classification, DateTimeOffset? At, EcsTask? Task);

    private async Task<IReadOnlyList<ItemOutcome<EcsTaskFailureReport>>> ForServicesAsync(TaskFailureRequest request, string cluster, TimeWindow window, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> names;
        try
        {
            names = request.Services.Count > 0 ? request.Services : await _facts.Services.ListNamesAsync(request.Cluster, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex)
        {
            return new[] { ItemOutcome<EcsTaskFailureReport>.Failure(ErrorTranslator.Translate(ex, cluster)) };
        }

        if (names.Count == 0)
        {
            return new[] { ItemOutcome<EcsTaskFailureReport>.Failure(ErrorTranslator.NotFound(ErrorIds.NoServicesFound, $"Cluster '{cluster}' has no services.", cluster)) };
        }

        var lookups = await _facts.Services.DescribeAsync(request.Cluster, names, cancellationToken).ConfigureAwait(false);
        var live = lookups.Where(l => l.Service.IsRead).Select(l => l.Service.Value).ToList();

        // The whole cluster: two ListTasks for every service at once; named services: two each.
        IReadOnlyDictionary<string, Fact<IReadOnlyList<EcsTask>>> tasks;
        if (request.Services.Count == 0)
        {
            var all = await _facts.Tasks.ListedAsync(request.Cluster, null, cancellationToken).ConfigureAwait(false);
            tasks = live.ToDictionary(s => s.Name, s => all.Select(list => (IReadOnlyList<EcsTask>)list.Where(t => ServiceOf(t) == s.Name).ToList()), StringComparer.Ordinal);
        }
        else
        {
            var read = await Task.WhenAll(live.Select(s => _facts.Tasks.ListedAsync(request.Cluster, s.Name, cancellationToken))).ConfigureAwait(false);
            tasks = live.Zip(read, (s, fact) => (s.Name, fact)).ToDictionary(x => x.Name, x => x.fact, StringComparer.Ordinal);
        }

        var reports = await Task.WhenAll(live.Select(service =>
        {
            var scope = new Scope(request, cluster, service.Name, service, tasks[service.Name].ValueOr(Array.Empty<EcsTask>())!, window, WholeWindow: true);
            if (tasks[service.Name].Gap is { } gap)
            {
                scope.Gaps.Enqueue(gap);
            }

            return ReportAsync(scope, cancellationToken);
        })).ConfigureAwait(false);
        var byName = reports.ToDictionary(r => r.Service, StringComparer.Ordinal);
        return lookups.Select(lookup => lookup.Service.IsRead ? ItemOutcome<EcsTaskFailureReport>.Success(byName[lookup.Service.Value.Name])
            : lookup.Service.Absent ? ItemOutcome<EcsTaskFailureReport>.Failure(lookup.NotFoundError(cluster))
            : ItemOutcome<EcsTaskFailureReport>.Success(Unread(request, cluster, lookup.Name, window, lookup.Service.Gap!))).ToList();
    }

    private async Task<IReadOnlyList<ItemOutcome<EcsTaskFailureReport>>> ForTasksAsync(TaskFailureRequest request, string cluster, TimeWindow window, CancellationToken cancellationToken)
    {
        var described = await _facts.Tasks.DescribeAsync(request.Cluster, request.Tasks, "the tasks", cancellationToken).ConfigureAwait(false);
        if (described.Absent)
        {
            return new[] { ItemOutcome<EcsTaskFailureReport>.Failure(ErrorTranslator.NotFound(ErrorIds.ClusterNotFound,
                $"Cluster '{cluster}' does not exist in region '{_facts.Session.Region.Name}'.", cluster)) };
        }

        if (!described.IsRead)
        {
            return new[] { ItemOutcome<EcsTaskFailureReport>.Success(Unread(request, cluster, "(tasks)", window, described.Gap!)) };
        }

        var found = described.Value;
        var missing = request.Tasks.Distinct(StringComparer.Ordinal)
            .Where(requested => !found.Any(t => t.Arn == requested || AwsArn.LastSegment(t.Arn) == AwsArn.LastSegment(requested)))
            .Select(requested => ItemOutcome<EcsTaskFailureReport>.Failure(ErrorTranslator.NotFound(ErrorIds.TaskNotFound,
                $"Task '{requested}' is not in cluster '{cluster}': ECS lists stopped tasks for about an hour. List the cluster's tasks with: aws ecs list-tasks --cluster {cluster} --desired-status STOPPED",
                requested)));
        var groups = found.GroupBy(ServiceOf, StringComparer.Ordinal).ToList();
        var serviceNames = groups.Select(g => g.Key).Where(name => found.Any(t => t.ServiceName == name)).ToList();
        var services = serviceNames.Count == 0 ? Array.Empty<ServiceLookup>() : await _facts.Services.DescribeAsync(request.Cluster, serviceNames, cancellationToken).ConfigureAwait(false);
        var reports = await Task.WhenAll(groups.Select(group =>
        {
            var service = services.FirstOrDefault(s => s.Name == group.Key)?.Service.ValueOr(null);
            return ReportAsync(new Scope(request, cluster, group.Key, service, group.ToList(), window, WholeWindow: false), cancellationToken);
        })).ConfigureAwait(false);
        return reports.Select(ItemOutcome<EcsTaskFailureReport>.Success).Concat(missing).ToList();
    }

    /// <summary>The service a task belongs to, else its ECS group.</summary>
    private static string ServiceOf(EcsTask task) => task.ServiceName ?? task.Group ?? "(no group)";

    // ------------------------------------------------------------------ one report

    private async Task<EcsTaskFailureReport> ReportAsync(Scope scope, CancellationToken cancellationToken)
    {
        var window = scope.Window;
        bool InWindow(DateTimeOffset? at) => !scope.WholeWindow || (at is { } value && window.Contains(value));
        var stopped = scope.Tasks.Where(t => t.DesiredStatus == "STOPPED" && InWindow(t.StopTime)).ToList();
        var entries = stopped.Select(t => new Entry(TaskFailureClassifier.Classify(t), t.StopTime, t)).ToList();
        if (scope.WholeWindow && scope.EcsService is { } service)
        {
            entries.AddRange(service.Events
                .Where(e => InWindow(e.CreatedAt))
                .Select(e => (Event: e, Classification: TaskFailureClassifier.ClassifyEvent(e)))
                .Where(x => x.Classification is not null)
                .Select(x => new Entry(x.Classification!, x.Event.CreatedAt, null)));
        }

        var groups = await Task.WhenAll(entries
            .GroupBy(e => (e.Classification.Cause, e.Classification.Container, e.Classification.ExitCode, e.Classification.Subject))
            .Select(g => GroupAsync(scope, g.ToList(), cancellationToken))).ConfigureAwait(false);
        var ordered = groups.OrderBy(g => g.IsFailure ? 0 : 1).ThenByDescending(g => g.Count).ThenByDescending(g => g.LastAt).ToList();
        var failed = ordered.Where(g => g.IsFailure).Sum(g => g.Count);
        var started = scope.Tasks.Count(t => InWindow(t.CreatedAt));
        var gaps = scope.Gaps.Distinct().ToList();
        return new EcsTaskFailureReport
        {
            Cluster = scope.Cluster,
            Service = scope.Service,
            Environment = scope.Request.Environment,
            StartTime = window.Start,
            EndTime = window.End,
            TasksStarted = started,
            TasksStopped = stopped.Count,
            TasksFailed = failed,
            TasksRunning = scope.Tasks.Count(t => t.DesiredStatus == "RUNNING" && t.LastStatus == "RUNNING"),
            Summary = Summary(ordered, stopped.Count, started, window, scope.WholeWindow, gaps.Count > 0),
            Causes = ordered.ToPrintableList(),
            Complete = gaps.Count == 0,
            NotRead = gaps.Select(g => g.ToString()).ToPrintableList(),
            CheckedAt = DateTimeOffset.UtcNow,
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
    }

    private static string Summary(IReadOnlyList<TaskFailureGroup> groups, int stopped, int started, TimeWindow window, bool wholeWindow, bool incomplete)
    {
        var failures = groups.Where(g => g.IsFailure).ToList();
        var span = wholeWindow ? $" in {window.Length.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min" : "";
        var churn = wholeWindow ? $"; {started} started, {stopped} stopped" : "";
        var text = failures.Count == 0
            ? $"No task failed{span} ({stopped} stopped on purpose{(wholeWindow ? $", {started} started" : "")})"
            : $"{failures.Sum(g => g.Count)} failure(s){span}: {string.Join(", ", failures.Select(g => $"{g.Cause} ({g.Count})"))}{churn}";
        return incomplete ? text + "; incomplete (see NotRead)" : text;
    }

    /// <summary>The report of a service whose description could not be read: nothing is known but the gap.</summary>
    private EcsTaskFailureReport Unread(TaskFailureRequest request, string cluster, string service, TimeWindow window, Gap gap) => new()
    {
        Cluster = cluster,
        Service = service,
        Environment = request.Environment,
        StartTime = window.Start,
        EndTime = window.End,
        Summary = "Not read: run Get-EcsTaskFailure again, or allow more attempts with AWS_MAX_ATTEMPTS",
        Complete = false,
        NotRead = new[] { gap.ToString() }.ToPrintableList(),
        CheckedAt = DateTimeOffset.UtcNow,
        Region = _facts.Session.Region.Name,
        EndpointUrl = _facts.Session.EndpointUrl,
        ProfileName = _facts.Session.ProfileName,
    };

    // ------------------------------------------------------------------ one cause: what explains it, read once

    private async Task<TaskFailureGroup> GroupAsync(Scope scope, IReadOnlyList<Entry> entries, CancellationToken cancellationToken)
    {
        var example = entries.OrderByDescending(e => e.At ?? DateTimeOffset.MinValue).First();
        var classification = example.Classification;
        var task = example.Task;
        var evidence = new List<string>();
        var definitionArn = task?.TaskDefinitionArn ?? scope.EcsService?.Primary?.TaskDefinition ?? scope.EcsService?.TaskDefinition;
        var definition = definitionArn is null ? null : Absorb(scope, await _facts.TaskDefinitions.ReadAsync(definitionArn, cancellationToken).ConfigureAwait(false));
        var container = definition?.ContainerDefinitions.FirstOrDefault(c => c.Name == classification.Container)
                        ?? definition?.ContainerDefinitions.FirstOrDefault(c => c.Essential) ?? definition?.ContainerDefinitions.FirstOrDefault();
        var context = new FixContext(scope.Cluster, scope.Service)
        {
            Container = classification.Container ?? container?.Name,
            ExitCode = classification.ExitCode,
            Image = classification.Subject is not null && classification.Family == TaskFailureFamily.ImagePull ? classification.Subject : container?.Image,
            TaskId = task is null ? null : AwsArn.LastSegment(task.Arn),
            Region = _facts.Session.Region.Name,
        };
        if (definition is not null)
        {
            evidence.Add($"Task definition {definition.Family}:{definition.Revision}" + (container is null ? "" : $", container {container.Name} (image {container.Image})"));
        }

        IReadOnlyList<string> logLines = Array.Empty<string>();
        switch (classification.Cause)
        {
            case TaskFailureCause.OutOfMemory:
                evidence.Add(MemoryLimits(container, definition));
                evidence.Add(await MemoryPeakAsync(scope, cancellationToken).ConfigureAwait(false));
                logLines = await LogLinesAsync(scope, task, classification.Container, evidence, cancellationToken).ConfigureAwait(false);
                break;
            case TaskFailureCause.ApplicationExit or TaskFailureCause.ContainerStartFailed or TaskFailureCause.Unknown:
                if (classification.ExitCode is { } code)
                {
                    evidence.Add($"Exit code {code}: {ExitCodes.Meaning(code)}");
                }

                logLines = await LogLinesAsync(scope, task, classification.Container, evidence, cancellationToken).ConfigureAwait(false);
                break;
            case TaskFailureCause.ImageNoNetworkRoute or TaskFailureCause.SecretNoNetworkRoute:
                evidence.Add(NetworkPlacement(scope.EcsService));
                break;
            case TaskFailureCause.SecretNotFound or TaskFailureCause.SecretAccessDenied or TaskFailureCause.SecretRetrievalFailed:
                if (SecretOf(container, classification.Subject) is { } secret)
                {
                    context = context with { Secret = secret.ValueFrom, SecretVariable = secret.Name };
                    evidence.Add($"Container {container!.Name} takes {secret.Name} from {secret.ValueFrom} (the value is never read)");
                }
                else if (classification.Subject is { } subject)
                {
                    context = context with { Secret = subject };
                }

                break;
            case TaskFailureCause.LogGroupNotFound:
                context = context with { LogGroup = container?.AwsLogs?.Group };
                evidence.Add(container?.AwsLogs is { } logs ? $"Container {container.Name} logs to {logs.Group} (awslogs)" : "The container's awslogs options name no log group");
                break;
            case TaskFailureCause.SubnetIpExhausted:
                evidence.AddRange(await SubnetsAsync(scope, cancellationToken).ConfigureAwait(false));
                break;
            case TaskFailureCause.InsufficientCpu or TaskFailureCause.InsufficientMemory or TaskFailureCause.InsufficientCapacity:
                if (definition is not null)
                {
                    evidence.Add($"The task asks for cpu {definition.Cpu ?? "(not set)"} and memory {definition.Memory ?? "(not set)"} MiB");
                }

                break;
            case TaskFailureCause.ElbHealthCheckFailed:
                if (classification.Subject is { } groupArn)
                {
                    context = context with { TargetGroup = AwsArn.TargetGroupName(groupArn) };
                    evidence.AddRange(await TargetGroupAsync(scope, groupArn, cancellationToken).ConfigureAwait(false));
                }

                logLines = await LogLinesAsync(scope, task, classification.Container, evidence, cancellationToken).ConfigureAwait(false);
                break;
            case TaskFailureCause.ContainerHealthCheckFailed:
                context = context with { HealthCheck = container?.HealthCheck };
                evidence.Add(container?.HealthCheck is { } check ? $"Container health check of {container.Name}: {check}" : "The container defines no health check");
                logLines = await LogLinesAsync(scope, task, classification.Container, evidence, cancellationToken).ConfigureAwait(false);
                break;
            case TaskFailureCause.NotAFailure:
                evidence.AddRange(entries.Select(e => e.Classification.Reason).Distinct(StringComparer.Ordinal).Take(3).Select(r => $"ECS: {r}"));
                break;
        }

        var redact = _facts.Redactor;
        var times = entries.Where(e => e.At is not null).Select(e => e.At!.Value).ToList();
        return new TaskFailureGroup
        {
            CauseKind = classification.Cause,
            Count = entries.Count,
            FirstAt = times.Count == 0 ? null : times.Min(),
            LastAt = times.Count == 0 ? null : times.Max(),
            ExampleTask = task is null ? null : AwsArn.LastSegment(task.Arn),
            ExampleTaskArn = task?.Arn,
            TaskDefinition = task?.TaskDefinitionArn is { } arn ? AwsArn.LastSegment(arn) : null,
            Container = classification.Container,
            ExitCode = classification.ExitCode,
            ExitCodeMeaning = classification.ExitCodeMeaning,
            Reason = redact.Redact(classification.Reason),
            Evidence = evidence.Select(redact.Redact).ToPrintableList(),
            LogLines = logLines.ToPrintableList(),
            Fix = redact.Redact(TaskFailureFixes.For(classification.Cause, context)),
        };
    }

    private static T? Absorb<T>(Scope scope, Fact<T> fact)
        where T : class?
    {
        if (fact.Gap is { } gap)
        {
            scope.Gaps.Enqueue(gap);
        }

        return fact.ValueOr(null);
    }

    private async Task<IReadOnlyList<string>> LogLinesAsync(Scope scope, EcsTask? task, string? container, List<string> evidence, CancellationToken cancellationToken)
    {
        if (task is null)
        {
            return Array.Empty<string>();
        }

        var excerpt = Absorb(scope, await _facts.Logs.LastLinesAsync(task, container, scope.Request.LogLines, cancellationToken).ConfigureAwait(false));
        evidence.Add(excerpt is null
            ? $"Container {container ?? "of the task"} does not log to CloudWatch Logs (no awslogs group and stream prefix), or its log was not read"
            : $"Last {excerpt.Lines.Count} line(s) of log stream {excerpt.LogGroup}:{excerpt.LogStream}");
        return excerpt?.Lines ?? Array.Empty<string>();
    }

    private static string MemoryLimits(EcsContainerDefinition? container, EcsTaskDefinition? definition) =>
        $"Memory limits: container {container?.Name ?? "(unknown)"} {(container?.Memory is { } hard ? $"{hard} MiB hard limit" : "no hard limit")}" +
        (container?.MemoryReservation is { } soft ? $", {soft} MiB reserved" : "") +
        $"; task {definition?.Memory ?? "(not set)"} MiB";

    private async Task<string> MemoryPeakAsync(Scope scope, CancellationToken cancellationToken)
    {
        var peak = await _facts.Metrics.MaximumMemoryAsync(scope.Cluster, scope.Service, scope.Window.Start, scope.Window.End, cancellationToken).ConfigureAwait(false);
        if (peak.Gap is { } gap)
        {
            scope.Gaps.Enqueue(gap);
            return "Maximum MemoryUtilization: not read";
        }

        return peak.ValueOr(null) is { } maximum
            ? string.Format(CultureInfo.InvariantCulture, "Maximum MemoryUtilization of {0} in the window: {1:0.#}%", scope.Service, maximum)
            : $"CloudWatch has no MemoryUtilization of {scope.Service} in the window";
    }

    private static string NetworkPlacement(EcsService? service) =>
        service?.NetworkConfiguration is { } network
            ? $"The tasks run in subnets {string.Join(", ", network.Subnets)} with security groups {string.Join(", ", network.SecurityGroups)}, public IP {network.AssignPublicIp ?? "DISABLED"}"
            : "The service's network configuration was not read";

    /// <summary>The secret a container takes from <paramref name="arn"/> (its valueFrom may be the full ARN, a partial one, or carry a JSON key).</summary>
    private static EcsSecret? SecretOf(EcsContainerDefinition? container, string? arn) =>
        arn is null ? null : container?.Secrets.FirstOrDefault(s => s.ValueFrom == arn || arn.StartsWith(s.ValueFrom, StringComparison.Ordinal) || s.ValueFrom.StartsWith(arn, StringComparison.Ordinal));

    private async Task<IReadOnlyList<string>> SubnetsAsync(Scope scope, CancellationToken cancellationToken)
    {
        var ids = scope.EcsService?.NetworkConfiguration?.Subnets ?? Array.Empty<string>();
        if (ids.Count == 0)
        {
            return new[] { "The service names no subnets (not awsvpc)" };
        }

        var subnets = Absorb(scope, await _facts.Policy.ReadAsync($"subnets of {scope.Service}", () => _facts.Session.Ec2.DescribeSubnetsAsync(ids, cancellationToken)).ConfigureAwait(false));
        return subnets?.Select(s => $"Subnet {s.Id} ({s.AvailabilityZone}, {s.CidrBlock}): {s.AvailableIpAddressCount?.ToString(CultureInfo.InvariantCulture) ?? "?"} free IP address(es)").ToList()
               ?? (IReadOnlyList<string>)new[] { "Subnets: not read" };
    }

    private async Task<IReadOnlyList<string>> TargetGroupAsync(Scope scope, string arn, CancellationToken cancellationToken)
    {
        var reading = (await _facts.TargetGroups.ReadAsync(new[] { arn }, cancellationToken).ConfigureAwait(false))[arn];
        foreach (var gap in reading.Gaps)
        {
            scope.Gaps.Enqueue(gap);
        }

        if (reading.Group.Absent)
        {
            return new[] { $"Target group {AwsArn.TargetGroupName(arn)} no longer exists" };
        }

        if (reading.Health is not { } group)
        {
            return Array.Empty<string>();
        }

        var lines = new List<string>
        {
            FormattableString.Invariant($"Target group {group.TargetGroupName} checks {group.HealthCheckProtocol} {group.HealthCheckPath} on port {group.HealthCheckPort}, matcher {group.Matcher}, every {group.IntervalSeconds} s, timeout {group.TimeoutSeconds} s, healthy after {group.HealthyThreshold}, unhealthy after {group.UnhealthyThreshold}"),
        };
        lines.AddRange(group.Targets.GroupBy(t => (t.State, t.Reason, t.Description))
            .Select(g => $"{g.Count()} target(s) {g.Key.State}" + (g.Key.Reason is null ? "" : $": {g.Key.Reason}: {g.Key.Description}")));
        return lines;
    }
}
