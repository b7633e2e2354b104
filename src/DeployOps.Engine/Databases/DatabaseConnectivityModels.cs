using System;
using DeployOps.Networking;
using DeployOps.Operations;

namespace DeployOps.Databases;

/// <summary>What Test-DatabaseConnectivity checks.</summary>
public sealed record DatabaseConnectivityRequest
{
    /// <summary>The Aurora/RDS cluster identifier; empty when <see cref="DatabaseInstance"/> names the database.</summary>
    public string DatabaseCluster { get; init; } = "";

    /// <summary>The RDS DB instance identifier, or null when <see cref="DatabaseCluster"/> names the database.</summary>
    public string? DatabaseInstance { get; init; }

    /// <summary>Which kind of database the request names (an instance when <see cref="DatabaseInstance"/> is given).</summary>
    public DatabaseKind Kind => DatabaseInstance is null ? DatabaseKind.Cluster : DatabaseKind.Instance;

    /// <summary>The identifier of the database the request names.</summary>
    public string Identifier => DatabaseInstance ?? DatabaseCluster;

    /// <summary>The ECS cluster of the application that uses the database, or null (no application checks).</summary>
    public string? Cluster { get; init; }

    /// <summary>The ECS service of the application, or null.</summary>
    public string? Service { get; init; }

    /// <summary>The variable that holds the application's database URL, in the task definition's environment or secrets.</summary>
    public string Variable { get; init; } = DatabaseConnectivityRequest.DefaultVariable;

    /// <summary>Open a TCP connection to the cluster endpoint from where the command runs.</summary>
    public bool Probe { get; init; }

    /// <summary>How long the probe waits for the connection.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How far back the load figures go (runbook 004 reads the last hour).</summary>
    public TimeSpan MetricWindow { get; init; } = TimeSpan.FromHours(1);

    public const string DefaultVariable = "DATABASE_URL";
}

/// <summary>A database's load over the window, against its limits (about 90 connections per ACU for Aurora Serverless v2, an instance class's default max_connections).</summary>
public sealed class DatabaseLoad
{
    /// <summary>ServerlessDatabaseCapacity's highest value in the window (ACUs); null without datapoints.</summary>
    public double? CapacityMaximum { get; init; }

    /// <summary>The cluster's configured maximum capacity (ACUs), for Serverless v2.</summary>
    public double? MaxCapacity { get; init; }

    public double? CpuAverage { get; init; }

    public double? CpuMaximum { get; init; }

    /// <summary>DatabaseConnections' highest value in the window.</summary>
    public double? ConnectionsMaximum { get; init; }

    /// <summary>About 90 per ACU of the maximum capacity (runbook 004), an instance's default max_connections, or null when unknown.</summary>
    public int? ConnectionLimit { get; init; }

    /// <summary>How <see cref="ConnectionLimit"/> was found, or why it is unknown.</summary>
    public string? ConnectionLimitBasis { get; init; }

    public override string ToString() => FormattableString.Invariant(
        $"capacity {CapacityMaximum?.ToString("0.#") ?? "-"}/{MaxCapacity?.ToString("0.#") ?? "-"} ACU, CPU max {CpuMaximum?.ToString("0.#") ?? "-"}%, connections {ConnectionsMaximum?.ToString("0") ?? "-"}/{ConnectionLimit?.ToString() ?? "-"}");
}

/// <summary>How a TCP connection attempt to an endpoint ended.</summary>
public enum DatabaseProbeOutcome
{
    Connected,
    Refused,
    TimedOut,
    NameNotResolved,
    Failed,
}

/// <summary>The TCP probe of one endpoint, from where the command ran.</summary>
public sealed class DatabaseProbeResult
{
    /// <summary>host:port probed.</summary>
    public string Endpoint { get; init; } = "";

    /// <summary>A <see cref="DatabaseProbeOutcome"/> name.</summary>
    public string Result => OutcomeKind.ToString();

    internal DatabaseProbeOutcome OutcomeKind { get; init; }

    /// <summary>How long the attempt took, in milliseconds.</summary>
    public long Milliseconds { get; init; }

    /// <summary>The socket error's words, when it failed.</summary>
    public string? Detail { get; init; }

    public override string ToString() => $"{Endpoint}: {Result} ({Milliseconds} ms)";
}

/// <summary>
/// Test-DatabaseConnectivity's report (runbook 004 "Cannot connect to Aurora", "Database performance issues"): each check
/// with its evidence and fix, the cluster's endpoints, where the application's endpoint came from (never its value), the
/// load figures and the probe. Pipes into Start-DatabaseCluster by DatabaseCluster, or Start-DatabaseInstance by DatabaseInstance.
/// </summary>
public sealed class DatabaseConnectivityReport
{
    /// <summary>The cluster checked; null for an instance.</summary>
    public string? DatabaseCluster { get; init; }

    /// <summary>The DB instance checked; null for a cluster.</summary>
    public string? DatabaseInstance { get; init; }

    /// <summary>The identifier of the database checked, cluster or instance.</summary>
    public string Database => DatabaseInstance ?? DatabaseCluster ?? "";

    /// <summary>A <see cref="DatabaseKind"/> name: Cluster or Instance.</summary>
    public string Kind => KindOf.ToString();

    internal DatabaseKind KindOf { get; init; }

    /// <summary>RDS's status of the database (cluster or instance): available, stopped, storage-full...</summary>
    public string? DatabaseStatus { get; init; }

    public string? Engine { get; init; }

    /// <summary>A <see cref="HopOutcome"/> name for the whole: Fail when a check fails, Unknown when one could not be judged, else Pass.</summary>
    public string Status => StatusKind.ToString();

    internal HopOutcome StatusKind { get; init; }

    /// <summary>False when some facts could not be read (checks Unknown): the verdict is incomplete.</summary>
    public bool Complete { get; init; } = true;

    /// <summary>RDS's status of the cluster: available, stopped, starting... (null for an instance: see <see cref="DatabaseStatus"/>).</summary>
    public string? ClusterStatus { get; init; }

    /// <summary>The cluster (writer) endpoint, or the instance endpoint.</summary>
    public string? Endpoint { get; init; }

    /// <summary>The cluster's reader endpoint (null for an instance).</summary>
    public string? ReaderEndpoint { get; init; }

    /// <summary>An instance's read replicas, as "identifier: endpoint" (empty for a cluster).</summary>
    public PrintableList<string> ReadReplicas { get; init; } = PrintableList<string>.Empty;

    public int? Port { get; init; }

    /// <summary>host:port the application's database URL names (the value's credentials and options are never read out).</summary>
    public string? ApplicationEndpoint { get; init; }

    /// <summary>Where the application's URL was found: "environment DATABASE_URL of container backend", "secret ... (DATABASE_URL of container backend)".</summary>
    public string? EndpointSource { get; init; }

    /// <summary>The first check that fails, or null.</summary>
    public string? FailingCheck { get; init; }

    public PrintableList<DiagnosticCheck> Checks { get; init; } = PrintableList<DiagnosticCheck>.Empty;

    public DatabaseLoad? Load { get; init; }

    public DatabaseProbeResult? Probe { get; init; }

    public string RecommendedAction { get; init; } = "";

    /// <summary>The ECS cluster of the application, when one was named.</summary>
    public string? Cluster { get; init; }

    public string? Service { get; init; }

    public DateTimeOffset CheckedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{Database}: {Status}" + (FailingCheck is null ? "" : $" ({FailingCheck})");
}
