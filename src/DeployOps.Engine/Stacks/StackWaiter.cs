using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.CloudFormation;
using DeployOps.Errors;
using DeployOps.Estimates;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Storage;

namespace DeployOps.Stacks;

/// <summary>What Wait-CfnStack (and an action's -Wait) waits for.</summary>
public sealed record StackWaitRequest
{
    public string StackName { get; init; } = "";

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(60);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait through a rollback to its end, instead of stopping as soon as the stack starts rolling back.</summary>
    public bool UntilRollbackComplete { get; init; }

    /// <summary>A completed rollback is what was asked for (after CancelUpdateStack or ContinueUpdateRollback), not a failure.</summary>
    public bool RollbackIsSuccess { get; init; }

    /// <summary>Wait until the stack is gone ("does not exist"); DELETE_FAILED ends the wait at once, with the resource's reason.</summary>
    public bool UntilDeleted { get; init; }

    /// <summary>No stack event for this long while in progress: a warning (runbook 001's 15 minutes).</summary>
    public TimeSpan QuietWarning { get; init; } = CfnStackDiagnosis.QuietAfter;

    /// <summary>The deployment history, for the ETA; null estimates from DeployOps' defaults.</summary>
    public DeploymentStore? Store { get; init; }

    /// <summary>Called with each new stack event, oldest first (what a monitor turns into notifications).</summary>
    public Action<CfnStackEvent>? OnEvent { get; init; }
}

/// <summary>How a wait for a stack ended.</summary>
public enum StackWaitOutcome
{
    /// <summary>CREATE_COMPLETE, UPDATE_COMPLETE or IMPORT_COMPLETE.</summary>
    Completed,

    /// <summary>The stack is gone (DELETE_COMPLETE, or "does not exist").</summary>
    Deleted,

    /// <summary>ROLLBACK_COMPLETE, UPDATE_ROLLBACK_COMPLETE or IMPORT_ROLLBACK_COMPLETE: the operation was undone.</summary>
    RolledBack,

    /// <summary>The stack started rolling back (the wait stops there unless told to wait for the rollback).</summary>
    RollingBack,

    /// <summary>A *_FAILED status.</summary>
    Failed,

    TimedOut,
}

/// <summary>The result of a wait for a stack.</summary>
public sealed class CfnStackWaitResult
{
    public string StackName { get; init; } = "";

    public string StackId { get; init; } = "";

    /// <summary>A <see cref="StackWaitOutcome"/> name.</summary>
    public string Outcome => OutcomeKind.ToString();

    internal StackWaitOutcome OutcomeKind { get; init; }

    internal bool RollbackIsSuccess { get; init; }

    /// <summary>True when the stack ended as the wait intends (completed, deleted, or rolled back after a cancel or continue).</summary>
    public bool Succeeded => OutcomeKind is StackWaitOutcome.Completed or StackWaitOutcome.Deleted || (OutcomeKind == StackWaitOutcome.RolledBack && RollbackIsSuccess);

    /// <summary>The stack's status when the wait ended (DELETE_COMPLETE once gone).</summary>
    public string Status { get; init; } = "";

    public string Reason { get; init; } = "";

    /// <summary>The first failure of the operation, when something failed.</summary>
    public CfnStackFailure? FirstFailure { get; init; }

    public int ResourcesDone { get; init; }

    public int ResourcesTotal { get; init; }

    public TimeSpan Elapsed { get; init; }

    public DateTimeOffset FinishedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{StackName} {Outcome} ({Status}): {Reason}";

    /// <summary>This result, then the error saying why when the stack did not end as intended.</summary>
    public IReadOnlyList<ItemOutcome<object>> Outcomes() => ToError() is { } error
        ? new[] { ItemOutcome<object>.Success(this), ItemOutcome<object>.Failure(error) }
        : new[] { ItemOutcome<object>.Success(this) };

    public DeployOpsError? ToError()
    {
        if (Succeeded)
        {
            return null;
        }

        var cause = FirstFailure is { } f ? $" First failure: {f.Path} ({f.ResourceType}) {f.Status}: {f.Reason}" : "";
        return OutcomeKind switch
        {
            StackWaitOutcome.RollingBack => new DeployOpsError(ErrorIds.StackRollingBack, DeployOpsErrorKind.DeploymentFailed,
                $"Stack '{StackName}' started rolling back ({Status}).{cause}", StackName)
            {
                RecommendedAction = $"Wait-CfnStack -StackName {StackName} -UntilRollbackComplete waits for the rollback; Get-CfnStackDiagnosis -StackName {StackName} shows why.",
            },
            StackWaitOutcome.TimedOut => new DeployOpsError(ErrorIds.StackWaitTimedOut, DeployOpsErrorKind.OperationTimeout,
                $"Stack '{StackName}' did not finish in {Elapsed.TotalSeconds:0} s: {Reason}", StackName)
            {
                RecommendedAction = $"Get-CfnStackDiagnosis -StackName {StackName} shows what it waits on.",
            },
            _ => new DeployOpsError(ErrorIds.StackOperationFailed, DeployOpsErrorKind.DeploymentFailed, $"Stack '{StackName}' ended {Status}: {Reason}.{cause}", StackName)
            {
                RecommendedAction = $"Get-CfnStackDiagnosis -StackName {StackName} lists the legal actions now.",
            },
        };
    }
}

/// <summary>
/// Waits for a stack's operation to end, as <c>aws cloudformation wait</c> should: with progress (resources done of
/// total, an ETA from the deployment history), failing fast when the stack starts rolling back (with the first failure;
/// or waiting on through the rollback when asked), warning when no event has come for a while, and reading only the new
/// events each time (by event id). Watch-Deployment builds on it (<see cref="StackWaitRequest.OnEvent"/>).
/// </summary>
public sealed class StackWaiter
{
    private static int _nextActivityId = 10_000;

    private readonly AwsFacts _facts;

    public StackWaiter(AwsFacts facts)
    {
        _facts = facts;
    }

    public async Task<CfnStackWaitResult> WaitAsync(StackWaitRequest request, CancellationToken cancellationToken)
    {
        if (request.Timeout <= TimeSpan.Zero || request.PollInterval <= TimeSpan.Zero)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidWaitSettings, DeployOpsErrorKind.InvalidArgument,
                $"Timeout ({request.Timeout}) and poll interval ({request.PollInterval}) must both be positive."));
        }

        StackNames.Validate(request.StackName);
        var clock = Stopwatch.StartNew();
        var activity = Interlocked.Increment(ref _nextActivityId);
        CfnStack stack;
        try
        {
            stack = await _facts.Stacks.RequireAsync(request.StackName, cancellationToken).ConfigureAwait(false);
        }
        catch (DeployOpsException ex) when (request.UntilDeleted && ex.Error.ErrorId == ErrorIds.StackNotFound)
        {
            return Result(request, null, StackWaitOutcome.Deleted, "the stack does not exist", null, null, clock);
        }

        var watch = new StackWatch(_facts, stack, request);
        await watch.StartAsync(cancellationToken).ConfigureAwait(false);
        _facts.Observer.Verbose($"Waiting up to {request.Timeout.TotalSeconds:0} s for stack {stack.StackName} ({stack.StackStatus}).");
        while (true)
        {
            if (Decide(request, watch.Stack) is { } decided)
            {
                _facts.Observer.Progress(new OperationProgress(activity, Activity(stack), decided.Reason, 100, 0, Completed: true));
                return Result(request, watch.Stack, decided.Outcome, decided.Reason, watch.FirstFailure, watch.Snapshot(), clock);
            }

            var remaining = request.Timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                return Result(request, watch.Stack, StackWaitOutcome.TimedOut, $"still {watch.Stack.StackStatus}", watch.FirstFailure, watch.Snapshot(), clock);
            }

            Report(activity, watch);
            await Task.Delay(remaining < request.PollInterval ? remaining : request.PollInterval, cancellationToken).ConfigureAwait(false);
            if (!await watch.PollAsync(cancellationToken).ConfigureAwait(false))
            {
                return Result(request, watch.Stack, StackWaitOutcome.Deleted, "the stack does not exist", null, watch.Snapshot(), clock);
            }
        }
    }

    /// <summary>Is the wait over, and how? Null means keep waiting.</summary>
    internal static (StackWaitOutcome Outcome, string Reason)? Decide(StackWaitRequest request, CfnStack stack)
    {
        var status = stack.StackStatus;
        if (status == CfnStackStatus.DeleteComplete)
        {
            return (StackWaitOutcome.Deleted, "DELETE_COMPLETE: the stack does not exist");
        }

        if (request.UntilDeleted && status == CfnStackStatus.DeleteFailed)
        {
            return (StackWaitOutcome.Failed, stack.StackStatusReason ?? "DELETE_FAILED");
        }

        if (CfnStackStatus.IsRollingBack(status) && !request.UntilRollbackComplete)
        {
            return (StackWaitOutcome.RollingBack, stack.StackStatusReason ?? status);
        }

        if (CfnStackStatus.IsInProgress(status))
        {
            return null;
        }

        var reason = stack.StackStatusReason ?? status;
        return status switch
        {
            CfnStackStatus.RollbackComplete or CfnStackStatus.UpdateRollbackComplete or CfnStackStatus.ImportRollbackComplete => (StackWaitOutcome.RolledBack, reason),
            _ when status.EndsWith("_FAILED", StringComparison.Ordinal) => (StackWaitOutcome.Failed, reason),
            _ => (StackWaitOutcome.Completed, reason),
        };
    }

    private void Report(int activity, StackWatch watch)
    {
        var snapshot = watch.Snapshot();
        var estimate = watch.Estimate(snapshot);
        var percent = estimate is null ? -1
            : (int)Math.Min(99, 100 * watch.Elapsed.TotalSeconds / Math.Max(1, watch.Elapsed.TotalSeconds + estimate.Expected.TotalSeconds));
        var progress = snapshot is null ? "" : $": {snapshot.Done} of {snapshot.Total} resources done";
        var eta = estimate is null ? "" : $", about {CfnDeploymentEstimate.Minutes(estimate.Expected)} min left ({CfnDeploymentEstimate.Minutes(estimate.Low)}-{CfnDeploymentEstimate.Minutes(estimate.High)})";
        var running = snapshot?.Resources.Where(r => r.State == EstimateState.InProgress).Select(r => r.LogicalResourceId).ToList() ?? new List<string>();
        var status = $"{watch.Stack.StackStatus}{progress}{eta}" + (running.Count == 0 ? "" : $"; in progress: {string.Join(", ", running)}");
        _facts.Observer.Progress(new OperationProgress(activity, Activity(watch.Stack), status, percent, estimate is null ? -1 : (int)estimate.Expected.TotalSeconds));
        watch.WarnWhenQuiet();
    }

    private static string Activity(CfnStack stack) => $"Waiting for stack {stack.StackName}";

    private CfnStackWaitResult Result(StackWaitRequest request, CfnStack? stack, StackWaitOutcome outcome, string reason, CfnStackFailure? failure, StackProgressSnapshot? snapshot, Stopwatch clock) => new()
    {
        StackName = stack?.StackName ?? StackReader.Name(request.StackName),
        StackId = stack?.StackId ?? "",
        OutcomeKind = outcome,
        RollbackIsSuccess = request.RollbackIsSuccess,
        Status = outcome == StackWaitOutcome.Deleted ? CfnStackStatus.DeleteComplete : stack?.StackStatus ?? "",
        Reason = _facts.Redactor.Redact(reason),
        FirstFailure = failure is null ? null : new CfnStackFailure
        {
            StackName = failure.StackName, LogicalResourceId = failure.LogicalResourceId, ResourceType = failure.ResourceType, PhysicalResourceId = failure.PhysicalResourceId,
            Status = failure.Status, Reason = _facts.Redactor.Redact(failure.Reason), Timestamp = failure.Timestamp, Path = failure.Path,
        },
        ResourcesDone = snapshot?.Done ?? 0,
        ResourcesTotal = snapshot?.Total ?? 0,
        Elapsed = clock.Elapsed,
        FinishedAt = _facts.Session.Now,
        Region = _facts.Session.Region.Name,
        EndpointUrl = _facts.Session.EndpointUrl,
        ProfileName = _facts.Session.ProfileName,
    };

    /// <summary>What the waiter knows of the stack while it waits: its last description, the current operation's events, its template's resources.</summary>
    private sealed class StackWatch
    {
        private readonly AwsFacts _facts;
        private readonly StackWaitRequest _request;
        private readonly List<CfnStackEvent> _events = new();
        private IReadOnlyList<TemplateResource> _template = Array.Empty<TemplateResource>();
        private IReadOnlyList<CfnStackResource> _resources = Array.Empty<CfnStackResource>();
        private DeploymentEstimator _estimator = new(new DeploymentHistoryDocument());
        private bool _warned;

        public StackWatch(AwsFacts facts, CfnStack stack, StackWaitRequest request)
        {
            _facts = facts;
            _request = request;
            Stack = stack;
        }

        public CfnStack Stack { get; private set; }

        public CfnStackFailure? FirstFailure => StackRootCause.Find(_events);

        /// <summary>Since the current operation began.</summary>
        public TimeSpan Elapsed => StackOperations.Current(_events)?.Start.Timestamp is { } start ? _facts.Session.Now - start : TimeSpan.Zero;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var template = _facts.Stacks.TemplateResourcesAsync(Stack.StackId, cancellationToken);
            var events = _facts.Stacks.EventsSinceAsync(Stack.StackId, null, cancellationToken);
            var resources = _facts.Stacks.ResourcesAsync(Stack.StackId, cancellationToken);
            await Task.WhenAll(template, events, resources).ConfigureAwait(false);
            _template = template.Result.ValueOr(Array.Empty<TemplateResource>())!;
            _resources = resources.Result.ValueOr(Array.Empty<CfnStackResource>())!;
            Take(events.Result.ValueOr(Array.Empty<CfnStackEvent>())!);
            var gaps = new List<string>();
            _estimator = new DeploymentEstimator(DeploymentHistory.ReadOrEmpty(_request.Store, gaps));
            gaps.ForEach(g => _facts.Observer.Warning($"The ETA uses DeployOps' default durations: {g}"));
        }

        /// <summary>Reads the stack and its new events; false once the stack is gone. A read that fails for a while keeps what was known.</summary>
        public async Task<bool> PollAsync(CancellationToken cancellationToken)
        {
            try
            {
                Stack = await _facts.Session.Client<CloudFormationClient>().DescribeStackAsync(Stack.StackId, cancellationToken).ConfigureAwait(false);
            }
            catch (AwsServiceException ex) when (ex.Classification == AwsErrorClassification.NotFound)
            {
                return false;
            }
            catch (AwsCallException ex) when (ex is not AwsServiceException service || service.Classification is AwsErrorClassification.Throttling or AwsErrorClassification.ServiceUnavailable)
            {
                _facts.Observer.Verbose($"Poll failed ({ex.Message}); trying again.");
                return true;
            }

            var fresh = await _facts.Stacks.EventsSinceAsync(Stack.StackId, _events.FirstOrDefault()?.EventId, cancellationToken).ConfigureAwait(false);
            Take(fresh.ValueOr(Array.Empty<CfnStackEvent>())!);
            if (fresh.IsRead && fresh.Value.Count > 0 && (Stack.StackStatus is CfnStackStatus.DeleteInProgress or CfnStackStatus.RollbackInProgress))
            {
                _resources = (await _facts.Stacks.ResourcesAsync(Stack.StackId, cancellationToken).ConfigureAwait(false)).ValueOr(_resources)!;
            }

            return true;
        }

        public StackProgressSnapshot? Snapshot() => StackEstimator.Snapshot(Stack, _resources, _template, _events, _facts.Session.Now);

        public RemainingTime? Estimate(StackProgressSnapshot? snapshot) =>
            snapshot is null ? null : _estimator.Estimate(Stack.StackName, snapshot.Operation, snapshot.Resources);

        /// <summary>Warns once per quiet spell when no event has come for <see cref="StackWaitRequest.QuietWarning"/>.</summary>
        public void WarnWhenQuiet()
        {
            if (_events.FirstOrDefault()?.Timestamp is not { } last || !CfnStackStatus.IsInProgress(Stack.StackStatus))
            {
                return;
            }

            var quiet = _facts.Session.Now - last;
            if (quiet >= _request.QuietWarning && !_warned)
            {
                _warned = true;
                _facts.Observer.Warning($"Stack {Stack.StackName}: no stack event for {quiet.TotalMinutes:0} minutes ({Stack.StackStatus}). It may be stuck: " +
                                        $"Get-CfnStackDiagnosis -StackName {Stack.StackName} shows what it waits on.");
            }
        }

        /// <summary>Adds new events (oldest first), newest first in the list, telling the listener and ending a quiet spell.</summary>
        private void Take(IReadOnlyList<CfnStackEvent> oldestFirst)
        {
            foreach (var stackEvent in oldestFirst)
            {
                if (StackOperations.IsOperationStart(stackEvent))
                {
                    _events.Clear();
                }

                _events.Insert(0, stackEvent);
                _warned = false;
                _request.OnEvent?.Invoke(stackEvent);
            }
        }
    }
}
