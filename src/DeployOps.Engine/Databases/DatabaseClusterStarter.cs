using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Rds;
using DeployOps.Deployments;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.Databases;

/// <summary>Starting a stopped cluster: what Start-DatabaseCluster's ShouldProcess shows. Null <see cref="StartNeeded"/> plans only a wait.</summary>
public sealed record DatabaseClusterStartPlan(string DatabaseCluster, string Status) : IChangePlan
{
    /// <summary>True when the cluster is stopped (StartDBCluster is called); false when it is starting already (only a wait).</summary>
    public bool StartNeeded => Status == RdsVocabulary.Stopped;

    public string ShouldProcessTarget => $"Aurora cluster {DatabaseCluster} ({Status})";

    public string ShouldProcessAction => "Start the cluster (StartDBCluster)";
}

/// <summary>How long to wait for a cluster to become available, and how often to look.</summary>
public sealed record DatabaseWaitSettings(TimeSpan Timeout, TimeSpan PollInterval)
{
    public static DatabaseWaitSettings Default { get; } = new(TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(5));
}

/// <summary>What Start-DatabaseCluster did to a cluster, and the status it was left in.</summary>
public sealed class DatabaseClusterChange
{
    public string DatabaseCluster { get; init; } = "";

    /// <summary>The status before: stopped, starting, available.</summary>
    public string PreviousStatus { get; init; } = "";

    /// <summary>The status last read: starting, or available after a wait.</summary>
    public string Status { get; init; } = "";

    /// <summary>True when StartDBCluster was called.</summary>
    public bool Started { get; init; }

    /// <summary>True when the command waited for the cluster to become available.</summary>
    public bool Waited { get; init; }

    /// <summary>Whole seconds the wait took (0 without one).</summary>
    public int WaitedSeconds { get; init; }

    public string? Endpoint { get; init; }

    public DateTimeOffset ChangedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{DatabaseCluster}: {PreviousStatus} -> {Status}";
}

/// <summary>
/// Start-DatabaseCluster (runbook 004 "Aurora cluster stopped/paused"): plans StartDBCluster for a stopped cluster (a
/// starting one only needs the wait, an available one nothing), starts it, and with -Wait polls DescribeDBClusters until it
/// is available: over at once when it turns to a status it does not come back from, a timeout error past the time given.
/// </summary>
public sealed class DatabaseClusterStarter
{
    private static int _nextActivityId;

    private readonly AwsFacts _facts;

    public DatabaseClusterStarter(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>
    /// The plan for <paramref name="identifier"/>, or null with the cluster's status when it is available already.
    /// Throws <see cref="DeployOpsException"/> when it does not exist or cannot be started in its status.
    /// </summary>
    public async Task<(DatabaseClusterStartPlan? Plan, RdsDbCluster Cluster)> PlanAsync(string identifier, CancellationToken cancellationToken)
    {
        var cluster = await RequireAsync(identifier, cancellationToken).ConfigureAwait(false);
        return cluster.Status switch
        {
            RdsVocabulary.Available => (null, cluster),
            RdsVocabulary.Stopped or RdsVocabulary.Starting => (new DatabaseClusterStartPlan(cluster.Identifier, cluster.Status), cluster),
            _ => throw new DeployOpsException(new DeployOpsError(ErrorIds.DatabaseClusterNotStartable, DeployOpsErrorKind.InvalidState,
                $"Aurora cluster {identifier} is {cluster.Status}: only a stopped cluster can be started.", identifier)
            {
                RecommendedAction = cluster.Status == RdsVocabulary.Stopping
                    ? $"Wait until it is stopped (aws rds describe-db-clusters --db-cluster-identifier {identifier}), then run Start-DatabaseCluster again."
                    : $"Read why in its events: aws rds describe-events --source-type db-cluster --source-identifier {identifier} --duration 1440",
            }),
        };
    }

    /// <summary>The change for a cluster that was available already (nothing done).</summary>
    public DatabaseClusterChange Unchanged(RdsDbCluster cluster) => Change(cluster.Identifier, cluster.Status, cluster, started: false, waited: null);

    /// <summary>Starts the cluster (when stopped) and, with <paramref name="wait"/>, waits until it is available; the change first, then a wait's error.</summary>
    public async Task<IReadOnlyList<ItemOutcome<object>>> ApplyAsync(DatabaseClusterStartPlan plan, DatabaseWaitSettings? wait, CancellationToken cancellationToken)
    {
        var identifier = plan.DatabaseCluster;
        var cluster = plan.StartNeeded
            ? await ServiceRedeployer.Translated(() => _facts.Session.Client<RdsClient>().StartDbClusterAsync(identifier, cancellationToken), identifier).ConfigureAwait(false)
            : null;
        if (cluster is not null)
        {
            _facts.Observer.Verbose($"Aurora cluster {identifier}: StartDBCluster accepted, status {cluster.Status}.");
        }

        if (wait is null)
        {
            var now = cluster ?? await RequireAsync(identifier, cancellationToken).ConfigureAwait(false);
            return new[] { ItemOutcome<object>.Success(Change(identifier, plan.Status, now, plan.StartNeeded, waited: null)) };
        }

        var (last, elapsed, error) = await WaitAsync(identifier, wait, cancellationToken).ConfigureAwait(false);
        var outcomes = new List<ItemOutcome<object>> { ItemOutcome<object>.Success(Change(identifier, plan.Status, last, plan.StartNeeded, elapsed)) };
        if (error is not null)
        {
            outcomes.Add(ItemOutcome<object>.Failure(error));
        }

        return outcomes;
    }

    private async Task<(RdsDbCluster Last, TimeSpan Elapsed, DeployOpsError? Error)> WaitAsync(string identifier, DatabaseWaitSettings settings, CancellationToken cancellationToken)
    {
        var activity = Interlocked.Increment(ref _nextActivityId);
        var title = $"Waiting for Aurora cluster {identifier} to become available";
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var cluster = await RequireAsync(identifier, cancellationToken).ConfigureAwait(false);
            var remaining = settings.Timeout - clock.Elapsed;
            if (cluster.Status == RdsVocabulary.Available)
            {
                _facts.Observer.Progress(new OperationProgress(activity, title, cluster.Status, 100, 0, Completed: true));
                return (cluster, clock.Elapsed, null);
            }

            if (RdsVocabulary.IsTerminalFailure(cluster.Status))
            {
                _facts.Observer.Progress(new OperationProgress(activity, title, cluster.Status, 100, 0, Completed: true));
                return (cluster, clock.Elapsed, new DeployOpsError(ErrorIds.DatabaseClusterStartFailed, DeployOpsErrorKind.DeploymentFailed,
                    $"Aurora cluster {identifier} turned {cluster.Status} while starting: it will not become available by waiting.", identifier)
                {
                    RecommendedAction = $"Read why in its events: aws rds describe-events --source-type db-cluster --source-identifier {identifier} --duration 60",
                });
            }

            if (remaining <= TimeSpan.Zero)
            {
                _facts.Observer.Progress(new OperationProgress(activity, title, cluster.Status, 100, 0, Completed: true));
                return (cluster, clock.Elapsed, new DeployOpsError(ErrorIds.DatabaseWaitTimedOut, DeployOpsErrorKind.OperationTimeout,
                    $"Aurora cluster {identifier} is still {cluster.Status} after {(int)settings.Timeout.TotalSeconds} s.", identifier)
                {
                    RecommendedAction = $"Wait longer: Start-DatabaseCluster -DatabaseCluster {identifier} -Wait -Timeout {(int)settings.Timeout.TotalSeconds * 2}",
                });
            }

            var percent = (int)Math.Min(99, 100 * clock.Elapsed.TotalSeconds / settings.Timeout.TotalSeconds);
            _facts.Observer.Progress(new OperationProgress(activity, title, cluster.Status, percent, (int)remaining.TotalSeconds));
            var pause = remaining < settings.PollInterval ? remaining : settings.PollInterval;
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<RdsDbCluster> RequireAsync(string identifier, CancellationToken cancellationToken)
    {
        IReadOnlyList<RdsDbCluster> clusters;
        try
        {
            clusters = await ServiceRedeployer.Translated(() => _facts.Session.Client<RdsClient>().DescribeDbClustersAsync(identifier, cancellationToken), identifier)
                .ConfigureAwait(false);
        }
        catch (DeployOpsException ex) when (ex.Error.Kind == DeployOpsErrorKind.NotFound)
        {
            clusters = Array.Empty<RdsDbCluster>();
        }

        return clusters.Count > 0 ? clusters[0] : throw new DeployOpsException(DatabaseConnectivityInspector.NotFound(identifier));
    }

    private DatabaseClusterChange Change(string identifier, string previous, RdsDbCluster now, bool started, TimeSpan? waited) => new()
    {
        DatabaseCluster = identifier,
        PreviousStatus = previous,
        Status = now.Status,
        Started = started,
        Waited = waited is not null,
        WaitedSeconds = waited is { } elapsed ? (int)Math.Round(elapsed.TotalSeconds) : 0,
        Endpoint = now.Endpoint,
        ChangedAt = DateTimeOffset.UtcNow,
        Region = _facts.Session.Region.Name,
        EndpointUrl = _facts.Session.EndpointUrl,
        ProfileName = _facts.Session.ProfileName,
    };
}
