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
    /// <summary>Whether the identifier names a cluster or an instance.</summary>
    public DatabaseKind Kind { get; init; }

    /// <summary>The identifier asked for.</summary>
    public string Identifier { get; init; } = "";

    /// <summary>The database, cluster or instance: one model the checks read.</summary>
    public Fact<RdsDatabase> Database { get; init; } = Fact<RdsDatabase>.NotFound();

    /// <summary>The application's service and network (for the path check), or null when no service was named.</summary>
    public NetworkPathFacts? Application { get; init; }

    /// <summary>The variable the application's URL is in.</summary>
    public string Variable { get; init; } = DatabaseConnectivityRequest.DefaultVariable;

    /// <summary>Where the variable was found; null when the task definition sets no such variable (or was not read).</summary>
    public ApplicationDatabaseSetting? Setting { get; init; }

    public Fact<DatabaseLoadSeries>? Load { get; init; }

    public DatabaseProbeResult? Probe { get; init; }

    /// <summary>"Aurora cluster X" or "RDS instance X".</summary>
    internal string Named => $"{RdsDatabase.NounOf(Kind)} {Identifier}";
}

/// <summary>
/// The checks of runbook 004 "Cannot connect to Aurora" (database status, the endpoint the application uses, the security
/// group rule on the engine's port) and "Database performance issues" (capacity, CPU, connections against the limit),
/// plus the optional TCP probe, from facts alone, for a cluster or an instance alike (<see cref="RdsDatabase"/>). Pure:
/// the same facts give the same checks.
/// </summary>
public static class DatabaseConnectivityClassifier
{
    public const string ClusterStatusCheck = "Cluster status";
    public const string InstanceStatusCheck = "Instance status";
    public const string ApplicationEndpointCheck = "Application endpoint";
    public const string LoadCheck = "Load";
    public const string ProbeCheck = "TCP probe";

    /// <summary>Aurora Serverless v2 allows about 90 connections per ACU (runbook 004).</summary>
    public const int ConnectionsPerAcu = DatabaseConnectionLimit.ConnectionsPerAcu;

    /// <summary>A share of a limit past which the load check fails (connections, CPU).</summary>
    public const double LoadCeiling = 0.9;

    /// <summary>The name of the status check of a kind: "Cluster status" or "Instance status".</summary>
    public static string StatusCheck(DatabaseKind kind) => kind == DatabaseKind.Cluster ? ClusterStatusCheck : InstanceStatusCheck;

    public static IReadOnlyList<DiagnosticCheck> Classify(DatabaseConnectivityFacts facts) => new[]
    {
        Status(facts),
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

        var (capacity, cpu, connections) = (read.Value.Capacity, read.Value.Cpu, read.Value.Connections);
        if (capacity.IsEmpty && cpu.IsEmpty && connections.IsEmpty)
        {
            return null;
        }

        var database = facts.Database.ValueOr(null);
        var (limit, basis) = database is null ? (null, "the database was not read") : DatabaseConnectionLimit.Of(database);
        return new DatabaseLoad
        {
            CapacityMaximum = capacity.Maximum,
            MaxCapacity = database?.MaxCapacity,
            CpuAverage = cpu.Average,
            CpuMaximum = cpu.Maximum,
            ConnectionsMaximum = connections.Maximum,
            ConnectionLimit = limit,
            ConnectionLimitBasis = basis,
        };
    }

    private static DiagnosticCheck Status(DatabaseConnectivityFacts facts)
    {
        var name = StatusCheck(facts.Kind);
        if (facts.Database.Gap is { } gap)
        {
            return Unknown(name, gap);
        }

        var database = facts.Database.Value;
        var evidence = $"{database.Noun} {database.Identifier} ({database.Engine}) is {database.Status}";
        var events = $"Read why in its events: {database.EventsCli(1440)}";
        return database.Status switch
        {
            RdsVocabulary.Available => Check(name, HopOutcome.Pass, null, evidence),
            RdsVocabulary.Stopped => Check(name, HopOutcome.Fail, $"Start it: {database.StartCommand} ({database.StartCli})", $"{evidence}: nothing answers on its endpoint"),
            RdsVocabulary.Starting => Check(name, HopOutcome.Fail, $"Wait until it is available: {database.StartCommand}", $"{evidence}: connections are refused until it is available"),
            RdsVocabulary.Stopping => Check(name, HopOutcome.Fail,
                $"Someone is stopping it: wait until it is stopped, then {database.StartCommand}", $"{evidence}: it will refuse connections"),
            RdsVocabulary.StorageFull => Check(name, HopOutcome.Fail,
                $"Give it more storage: aws rds modify-db-instance --db-instance-identifier {database.Identifier} --allocated-storage <more GiB> --apply-immediately (or turn on storage autoscaling with --max-allocated-storage)",
                $"{evidence}: its allocated storage is full, so it accepts no writes"),
            { } status when status.StartsWith(RdsVocabulary.IncompatiblePrefix, StringComparison.Ordinal) => Check(name, HopOutcome.Fail,
                $"{events}; then fix the {status.Substring(RdsVocabulary.IncompatiblePrefix.Length)} setting it names (aws rds modify-db-instance, or restore from a snapshot)",
                $"{evidence}: RDS cannot run it with its current {status.Substring(RdsVocabulary.IncompatiblePrefix.Length)} setting"),
            _ => Check(name, HopOutcome.Fail, events, $"{evidence}, not available"),
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

        if (facts.Database.Gap is { } databaseGap)
        {
            return Unknown(ApplicationEndpointCheck, databaseGap);
        }

        var database = facts.Database.Value;
        var uses = $"{setting.Source} names {address}";
        var writer = database.Kind == DatabaseKind.Cluster ? "cluster (writer) endpoint" : "instance endpoint";
        if (database.Readers.FirstOrDefault(r => Same(address.Host, r.Endpoint)) is { } reader)
        {
            return Check(ApplicationEndpointCheck, HopOutcome.Fail, EndpointFix(facts, setting, database),
                $"{uses}: the {reader.Name} of {database.Identifier} (read-only; writes fail), not its {writer} {database.Endpoint}");
        }

        if (!Same(address.Host, database.Endpoint))
        {
            if (database.Readers.FirstOrDefault(r => r.Endpoint is null) is { } unread)
            {
                return Check(ApplicationEndpointCheck, HopOutcome.Unknown, null,
                    $"{uses}: not the {writer} {database.Endpoint} of {database.Identifier}, and the endpoint of its {unread.Name} could not be read");
            }

            var readers = database.Readers.Count == 0 ? "" : ", " + string.Join(", ", database.Readers.Select(r => $"{r.Name} {r.Endpoint}"));
            return Check(ApplicationEndpointCheck, HopOutcome.Fail, EndpointFix(facts, setting, database),
                $"{uses}: no endpoint of {database.Identifier} ({writer} {database.Endpoint}{readers})");
        }

        if (address.Port is { } port && database.Port is { } enginePort && port != enginePort)
        {
            return Check(ApplicationEndpointCheck, HopOutcome.Fail, EndpointFix(facts, setting, database),
                $"{uses}: port {port}, but {database.Identifier} listens on {enginePort}");
        }

        return Check(ApplicationEndpointCheck, HopOutcome.Pass, null, $"{uses}: the {writer} of {database.Identifier}");
    }

    private static string EndpointFix(DatabaseConnectivityFacts facts, ApplicationDatabaseSetting setting, RdsDatabase database)
    {
        var target = $"the {(database.Kind == DatabaseKind.Cluster ? "cluster" : "instance")} endpoint {database.Endpoint}:{database.Port}";
        var service = facts.Application!.Service;
        var redeploy = $"Restart-EcsService -Cluster {facts.Application.Cluster} -Service {service.Name}";
        return setting.SecretId is { } secret
            ? $"Point the URL in secret {secret} at {target} (aws secretsmanager put-secret-value --secret-id {secret} --secret-string <the URL with host {database.Endpoint}>), then {redeploy} (tasks read secrets when they start)"
            : $"Set {setting.Variable} of container {setting.Container} to a URL with host {database.Endpoint} and port {database.Port} in a new task definition revision, and deploy it";
    }

    private static DiagnosticCheck NetworkPath(DatabaseConnectivityFacts facts)
    {
        if (facts.Application is not { } application)
        {
            return Skipped(NetworkPathAnalysis.DatabaseHop, "No application named: give -Cluster and -Service to check its tasks' path to the database");
        }

        if (facts.Database.Gap is { } gap)
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

        var identifier = facts.Identifier;
        if (LoadOf(facts) is not { } load)
        {
            return Skipped(LoadCheck, $"CloudWatch has no AWS/RDS datapoint of {identifier} in the window (a stopped database reports none)");
        }

        var evidence = new List<string> { $"{identifier}: {load}" };
        var fixes = new List<string>();
        var database = facts.Database.ValueOr(null);
        var raise = load.MaxCapacity is { } max
            ? FormattableString.Invariant($"raise its maximum capacity: aws rds modify-db-cluster --db-cluster-identifier {identifier} --serverless-v2-scaling-configuration MinCapacity={database?.MinCapacity ?? 0.5},MaxCapacity={max * 2} (terraform: aurora_max_capacity)")
            : facts.Kind == DatabaseKind.Instance
                ? $"give it a larger instance class: aws rds modify-db-instance --db-instance-identifier {identifier} --db-instance-class <a larger class than {database?.InstanceClass}> --apply-immediately"
                : "give it a larger instance class";
        if (load.ConnectionLimit is not { } limit)
        {
            evidence.Add($"The connection limit is unknown: {load.ConnectionLimitBasis}");
        }
        else if (load.ConnectionsMaximum is { } connections && connections >= limit * LoadCeiling)
        {
            evidence.Add(FormattableString.Invariant($"Connections reached {connections:0} of about {limit} ({load.ConnectionLimitBasis}): the pool is close to exhaustion"));
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
            return Skipped(ProbeCheck, $"Not probed: add -Probe to open a TCP connection to the {(facts.Kind == DatabaseKind.Cluster ? "cluster" : "instance")} endpoint from here");
        }

        var evidence = $"From here, TCP to {probe.Endpoint}: {probe.Result} after {probe.Milliseconds.ToString(CultureInfo.InvariantCulture)} ms" + (probe.Detail is null ? "" : $" ({probe.Detail})");
        var status = facts.Kind == DatabaseKind.Cluster ? "cluster status" : "instance status";
        return probe.OutcomeKind switch
        {
            DatabaseProbeOutcome.Connected => Check(ProbeCheck, HopOutcome.Pass, null, evidence),
            DatabaseProbeOutcome.Refused => Check(ProbeCheck, HopOutcome.Fail,
                $"Nothing listens there: check the {status} and the port, or probe from inside the VPC (a bastion)", evidence),
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
