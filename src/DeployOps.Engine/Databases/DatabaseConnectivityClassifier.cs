using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.Rds;
using DeployOps.Facts;
using DeployOps.Networking;
using DeployOps.Operations;

namespace DeployOps.Databases;

/// <summary>Where the application's database URL was found, and the host and port it names (read; never its value).</summary>
/// <param name="Container">The container whose environment or secrets hold the variable.</param>
/// <param name="SecretId">The Secrets Manager secret (or SSM parameter) the variable comes from, or null for a plain environment value.</param>
/// <param name="Address">The host and port; null inside the fact when the value is none of the forms a database URL takes.</param>
public sealed record ApplicationDatabaseSetting(string Variable, string Container, string? SecretId, Fact<DatabaseAddress?> Address)
{
    /// <summary>As the report says it: "environment DATABASE_URL of container backend", "secret X (DATABASE_URL of container backend)".</summary>
    public string Source => SecretId is null ? $"environment {Variable} of container {Container}" : $"secret {SecretId} ({Variable} of container {Container})";
}

/// <summary>Everything the checks of one database need, each a fact.</summary>
public sealed class DatabaseConnectivityFacts
{
    public string DatabaseCluster { get; init; } = "";

    public Fact<RdsDbCluster> Cluster { get; init; } = Fact<RdsDbCluster>.NotFound();

    /// <summary>The application's service and network (for the path check), or null when no service was named.</summary>
    public NetworkPathFacts? Application { get; init; }

    /// <summary>The variable the application's URL is in.</summary>
    public string Variable { get; init; } = DatabaseConnectivityRequest.DefaultVariable;

    /// <summary>Where the variable was found; null when the task definition sets no such variable (or was not read).</summary>
    public ApplicationDatabaseSetting? Setting { get; init; }

    public Fact<DatabaseClusterLoad>? Load { get; init; }

    public DatabaseProbeResult? Probe { get; init; }
}

/// <summary>
/// The checks of runbook 004 "Cannot connect to Aurora" (cluster status, the endpoint the application uses, the security
/// group rule on the engine's port) and "Database performance issues" (capacity, CPU, connections against about 90 per
/// ACU), plus the optional TCP probe, from facts alone. Pure: the same facts give the same checks.
/// </summary>
public static class DatabaseConnectivityClassifier
{
    public const string ClusterStatusCheck = "Cluster status";
    public const string ApplicationEndpointCheck = "Application endpoint";
    public const string LoadCheck = "Load";
    public const string ProbeCheck = "TCP probe";

    /// <summary>Aurora Serverless v2 allows about 90 connections per ACU (runbook 004).</summary>
    public const int ConnectionsPerAcu = 90;

    /// <summary>A share of a limit past which the load check fails (connections, CPU).</summary>
    public const double LoadCeiling = 0.9;

    public static IReadOnlyList<DiagnosticCheck> Classify(DatabaseConnectivityFacts facts) => new[]
    {
        ClusterStatus(facts),
        ApplicationEndpoint(facts),
        NetworkPath(facts),
        Load(facts),
        Probe(facts),
    };

    /// <summary>The load figures of the facts (null when the metrics were not read or CloudWatch had no datapoint).</summary>
    public static DatabaseLoad? LoadOf(DatabaseConnectivityFacts facts)
    {
        if (facts.Load is not { IsRead: true } read)
        {
            return null;
        }

        var maxCapacity = facts.Cluster.ValueOr(null)?.MaxCapacity;
        var (capacity, cpu, connections) = (read.Value.Capacity, read.Value.Cpu, read.Value.Connections);
        if (capacity.IsEmpty && cpu.IsEmpty && connections.IsEmpty)
        {
            return null;
        }

        return new DatabaseLoad
        {
            CapacityMaximum = read.Value.Capacity.Maximum,
            MaxCapacity = maxCapacity,
            CpuAverage = read.Value.Cpu.Average,
            CpuMaximum = read.Value.Cpu.Maximum,
            ConnectionsMaximum = read.Value.Connections.Maximum,
            ConnectionLimit = maxCapacity is { } acus ? (int)Math.Floor(acus * ConnectionsPerAcu) : null,
        };
    }

    private static DiagnosticCheck ClusterStatus(DatabaseConnectivityFacts facts)
    {
        if (facts.Cluster.Gap is { } gap)
        {
            return Unknown(ClusterStatusCheck, gap);
        }

        var cluster = facts.Cluster.Value;
        var evidence = $"Cluster {cluster.Identifier} ({cluster.Engine}) is {cluster.Status}";
        return cluster.Status switch
        {
            RdsVocabulary.Available => Check(ClusterStatusCheck, HopOutcome.Pass, null, evidence),
            RdsVocabulary.Stopped => Check(ClusterStatusCheck, HopOutcome.Fail,
                $"Start it: Start-DatabaseCluster -DatabaseCluster {cluster.Identifier} -Wait (aws rds start-db-cluster --db-cluster-identifier {cluster.Identifier})",
                $"{evidence}: nothing answers on its endpoints"),
            RdsVocabulary.Starting => Check(ClusterStatusCheck, HopOutcome.Fail,
                $"Wait until it is available: Start-DatabaseCluster -DatabaseCluster {cluster.Identifier} -Wait", $"{evidence}: connections are refused until it is available"),
            _ => Check(ClusterStatusCheck, HopOutcome.Fail,
                $"Read why in its events: aws rds describe-events --source-type db-cluster --source-identifier {cluster.Identifier} --duration 1440", $"{evidence}, not available"),
        };
    }

    private static DiagnosticCheck ApplicationEndpoint(DatabaseConnectivityFacts facts)
    {
        if (facts.Application is not { } application)
        {
            return Skipped(ApplicationEndpointCheck, "No application named: give -Cluster and -Service to check the endpoint its tasks use");
        }

        if (application.TaskDefinition.Gap is { } definitionGap)
        {
            return Unknown(ApplicationEndpointCheck, definitionGap);
        }

        var revision = application.TaskDefinition.IsRead ? $"{application.TaskDefinition.Value.Family}:{application.TaskDefinition.Value.Revision}" : "its task definition";
        if (facts.Setting is not { } setting)
        {
            return Check(ApplicationEndpointCheck, HopOutcome.Fail,
                $"Name the variable that holds the database URL with -Variable, or set {facts.Variable} in {revision}",
                $"{revision} sets no {facts.Variable} in any container's environment or secrets");
        }

        if (setting.Address.Gap is { } secretGap)
        {
            return Unknown(ApplicationEndpointCheck, secretGap);
        }

        if (!setting.Address.IsRead)
        {
            return Check(ApplicationEndpointCheck, HopOutcome.Fail,
                $"Create the secret or point {setting.Variable} at one that exists (aws secretsmanager describe-secret --secret-id {setting.SecretId})",
                $"{setting.Source}: the secret does not exist, so the tasks cannot start with it");
        }

        if (setting.Address.Value is not { } address)
        {
            return Check(ApplicationEndpointCheck, HopOutcome.Unknown, null,
                $"{setting.Source} is not a database URL DeployOps can read (expected scheme://user@host:port/db, Host=...;Port=..., or a JSON secret with host and port)");
        }

        if (facts.Cluster.Gap is { } clusterGap)
        {
            return Unknown(ApplicationEndpointCheck, clusterGap);
        }

        var cluster = facts.Cluster.Value;
        var uses = $"{setting.Source} names {address}";
        if (Same(address.Host, cluster.ReaderEndpoint))
        {
            return Check(ApplicationEndpointCheck, HopOutcome.Fail, EndpointFix(facts, setting, cluster),
                $"{uses}: the reader endpoint of {cluster.Identifier} (read-only; writes fail), not its cluster endpoint {cluster.Endpoint}");
        }

        if (!Same(address.Host, cluster.Endpoint))
        {
            return Check(ApplicationEndpointCheck, HopOutcome.Fail, EndpointFix(facts, setting, cluster),
                $"{uses}: neither endpoint of {cluster.Identifier} (cluster endpoint {cluster.Endpoint}, reader endpoint {cluster.ReaderEndpoint})");
        }

        if (address.Port is { } port && cluster.Port is { } enginePort && port != enginePort)
        {
            return Check(ApplicationEndpointCheck, HopOutcome.Fail, EndpointFix(facts, setting, cluster),
                $"{uses}: port {port}, but {cluster.Identifier} listens on {enginePort}");
        }

        return Check(ApplicationEndpointCheck, HopOutcome.Pass, null, $"{uses}: the cluster (writer) endpoint of {cluster.Identifier}");
    }

    private static string EndpointFix(DatabaseConnectivityFacts facts, ApplicationDatabaseSetting setting, RdsDbCluster cluster)
    {
        var target = $"the cluster endpoint {cluster.Endpoint}:{cluster.Port}";
        var service = facts.Application!.Service;
        var redeploy = $"Restart-EcsService -Cluster {facts.Application.Cluster} -Service {service.Name}";
        return setting.SecretId is { } secret
            ? $"Point the URL in secret {secret} at {target} (aws secretsmanager put-secret-value --secret-id {secret} --secret-string <the URL with host {cluster.Endpoint}>), then {redeploy} (tasks read secrets when they start)"
            : $"Set {setting.Variable} of container {setting.Container} to a URL with host {cluster.Endpoint} and port {cluster.Port} in a new task definition revision, and deploy it";
    }

    private static DiagnosticCheck NetworkPath(DatabaseConnectivityFacts facts)
    {
        if (facts.Application is not { } application)
        {
            return Skipped(NetworkPathAnalysis.DatabaseHop, "No application named: give -Cluster and -Service to check its tasks' path to the database");
        }

        if (facts.Cluster.Gap is { } gap)
        {
            return Unknown(NetworkPathAnalysis.DatabaseHop, gap);
        }

        var hop = NetworkPathAnalysis.Database(application);
        var fix = hop.MissingRule is { } rule
            ? $"{hop.Fix}. Or: Repair-EcsNetworkPath -Cluster {application.Cluster} -Service {application.Service.Name} -DatabaseSecurityGroupId {rule.GroupId} -DatabasePort {rule.Port}"
            : hop.Fix;
        return new DiagnosticCheck { Name = hop.Name, OutcomeKind = hop.OutcomeKind, Evidence = hop.Evidence, Fix = fix };
    }

    private static DiagnosticCheck Load(DatabaseConnectivityFacts facts)
    {
        if (facts.Load is not { } read)
        {
            return Skipped(LoadCheck, "Metrics not read");
        }

        if (read.Gap is { } gap)
        {
            return Unknown(LoadCheck, gap);
        }

        if (LoadOf(facts) is not { } load)
        {
            return Skipped(LoadCheck, $"CloudWatch has no AWS/RDS datapoint of {facts.DatabaseCluster} in the window (a stopped cluster reports none)");
        }

        var evidence = new List<string> { $"{facts.DatabaseCluster}: {load}" };
        var fixes = new List<string>();
        var identifier = facts.DatabaseCluster;
        var raise = load.MaxCapacity is { } max
            ? FormattableString.Invariant($"raise its maximum capacity: aws rds modify-db-cluster --db-cluster-identifier {identifier} --serverless-v2-scaling-configuration MinCapacity={facts.Cluster.ValueOr(null)?.MinCapacity ?? 0.5},MaxCapacity={max * 2} (terraform: aurora_max_capacity)")
            : "give it a larger instance class";
        if (load.ConnectionsMaximum is { } connections && load.ConnectionLimit is { } limit && connections >= limit * LoadCeiling)
        {
            evidence.Add(FormattableString.Invariant($"Connections reached {connections:0} of about {limit} ({ConnectionsPerAcu} per ACU at {load.MaxCapacity:0.#} ACU): the pool is close to exhaustion"));
            fixes.Add($"Lower the application's connection pool size, or {raise}");
        }

        if (load.CpuMaximum is { } cpu && cpu >= 100 * LoadCeiling)
        {
            evidence.Add(FormattableString.Invariant($"CPU reached {cpu:0.#}%"));
            fixes.Add($"Find slow queries (pg_stat_statements) and {raise}");
        }

        if (load.CapacityMaximum is { } capacity && load.MaxCapacity is { } ceiling && capacity >= ceiling && fixes.Count > 0)
        {
            evidence.Add(FormattableString.Invariant($"Capacity is at its maximum of {ceiling:0.#} ACU: it cannot scale further"));
        }

        return fixes.Count == 0
            ? Check(LoadCheck, HopOutcome.Pass, null, evidence.ToArray())
            : Check(LoadCheck, HopOutcome.Fail, string.Join("; ", fixes.Distinct(StringComparer.Ordinal)), evidence.ToArray());
    }

    private static DiagnosticCheck Probe(DatabaseConnectivityFacts facts)
    {
        if (facts.Probe is not { } probe)
        {
            return Skipped(ProbeCheck, "Not probed: add -Probe to open a TCP connection to the cluster endpoint from here");
        }

        var evidence = $"From here, TCP to {probe.Endpoint}: {probe.Result} after {probe.Milliseconds.ToString(CultureInfo.InvariantCulture)} ms" + (probe.Detail is null ? "" : $" ({probe.Detail})");
        return probe.OutcomeKind switch
        {
            DatabaseProbeOutcome.Connected => Check(ProbeCheck, HopOutcome.Pass, null, evidence),
            DatabaseProbeOutcome.Refused => Check(ProbeCheck, HopOutcome.Fail,
                "Nothing listens there: check the cluster status and the port, or probe from inside the VPC (a bastion)", evidence),
            DatabaseProbeOutcome.NameNotResolved => Check(ProbeCheck, HopOutcome.Fail,
                "The endpoint's name does not resolve here: probe from inside the VPC (private DNS), or check the endpoint", evidence),
            _ => Check(ProbeCheck, HopOutcome.Fail,
                "A security group, network ACL or route drops the connection: check the database's inbound rule on its port from where you probe", evidence),
        };
    }

    private static bool Same(string host, string? endpoint) => endpoint is not null && string.Equals(host.TrimEnd('.'), endpoint.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    private static DiagnosticCheck Check(string name, HopOutcome outcome, string? fix, params string[] evidence) => DiagnosticCheck.Of(name, outcome, fix, evidence);

    private static DiagnosticCheck Skipped(string name, string why) => DiagnosticCheck.Skipped(name, why);

    private static DiagnosticCheck Unknown(string name, Gap gap) => DiagnosticCheck.Unknown(name, gap, "Test-DatabaseConnectivity");
}
