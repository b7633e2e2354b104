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

/// <summary>Starting a stopped cluster or instance: what Start-DatabaseCluster's and Start-DatabaseInstance's ShouldProcess shows.</summary>
public sealed record DatabaseStartPlan(DatabaseKind Kind, string Identifier, string Status) : IChangePlan
{
    /// <summary>True when the database is stopped (StartDBCluster/StartDBInstance is called); false when it is starting already (only a wait).</summary>
    public bool StartNeeded => Status == RdsVocabulary.Stopped;

    public string ShouldProcessTarget => $"{RdsDatabase.NounOf(Kind)} {Identifier} ({Status})";

    public string ShouldProcessAction => Kind == DatabaseKind.Cluster ? "Start the cluster (StartDBCluster)" : "Start the instance (StartDBInstance)";
}

/// <summary>How long to wait for a database to become available, and how often to look.</summary>
public sealed record DatabaseWaitSettings(TimeSpan Timeout, TimeSpan PollInterval)
{
    public static DatabaseWaitSettings Default { get; } = new(TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(5));
}

/// <summary>What a start did to a database, and the status it was left in (<see cref="DatabaseClusterChange"/>, <see cref="DatabaseInstanceChange"/>).</summary>
public abstract record DatabaseChange
{
    private protected DatabaseChange()
    {
    }

    /// <summary>The identifier of the cluster or instance.</summary>
    public abstract string Database { get; }

    /// <summary>The status before: stopped, starting, available.</summary>
    public string PreviousStatus { get; init; } = "";

    /// <summary>The status last read: starting, or available after a wait.</summary>
    public string Status { get; init; } = "";

    /// <summary>True when StartDBCluster/StartDBInstance was called.</summary>
    public bool Started { get; init; }

    /// <summary>True when the command waited for the database to become available.</summary>
    public bool Waited { get; init; }

    /// <summary>Whole seconds the wait took (0 without one).</summary>
    public int WaitedSeconds { get; init; }

    public string? Endpoint { get; init; }

    public DateTimeOffset ChangedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public sealed override string ToString() => $"{Database}: {PreviousStatus} -> {Status}";
}

/// <summary>What Start-DatabaseCluster did to a cluster, and the status it was left in.</summary>
public sealed record DatabaseClusterChange : DatabaseChange
{
    public string DatabaseCluster { get; init; } = "";

    public override string Database => DatabaseCluster;
}

/// <summary>What Start-DatabaseInstance did to an RDS DB instance, and the status it was left in.</summary>
public sealed record DatabaseInstanceChange : DatabaseChange
{
    public string DatabaseInstance { get; init; } = "";

    public override string Database => DatabaseInstance;
}

/// <summary>
/// Start-DatabaseCluster and Start-DatabaseInstance (runbook 004 "Aurora cluster stopped/paused", and a stopped RDS
/// instance): plans StartDBCluster/StartDBInstance for a stopped database (a starting one only needs the wait, an
/// available one nothing), starts it, and with -Wait polls DescribeDBClusters/DescribeDBInstances until it is available:
/// over at once when it turns to a status it does not come back from, a timeout error past the time given.
/// </summary>
public sealed class DatabaseStarter
{
    private static int _nextActivityId;

    private readonly AwsFacts _facts;

    public DatabaseStarter(AwsFacts facts)
    {
        _facts = facts;
    }

    private RdsClient Client => _facts.Session.Client<RdsClient>();

    /// <summary>
    /// The plan for the database, or null with the database when it is available already. Throws
    /// <see cref="DeployOpsException"/> when it does not exist, cannot be started in its status, or is an Aurora cluster's instance.
    /// </summary>
    public async Task<(DatabaseStartPlan? Plan, RdsDatabase Database)> PlanAsync(DatabaseKind kind, string identifier, CancellationToken cancellationToken)
    {
        var database = await RequireAsync(kind, identifier, cancellationToken).ConfigureAwait(false);
        if (database.MemberOf is { } cluster)
        {
            throw new DeployOpsException(RdsDatabase.InCluster(identifier, cluster, "Start"));
        }

        return database.Status switch
        {
            RdsVocabulary.Available => (null, database),
            RdsVocabulary.Stopped or RdsVocabulary.Starting => (new DatabaseStartPlan(kind, database.Identifier, database.Status), database),
            _ => throw new DeployOpsException(new DeployOpsError(kind == DatabaseKind.Cluster ? ErrorIds.DatabaseClusterNotStartable : ErrorIds.DatabaseInstanceNotStartable,
                DeployOpsErrorKind.InvalidState, $"{database.Noun} {identifier} is {database.Status}: only a stopped {(kind == DatabaseKind.Cluster ? "cluster" : "instance")} can be started.", identifier)
            {
                RecommendedAction = database.Status == RdsVocabulary.Stopping
                    ? $"Wait until it is stopped ({database.DescribeCli}), then run {RdsDatabase.StartCmdlet(kind)} again."
                    : $"Read why in its events: {database.EventsCli(1440)}",
            }),
        };
    }

    /// <summary>The change for a database that was available already (nothing done).</summary>
    public DatabaseChange Unchanged(RdsDatabase database) => Change(database.Kind, database.Identifier, database.Status, database, started: false, waited: null);

    /// <summary>Starts the database (when stopped) and, with <paramref name="wait"/>, waits until it is available; the change first, then a wait's error.</summary>
    public async Task<IReadOnlyList<ItemOutcome<object>>> ApplyAsync(DatabaseStartPlan plan, DatabaseWaitSettings? wait, CancellationToken cancellationToken)
    {
        var (kind, identifier) = (plan.Kind, plan.Identifier);
        var started = plan.StartNeeded ? await ServiceRedeployer.Translated(() => StartAsync(kind, identifier, cancellationToken), identifier).ConfigureAwait(false) : null;
        if (started is not null)
        {
            _facts.Observer.Verbose($"{started.Noun} {identifier}: {(kind == DatabaseKind.Cluster ? "StartDBCluster" : "StartDBInstance")} accepted, status {started.Status}.");
        }

        if (wait is null)
        {
            var now = started ?? await RequireAsync(kind, identifier, cancellationToken).ConfigureAwait(false);
            return new[] { ItemOutcome<object>.Success(Change(kind, identifier, plan.Status, now, plan.StartNeeded, waited: null)) };
        }

        var (last, elapsed, error) = await WaitAsync(kind, identifier, wait, cancellationToken).ConfigureAwait(false);
        var outcomes = new List<ItemOutcome<object>> { ItemOutcome<object>.Success(Change(kind, identifier, plan.Status, last, plan.StartNeeded, elapsed)) };
        if (error is not null)
        {
            outcomes.Add(ItemOutcome<object>.Failure(error));
        }

        return outcomes;
    }

    private async Task<RdsDatabase> StartAsync(DatabaseKind kind, string identifier, CancellationToken cancellationToken) => kind == DatabaseKind.Cluster
        ? RdsDatabase.Of(await Client.StartDbClusterAsync(identifier, cancellationToken).ConfigureAwait(false))
        : RdsDatabase.Of(await Client.StartDbInstanceAsync(identifier, cancellationToken).ConfigureAwait(false), Array.Empty<DatabaseReader>());

    private async Task<(RdsDatabase Last, TimeSpan Elapsed, DeployOpsError? Error)> WaitAsync(DatabaseKind kind, string identifier, DatabaseWaitSettings settings, CancellationToken cancellationToken)
    {
        var activity = Interlocked.Increment(ref _nextActivityId);
        var noun = RdsDatabase.NounOf(kind);
        var title = $"Waiting for {noun} {identifier} to become available";
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var database = await RequireAsync(kind, identifier, cancellationToken).ConfigureAwait(false);
            var remaining = settings.Timeout - clock.Elapsed;
            if (database.Status == RdsVocabulary.Available)
            {
                _facts.Observer.Progress(new OperationProgress(activity, title, database.Status, 100, 0, Completed: true));
                return (database, clock.Elapsed, null);
            }

            if (RdsVocabulary.IsTerminalFailure(database.Status))
            {
                _facts.Observer.Progress(new OperationProgress(activity, title, database.Status, 100, 0, Completed: true));
                return (database, clock.Elapsed, new DeployOpsError(kind == DatabaseKind.Cluster ? ErrorIds.DatabaseClusterStartFailed : ErrorIds.DatabaseInstanceStartFailed,
                    DeployOpsErrorKind.DeploymentFailed, $"{noun} {identifier} turned {database.Status} while starting: it will not become available by waiting.", identifier)
                {
                    RecommendedAction = $"Read why in its events: {database.EventsCli(60)}",
                });
            }

            if (remaining <= TimeSpan.Zero)
            {
                _facts.Observer.Progress(new OperationProgress(activity, title, database.Status, 100, 0, Completed: true));
                return (database, clock.Elapsed, new DeployOpsError(ErrorIds.DatabaseWaitTimedOut, DeployOpsErrorKind.OperationTimeout,
                    $"{noun} {identifier} is still {database.Status} after {(int)settings.Timeout.TotalSeconds} s.", identifier)
                {
                    RecommendedAction = $"Wait longer: {RdsDatabase.StartCmdlet(kind)} {RdsDatabase.ParameterOf(kind)} {identifier} -Wait -Timeout {(int)settings.Timeout.TotalSeconds * 2}",
                });
            }

            var percent = (int)Math.Min(99, 100 * clock.Elapsed.TotalSeconds / settings.Timeout.TotalSeconds);
            _facts.Observer.Progress(new OperationProgress(activity, title, database.Status, percent, (int)remaining.TotalSeconds));
            var pause = remaining < settings.PollInterval ? remaining : settings.PollInterval;
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The database as RDS describes it now; DatabaseClusterNotFound/DatabaseInstanceNotFound when it does not exist, any other failure propagated.</summary>
    private async Task<RdsDatabase> RequireAsync(DatabaseKind kind, string identifier, CancellationToken cancellationToken)
    {
        RdsDatabase? found;
        try
        {
            found = await ServiceRedeployer.Translated<RdsDatabase?>(async () => kind == DatabaseKind.Cluster
                ? await Client.DescribeDbClustersAsync(identifier, cancellationToken).ConfigureAwait(false) is { Count: > 0 } clusters ? RdsDatabase.Of(clusters[0]) : null
                : await Client.DescribeDbInstancesAsync(identifier, cancellationToken).ConfigureAwait(false) is { Count: > 0 } instances ? RdsDatabase.Of(instances[0], Array.Empty<DatabaseReader>()) : null,
                identifier).ConfigureAwait(false);
        }
        catch (DeployOpsException ex) when (ex.Error.Kind == DeployOpsErrorKind.NotFound)
        {
            found = null;
        }

        return found ?? throw new DeployOpsException(RdsDatabase.NotFound(kind, identifier));
    }

    private DatabaseChange Change(DatabaseKind kind, string identifier, string previous, RdsDatabase now, bool started, TimeSpan? waited)
    {
        DatabaseChange named = kind == DatabaseKind.Cluster ? new DatabaseClusterChange { DatabaseCluster = identifier } : new DatabaseInstanceChange { DatabaseInstance = identifier };
        return named with
        {
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
}
