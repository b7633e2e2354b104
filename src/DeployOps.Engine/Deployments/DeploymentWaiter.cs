using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.ElasticLoadBalancing;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Storage;
using DeployOps.Verification;

namespace DeployOps.Deployments;

/// <summary>Where a completed wait records its verification: the deployment journal, and what to call the verifier (e.g. "Wait-EcsDeployment").</summary>
public sealed record VerificationRecorder(DeploymentJournal Journal, string VerifiedBy);

/// <summary>What Wait-EcsDeployment waits for.</summary>
public sealed record DeploymentWaitRequest
{
    public string Cluster { get; init; } = "";

    public string Service { get; init; } = "";

    /// <summary>The deployment to wait for; null means the PRIMARY deployment when the wait starts.</summary>
    public string? DeploymentId { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many tasks of the deployment must stop for the same reason before the wait gives up.</summary>
    public int SameReasonLimit { get; init; } = 3;

    /// <summary>The wait for a deployment a change just started.</summary>
    public static DeploymentWaitRequest For(EcsDeploymentStart started, DeploymentWaitSettings settings) => new()
    {
        Cluster = started.Cluster,
        Service = started.Service,
        DeploymentId = started.DeploymentId,
        Timeout = settings.Timeout,
    };
}

/// <summary>
/// Waits for a rollout the way <c>aws ecs wait services-stable</c> should: done when the deployment
/// is COMPLETED, runs its desired count and its targets are healthy; over at once when the rollout
/// is FAILED, the circuit breaker rolled back, or its tasks keep stopping for the same reason.
/// Polls DescribeServices; reads stopped tasks only when the deployment's failed count rises and
/// target health only when ECS says the rollout is complete.
/// </summary>
public sealed class DeploymentWaiter
{
    // What ECS (and moto, and the sandbox) name a deployment: ecs-svc/ and digits.
    private static readonly Regex DeploymentIdPattern = new(@"^ecs-svc/\d+$", RegexOptions.CultureInvariant);

    private static int _nextActivityId;

    private readonly AwsFacts _facts;
    private readonly IOperationObserver _observer;
    private readonly VerificationRecorder? _recorder;

    /// <param name="facts">The run's fact readers.</param>
    /// <param name="recorder">Where a completed rollout is recorded as verified (the deployment journal); null records nothing.</param>
    public DeploymentWaiter(AwsFacts facts, VerificationRecorder? recorder = null)
    {
        _facts = facts;
        _observer = facts.Observer;
        _recorder = recorder;
    }

    public DeploymentWaiter(AwsSession session, IOperationObserver observer)
        : this(new AwsFacts(session, observer))
    {
    }

    /// <summary>
    /// Waits; throws <see cref="DeployOpsException"/> when the service does not exist or the deployment is not one of its
    /// deployments (DeploymentNotFound), <see cref="OperationCanceledException"/> on Ctrl-C.
    /// </summary>
    public async Task<DeploymentWaitResult> WaitAsync(DeploymentWaitRequest request, CancellationToken cancellationToken)
    {
        if (request.Timeout <= TimeSpan.Zero || request.PollInterval <= TimeSpan.Zero)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidWaitSettings, DeployOpsErrorKind.InvalidArgument,
                $"Timeout ({request.Timeout}) and poll interval ({request.PollInterval}) must both be positive."));
        }

        if (request.DeploymentId is { } deploymentId && !DeploymentIdPattern.IsMatch(deploymentId))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidDeploymentId, DeployOpsErrorKind.InvalidArgument,
                $"'{deploymentId}' is not an ECS deployment id; expected ecs-svc/ and digits, e.g. ecs-svc/1234567890123456789 "
                + "(the DeploymentId of Restart-EcsService's output), or no -DeploymentId to wait for the PRIMARY deployment.", deploymentId));
        }

        var activity = Interlocked.Increment(ref _nextActivityId);
        var clock = Stopwatch.StartNew();
        var target = $"{request.Cluster}/{request.Service}";
        var service = await ServiceRedeployer.Translated(() => DescribeAsync(request, cancellationToken), target).ConfigureAwait(false);
        var waited = request.DeploymentId is { } id ? service.Deployment(id) : service.Primary;
        if (waited is null)
        {
            // Nothing to wait for: a mistyped id, a deployment that already finished and left, or no PRIMARY at all.
            // Never a rollback: nothing was seen rolling back.
            var listed = service.Deployments.Count == 0 ? "none" : string.Join(", ", service.Deployments.Select(d => $"{d.Status} {d.Id}"));
            throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.DeploymentNotFound,
                $"Deployment '{request.DeploymentId ?? "PRIMARY"}' is not a deployment of service '{service.Name}' (its deployments: {listed}). " +
                "It may have finished and been replaced, or the id is mistyped; wait for the PRIMARY deployment by leaving out -DeploymentId.",
                request.DeploymentId ?? target));
        }

        var tracker = new StoppedTaskTracker(_facts, request, waited.Id, SameReasonLimit(request, service));
        _observer.Verbose($"Waiting up to {request.Timeout.TotalSeconds:0} s for deployment {waited.Id} of {target} ({waited.TaskDefinition}).");
        while (true)
        {
            var outcome = await CheckAsync(service, waited, tracker, cancellationToken).ConfigureAwait(false);
            if (outcome is { } done)
            {
                _observer.Progress(new OperationProgress(activity, Activity(target), done.Reason, 100, 0, Completed: true));
                var result = Result(request, service, waited.Id, waited.TaskDefinition ?? "", done.Outcome, done.Reason, clock, tracker.Reasons, done.HealthyTargets);
                return done.Outcome == DeploymentWaitOutcome.Completed && _recorder is { } recorder
                    ? await RecordAsync(recorder, result, cancellationToken).ConfigureAwait(false)
                    : result;
            }

            var remaining = request.Timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                var current = service.Deployment(waited.Id);
                return Result(request, service, waited.Id, waited.TaskDefinition ?? "", DeploymentWaitOutcome.TimedOut,
                    $"still {current?.RolloutState ?? "unknown"} with {current?.RunningCount ?? 0} of {current?.DesiredCount ?? 0} running", clock, tracker.Reasons, 0);
            }

            Report(activity, target, service, waited.Id, remaining);
            await Task.Delay(Min(request.PollInterval, remaining), cancellationToken).ConfigureAwait(false);
            service = await PollAsync(request, service, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// When ECS's circuit breaker watches the deployment, the verdict is left to it (FAILED or a
    /// rollback says more than "tasks keep stopping"): the waiter gives up on repeated stops only
    /// past the breaker's threshold (half the desired count, 3 to 200).
    /// </summary>
    private static int SameReasonLimit(DeploymentWaitRequest request, EcsService service)
    {
        if (service.DeploymentConfiguration?.CircuitBreakerEnabled != true)
        {
            return request.SameReasonLimit;
        }

        var threshold = Math.Min(200, Math.Max(3, (int)Math.Ceiling(0.5 * service.DesiredCount)));
        return Math.Max(request.SameReasonLimit, threshold + 2);
    }

    private sealed record Decision(DeploymentWaitOutcome Outcome, string Reason, int HealthyTargets);

    /// <summary>Is the wait over? Null means keep waiting.</summary>
    private async Task<Decision?> CheckAsync(EcsService service, EcsDeployment waited, StoppedTaskTracker tracker, CancellationToken cancellationToken)
    {
        var current = service.Deployment(waited.Id);
        var primary = service.Primary;
        if (current is null || !current.IsPrimary)
        {
            await tracker.UpdateAsync(int.MaxValue, cancellationToken).ConfigureAwait(false);
            var why = primary is not null && primary.TaskDefinition != waited.TaskDefinition
                ? $"the circuit breaker rolled back: the PRIMARY deployment is now {primary.Id} with {Short(primary.TaskDefinition)}" +
                  (primary.RolloutStateReason is { } reason ? $" ({reason})" : "")
                : $"deployment {primary?.Id} replaced it";
            return new Decision(DeploymentWaitOutcome.RolledBack, why + tracker.Summary, 0);
        }

        if (current.RolloutFailed)
        {
            await tracker.UpdateAsync(int.MaxValue, cancellationToken).ConfigureAwait(false);
            return new Decision(DeploymentWaitOutcome.Failed, (current.RolloutStateReason ?? "the rollout failed") + tracker.Summary, 0);
        }

        if (current.FailedTasks > 0 && await tracker.UpdateAsync(current.FailedTasks, cancellationToken).ConfigureAwait(false) is { } repeated)
        {
            return new Decision(DeploymentWaitOutcome.TasksFailing, repeated, 0);
        }

        var rolledOut = current.RolloutCompleted && service.Deployments.Count == 1 && current.RunningCount >= current.DesiredCount;
        if (!rolledOut)
        {
            return null;
        }

        var (healthy, unsettled) = await TargetsAsync(service, current.DesiredCount, cancellationToken).ConfigureAwait(false);
        return unsettled is null
            ? new Decision(DeploymentWaitOutcome.Completed, $"COMPLETED: {current.RunningCount} of {current.DesiredCount} running, {healthy} healthy target(s)", healthy)
            : null;
    }

    /// <summary>Healthy targets of the service, and what still keeps it from counting as done (null when nothing).</summary>
    private async Task<(int Healthy, string? Unsettled)> TargetsAsync(EcsService service, int desired, CancellationToken cancellationToken)
    {
        var arns = service.LoadBalancers.Select(lb => lb.TargetGroupArn).Where(a => a is not null).Select(a => a!).Distinct().ToList();
        var groups = await _facts.TargetGroups.ReadAsync(arns, cancellationToken).ConfigureAwait(false);
        var healthy = 0;
        foreach (var group in groups.Values)
        {
            if (group.Health is not { } read)
            {
                // Not read this time (throttled, a deleted group): keep waiting; the next poll reads it again.
                return (0, string.Join("; ", group.Gaps.Select(g => g.ToString()).DefaultIfEmpty($"target group {AwsArn.TargetGroupName(group.Arn)} does not exist")));
            }

            var active = read.Targets.Where(t => t.State != ElbTargetState.Draining).ToList();
            if (active.Count < desired || active.Any(t => t.State != ElbTargetState.Healthy))
            {
                return (0, $"{active.Count(t => t.State == ElbTargetState.Healthy)} of {active.Count} targets healthy");
            }

            healthy += active.Count;
        }

        return (healthy, null);
    }

    private Task<EcsService> DescribeAsync(DeploymentWaitRequest request, CancellationToken cancellationToken) =>
        _facts.Services.RequireAsync(request.Cluster, request.Service, cancellationToken);

    /// <summary>One poll; a throttled or failed poll keeps the last answer and the wait goes on.</summary>
    private async Task<EcsService> PollAsync(DeploymentWaitRequest request, EcsService last, CancellationToken cancellationToken)
    {
        try
        {
            return await DescribeAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsCallException ex) when (ex is not AwsServiceException service || IsPassing(service))
        {
            _observer.Verbose($"Poll failed ({ex.Message}); trying again.");
            return last;
        }
    }

    /// <summary>Errors worth waiting out: throttling and AWS's own trouble.</summary>
    private static bool IsPassing(AwsServiceException exception) =>
        exception.Classification is AwsErrorClassification.Throttling or AwsErrorClassification.ServiceUnavailable;

    private void Report(int activity, string target, EcsService service, string deploymentId, TimeSpan remaining)
    {
        var current = service.Deployment(deploymentId);
        var desired = Math.Max(1, current?.DesiredCount ?? 1);
        var percent = Math.Min(99, 100 * (current?.RunningCount ?? 0) / desired);
        var latest = service.Events.FirstOrDefault()?.Message;
        var status = $"{current?.RolloutState ?? "?"}: {current?.RunningCount ?? 0} of {current?.DesiredCount ?? 0} running, {current?.PendingCount ?? 0} pending" +
                     (latest is null ? "" : $"; {latest}");
        _observer.Progress(new OperationProgress(activity, Activity(target), status, percent, (int)remaining.TotalSeconds));
    }

    private static string Activity(string target) => $"Waiting for the deployment of {target}";

    private DeploymentWaitResult Result(DeploymentWaitRequest request, EcsService service, string deploymentId, string taskDefinition,
        DeploymentWaitOutcome outcome, string reason, Stopwatch clock, IReadOnlyList<string> stoppedReasons, int healthyTargets)
    {
        var current = service.Deployment(deploymentId);
        return new DeploymentWaitResult
        {
            Cluster = AwsArn.LastSegment(service.ClusterArn.Length > 0 ? service.ClusterArn : request.Cluster),
            Service = service.Name,
            DeploymentId = deploymentId,
            TaskDefinition = taskDefinition,
            OutcomeKind = outcome,
            Reason = reason,
            RolloutState = current?.RolloutState,
            RunningCount = current?.RunningCount ?? 0,
            DesiredCount = current?.DesiredCount ?? service.DesiredCount,
            HealthyTargets = healthyTargets,
            StoppedReasons = stoppedReasons.ToPrintableList(),
            LastEvent = service.Events.FirstOrDefault()?.Message,
            Elapsed = clock.Elapsed,
            FinishedAt = DateTimeOffset.UtcNow,
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
    }

    /// <summary>
    /// Records the completed rollout's task definition as verified in the journal. A journal that cannot be written (locked,
    /// corrupt, no permission) is a warning: the rollout did complete.
    /// </summary>
    private async Task<DeploymentWaitResult> RecordAsync(VerificationRecorder recorder, DeploymentWaitResult result, CancellationToken cancellationToken)
    {
        var definition = await _facts.TaskDefinitions.ReadAsync(result.TaskDefinition, cancellationToken).ConfigureAwait(false);
        var entry = new JournalEntry
        {
            Target = DeploymentJournal.EcsTarget(result.Region, result.Cluster, result.Service),
            Revision = result.TaskDefinition,
            Images = definition.IsRead ? definition.Value.ContainerDefinitions.Select(c => c.Image ?? "").Where(i => i.Length > 0).ToList() : new List<string>(),
            VerifiedBy = recorder.VerifiedBy,
            VerifiedAt = DateTimeOffset.UtcNow,
        };
        try
        {
            await recorder.Journal.RecordAsync(entry, cancellationToken).ConfigureAwait(false);
            _observer.Verbose($"Recorded {Short(result.TaskDefinition)} of {result.Cluster}/{result.Service} as verified in {recorder.Journal.Path}.");
            result.VerifiedIn = recorder.Journal.Path;
            return result;
        }
        catch (Exception ex) when (ex is CorruptFileException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            _observer.Warning($"The rollout completed, but its verification could not be recorded in {recorder.Journal.Path}: {ex.Message}");
            return result;
        }
    }

    private static string Short(string? taskDefinition) => taskDefinition is null ? "?" : AwsArn.LastSegment(taskDefinition);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Why the waited deployment's tasks stop, read when its failed count rises.</summary>
    private sealed class StoppedTaskTracker
    {
        private readonly AwsFacts _facts;
        private readonly DeploymentWaitRequest _request;
        private readonly string _deploymentId;
        private readonly int _limit;
        private int _seenFailures;

        public StoppedTaskTracker(AwsFacts facts, DeploymentWaitRequest request, string deploymentId, int limit)
        {
            _facts = facts;
            _request = request;
            _deploymentId = deploymentId;
            _limit = limit;
        }

        /// <summary>Reasons, most frequent first, as "3x Essential container in task exited (exit code 1)".</summary>
        public IReadOnlyList<string> Reasons { get; private set; } = Array.Empty<string>();

        public string Summary => Reasons.Count == 0 ? "" : $"; tasks stopped: {Reasons[0]}";

        /// <summary>Re-reads stopped tasks when the failed count rose; returns a reason once it repeats often enough.</summary>
        public async Task<string?> UpdateAsync(int failedTasks, CancellationToken cancellationToken)
        {
            if (failedTasks <= _seenFailures)
            {
                return null;
            }

            var stopped = await _facts.Tasks.StoppedOfDeploymentAsync(_request.Cluster, _deploymentId, cancellationToken).ConfigureAwait(false);
            if (!stopped.IsRead)
            {
                // Not read this time: the next poll tries again.
                return null;
            }

            var grouped = stopped.Value.Select(Describe).GroupBy(r => r).OrderByDescending(g => g.Count()).ToList();
            Reasons = grouped.Select(g => $"{g.Count()}x {g.Key}").ToList();
            _seenFailures = failedTasks;
            var top = grouped.FirstOrDefault();
            return top is not null && top.Count() >= _limit ? $"{top.Count()} tasks stopped with: {top.Key}" : null;
        }

        private string Describe(EcsTask task)
        {
            var container = task.FailingContainer;
            var exit = container?.ExitCode is { } code and not 0 ? $" (exit code {code})" : "";
            var reason = container?.Reason is { } r && r != task.StoppedReason ? $" ({r})" : "";
            return _facts.Redactor.Redact($"{task.StoppedReason}{exit}{reason}");
        }
    }
}
