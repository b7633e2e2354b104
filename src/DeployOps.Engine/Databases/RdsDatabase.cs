using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using DeployOps.Aws.Rds;
using DeployOps.Errors;

namespace DeployOps.Databases;

/// <summary>What RDS calls the database DeployOps checks or starts: an Aurora/RDS DB cluster or an RDS DB instance.</summary>
public enum DatabaseKind
{
    Cluster,
    Instance,
}

/// <summary>A read-only endpoint of a database: a cluster's reader endpoint, or a read replica of an instance (null endpoint: not read).</summary>
public sealed record DatabaseReader(string Name, string? Endpoint);

/// <summary>
/// "The database" as Test-DatabaseConnectivity's checks and the starter read it, whether RDS keeps it as a DB cluster or
/// a DB instance: its status, the endpoint writes go to, its read-only endpoints, port, security groups and what bounds
/// its connections. The kind's words (the noun, the start command, the event source type) live here, once.
/// </summary>
public sealed record RdsDatabase
{
    public DatabaseKind Kind { get; init; }

    public string Identifier { get; init; } = "";

    public string? Engine { get; init; }

    /// <summary>RDS's status: available, stopped, starting, storage-full, incompatible-network...</summary>
    public string Status { get; init; } = "";

    /// <summary>Where writes go: the cluster (writer) endpoint, or the instance endpoint.</summary>
    public string? Endpoint { get; init; }

    public int? Port { get; init; }

    public IReadOnlyList<string> SecurityGroupIds { get; init; } = Array.Empty<string>();

    /// <summary>The read-only endpoints: a cluster's reader endpoint, an instance's read replicas.</summary>
    public IReadOnlyList<DatabaseReader> Readers { get; init; } = Array.Empty<DatabaseReader>();

    /// <summary>Serverless v2's capacity range (ACUs), for a cluster.</summary>
    public double? MinCapacity { get; init; }

    public double? MaxCapacity { get; init; }

    /// <summary>The DB instance class, for an instance (db.t3.micro, db.serverless...).</summary>
    public string? InstanceClass { get; init; }

    /// <summary>The Aurora cluster an instance belongs to, or null.</summary>
    public string? MemberOf { get; init; }

    /// <summary>"Aurora cluster" or "RDS instance", as messages name it.</summary>
    public string Noun => NounOf(Kind);

    /// <summary>The parameter that names it: -DatabaseCluster or -DatabaseInstance.</summary>
    public string Parameter => ParameterOf(Kind);

    /// <summary>RDS's event source type: db-cluster or db-instance.</summary>
    public string EventSourceType => Kind == DatabaseKind.Cluster ? "db-cluster" : "db-instance";

    /// <summary>The cmdlet that starts it, with its identifier and -Wait.</summary>
    public string StartCommand => $"{StartCmdlet(Kind)} {Parameter} {Identifier} -Wait";

    /// <summary>The aws CLI that starts it.</summary>
    public string StartCli => Kind == DatabaseKind.Cluster
        ? $"aws rds start-db-cluster --db-cluster-identifier {Identifier}"
        : $"aws rds start-db-instance --db-instance-identifier {Identifier}";

    /// <summary>The aws CLI that describes it.</summary>
    public string DescribeCli => Kind == DatabaseKind.Cluster
        ? $"aws rds describe-db-clusters --db-cluster-identifier {Identifier}"
        : $"aws rds describe-db-instances --db-instance-identifier {Identifier}";

    /// <summary>The aws CLI that lists its recent events.</summary>
    public string EventsCli(int minutes) =>
        $"aws rds describe-events --source-type {EventSourceType} --source-identifier {Identifier} --duration {minutes.ToString(CultureInfo.InvariantCulture)}";

    public static string NounOf(DatabaseKind kind) => kind == DatabaseKind.Cluster ? "Aurora cluster" : "RDS instance";

    public static string ParameterOf(DatabaseKind kind) => kind == DatabaseKind.Cluster ? "-DatabaseCluster" : "-DatabaseInstance";

    public static string StartCmdlet(DatabaseKind kind) => kind == DatabaseKind.Cluster ? "Start-DatabaseCluster" : "Start-DatabaseInstance";

    /// <summary>A cluster as DescribeDBClusters answers it.</summary>
    public static RdsDatabase Of(RdsDbCluster cluster) => new()
    {
        Kind = DatabaseKind.Cluster,
        Identifier = cluster.Identifier,
        Engine = cluster.Engine,
        Status = cluster.Status,
        Endpoint = cluster.Endpoint,
        Port = cluster.Port,
        SecurityGroupIds = cluster.SecurityGroupIds,
        Readers = cluster.ReaderEndpoint is { } reader ? new[] { new DatabaseReader("reader endpoint", reader) } : Array.Empty<DatabaseReader>(),
        MinCapacity = cluster.MinCapacity,
        MaxCapacity = cluster.MaxCapacity,
    };

    /// <summary>An instance as DescribeDBInstances answers it, with the endpoints of its read replicas (null where not read).</summary>
    public static RdsDatabase Of(RdsDbInstance instance, IReadOnlyList<DatabaseReader> replicas) => new()
    {
        Kind = DatabaseKind.Instance,
        Identifier = instance.Identifier,
        Engine = instance.Engine,
        Status = instance.Status,
        Endpoint = instance.EndpointAddress,
        Port = instance.Port,
        SecurityGroupIds = instance.SecurityGroupIds,
        Readers = replicas,
        InstanceClass = instance.InstanceClass,
        MemberOf = instance.ClusterIdentifier,
    };

    /// <summary>DatabaseClusterNotFound or DatabaseInstanceNotFound for <paramref name="identifier"/>.</summary>
    public static DeployOpsError NotFound(DatabaseKind kind, string identifier) => kind == DatabaseKind.Cluster
        ? new(ErrorIds.DatabaseClusterNotFound, DeployOpsErrorKind.NotFound, $"RDS cluster '{identifier}' does not exist in this account and region.", identifier)
        {
            RecommendedAction = "Check the identifier and -Region: aws rds describe-db-clusters --query 'DBClusters[].DBClusterIdentifier'",
        }
        : new(ErrorIds.DatabaseInstanceNotFound, DeployOpsErrorKind.NotFound, $"RDS instance '{identifier}' does not exist in this account and region.", identifier)
        {
            RecommendedAction = "Check the identifier and -Region: aws rds describe-db-instances --query 'DBInstances[].DBInstanceIdentifier'",
        };

    /// <summary>
    /// DatabaseInstanceInCluster: an Aurora instance is checked and started as its cluster (its connections, endpoints,
    /// capacity and StartDBCluster are the cluster's; RDS refuses StartDBInstance for it).
    /// </summary>
    public static DeployOpsError InCluster(string instance, string cluster, string verb) =>
        new(ErrorIds.DatabaseInstanceInCluster, DeployOpsErrorKind.InvalidArgument,
            $"RDS instance '{instance}' is a member of Aurora cluster '{cluster}': its endpoints, load and start are the cluster's.", instance)
        {
            RecommendedAction = $"{verb} the cluster: {(verb == "Start" ? "Start-DatabaseCluster" : "Test-DatabaseConnectivity")} -DatabaseCluster {cluster}",
        };
}

/// <summary>
/// How many connections a database accepts by default, where that is known: Aurora Serverless v2 about 90 per ACU of its
/// maximum capacity (runbook 004); an RDS instance its engine's default <c>max_connections</c> formula over the instance
/// class's memory (PostgreSQL LEAST(DBInstanceClassMemory/9531392, 5000), MySQL and MariaDB DBInstanceClassMemory/12582880).
/// RDS reserves some of the class's memory, so the figure is an upper estimate; an engine or class not known here has no
/// limit (null), never an invented one.
/// </summary>
public static class DatabaseConnectionLimit
{
    /// <summary>Aurora Serverless v2 allows about 90 connections per ACU (runbook 004).</summary>
    public const int ConnectionsPerAcu = 90;

    private const double GiB = 1024d * 1024 * 1024;

    private static readonly Regex InstanceClass = new(@"^db\.(?<family>[a-z]+)(?<generation>\d+)[a-z]*\.(?<size>micro|small|medium|large|xlarge|(?<n>\d+)xlarge)$", RegexOptions.CultureInvariant);

    /// <summary>The limit and how it was found, or a null limit with the reason it is unknown.</summary>
    public static (int? Limit, string Basis) Of(RdsDatabase database)
    {
        if (database.Kind == DatabaseKind.Cluster)
        {
            return database.MaxCapacity is { } acus
                ? ((int)Math.Floor(acus * ConnectionsPerAcu), FormattableString.Invariant($"{ConnectionsPerAcu} per ACU at {acus:0.#} ACU"))
                : (null, "no Serverless v2 maximum capacity to count from");
        }

        var engine = database.Engine ?? "";
        var divisor = engine.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) ? 9531392d
            : engine.StartsWith("mysql", StringComparison.OrdinalIgnoreCase) || engine.StartsWith("mariadb", StringComparison.OrdinalIgnoreCase) ? 12582880d
            : (double?)null;
        if (divisor is null)
        {
            return (null, $"the default max_connections of engine {(engine.Length == 0 ? "(unknown)" : engine)} is not known to DeployOps; read it with SHOW max_connections");
        }

        if (MemoryGiB(database.InstanceClass) is not { } memory)
        {
            return (null, $"the memory of instance class {database.InstanceClass ?? "(unknown)"} is not known to DeployOps; read max_connections from its parameter group");
        }

        var limit = (int)Math.Floor(memory * GiB / divisor.Value);
        if (engine.StartsWith("postgres", StringComparison.OrdinalIgnoreCase))
        {
            limit = Math.Min(limit, 5000);
        }

        return (limit, FormattableString.Invariant($"{engine}'s default max_connections on {database.InstanceClass} ({memory:0.#} GiB), at most"));
    }

    /// <summary>The memory of the burstable (t), general-purpose (m) and memory-optimised (r) classes, in GiB; null for others.</summary>
    public static double? MemoryGiB(string? instanceClass)
    {
        if (instanceClass is null || InstanceClass.Match(instanceClass) is not { Success: true } match)
        {
            return null;
        }

        var size = match.Groups["size"].Value;
        var family = match.Groups["family"].Value;
        if (family == "t")
        {
            return size switch
            {
                "micro" => 1,
                "small" => 2,
                "medium" => 4,
                "large" => 8,
                "xlarge" => 16,
                "2xlarge" => 32,
                _ => null,
            };
        }

        // large is the unit; xlarge twice it; Nxlarge 2N times (m: 8 GiB per unit, r: 16).
        double? units = size switch
        {
            "large" => 1,
            "xlarge" => 2,
            _ when match.Groups["n"].Success => 2 * int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture),
            _ => null,
        };
        return family switch
        {
            "m" => units * 8,
            "r" => units * 16,
            _ => null,
        };
    }
}
