using System;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.Rds;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Networking;
using DeployOps.Operations;

namespace DeployOps.Databases;

/// <summary>
/// Test-DatabaseConnectivity: reads the database (RDS: a cluster, or an instance and its read replicas), and when an application is named its service, task definition,
/// VPC network and (for a URL kept in Secrets Manager) the secret, in memory only for the host and port; then the cluster's
/// AWS/RDS metrics and, with -Probe, one TCP connection to its (writer) endpoint. Hands the facts to
/// <see cref="DatabaseConnectivityClassifier"/>. Calls: DescribeDBClusters or DescribeDBInstances, DescribeServices, DescribeTaskDefinition,
/// the VPC's describes (Test-EcsNetworkPath's), GetSecretValue when the URL is a secret, one GetMetricData.
/// </summary>
public sealed class DatabaseConnectivityInspector
{
    private static readonly Regex VariableName = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    private readonly AwsFacts _facts;

    public DatabaseConnectivityInspector(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>
    /// The report of one database; throws <see cref="DeployOpsException"/> when the database, ECS cluster or service does
    /// not exist, or when an instance is a member of an Aurora cluster (checked as its cluster: see <see cref="RdsDatabase.InCluster"/>).
    /// </summary>
    public async Task<DatabaseConnectivityReport> InspectAsync(DatabaseConnectivityRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var (kind, identifier) = (request.Kind, request.Identifier);
        var database = await _facts.Databases.DatabaseAsync(kind, identifier, cancellationToken).ConfigureAwait(false);
        if (database.Absent)
        {
            throw new DeployOpsException(RdsDatabase.NotFound(kind, identifier));
        }

        if (database.IsRead && database.Value.MemberOf is { } memberOf)
        {
            throw new DeployOpsException(RdsDatabase.InCluster(identifier, memberOf, "Test"));
        }

        var application = request.Service is { } service ? await ApplicationAsync(request.Cluster!, service, database, cancellationToken).ConfigureAwait(false) : null;
        var setting = application?.TaskDefinition is { IsRead: true } definition ? await SettingAsync(definition.Value, request.Variable, cancellationToken).ConfigureAwait(false) : null;
        var now = DateTimeOffset.UtcNow;
        var load = database.IsRead
            ? await _facts.Metrics.DatabaseAsync(database.Value, now - request.MetricWindow, now, 60, cancellationToken).ConfigureAwait(false)
            : null;
        var probe = request.Probe && database.IsRead && database.Value.Endpoint is { } endpoint
            ? await DatabaseProbe.ConnectAsync(endpoint, database.Value.Port ?? 5432, request.ProbeTimeout, cancellationToken).ConfigureAwait(false)
            : null;
        var facts = new DatabaseConnectivityFacts
        {
            Kind = kind,
            Identifier = identifier,
            Database = database,
            Application = application,
            Variable = request.Variable,
            Setting = setting,
            Load = load,
            Probe = probe,
        };
        return Report(request, facts);
    }

    /// <summary>DatabaseClusterNotFound for <paramref name="identifier"/>.</summary>
    public static DeployOpsError NotFound(string identifier) => RdsDatabase.NotFound(DatabaseKind.Cluster, identifier);

    /// <summary>Throws <see cref="DeployOpsException"/> for a request that cannot be right, naming the value.</summary>
    public static void Validate(DatabaseConnectivityRequest request)
    {
        if ((request.DatabaseCluster.Length == 0) == (request.DatabaseInstance is null))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.MissingDatabase, DeployOpsErrorKind.InvalidArgument,
                request.DatabaseInstance is null
                    ? "No database named: give -DatabaseCluster (an Aurora/RDS cluster) or -DatabaseInstance (an RDS DB instance)."
                    : $"Both -DatabaseCluster {request.DatabaseCluster} and -DatabaseInstance {request.DatabaseInstance} were given; name one database.",
                request.DatabaseInstance ?? request.DatabaseCluster));
        }

        if (!VariableName.IsMatch(request.Variable))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidDatabaseVariable, DeployOpsErrorKind.InvalidArgument,
                $"'{request.Variable}' is not an environment variable name; expected letters, digits and underscores, e.g. DATABASE_URL.", request.Variable));
        }

        if ((request.Cluster is null) != (request.Service is null))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.MissingService, DeployOpsErrorKind.InvalidArgument,
                $"The application is named by -Cluster and -Service together; only {(request.Cluster is null ? $"-Service {request.Service}" : $"-Cluster {request.Cluster}")} was given.",
                request.Service ?? request.Cluster));
        }
    }

    private async Task<NetworkPathFacts> ApplicationAsync(string ecsCluster, string serviceName, Fact<RdsDatabase> database, CancellationToken cancellationToken)
    {
        var service = await _facts.Services.RequireAsync(ecsCluster, serviceName, cancellationToken).ConfigureAwait(false);
        var definition = _facts.TaskDefinitions.ReadAsync(service.Primary?.TaskDefinition ?? service.TaskDefinition ?? "", cancellationToken);
        var subnets = service.NetworkConfiguration?.Subnets ?? Array.Empty<string>();
        var network = subnets.Count == 0 ? Task.FromResult(new VpcNetwork()) : _facts.Network.ReadVpcAsync(subnets, cancellationToken);
        await Task.WhenAll(definition, network).ConfigureAwait(false);
        return new NetworkPathFacts
        {
            Cluster = AwsArn.LastSegment(ecsCluster),
            Region = _facts.Session.Region.Name,
            Service = service,
            TaskDefinition = definition.Result,
            Network = network.Result,
            Database = database.IsRead ? new DatabaseTarget(database.Value.Identifier, database.Value.SecurityGroupIds, database.Value.Port ?? 5432, $"{(database.Value.Kind == DatabaseKind.Cluster ? "RDS cluster" : "RDS instance")} {database.Value.Identifier}") : null,
        };
    }

    /// <summary>Where <paramref name="variable"/> is set: a container's environment first, then its secrets (the secret read for the host and port only).</summary>
    private async Task<ApplicationDatabaseSetting?> SettingAsync(EcsTaskDefinition definition, string variable, CancellationToken cancellationToken)
    {
        foreach (var container in definition.ContainerDefinitions)
        {
            if (container.Environment.FirstOrDefault(e => e.Name == variable) is { } environment)
            {
                return new ApplicationDatabaseSetting(variable, container.Name, null, Fact<DatabaseAddress?>.Of(DatabaseAddress.Parse(environment.Value)));
            }
        }

        foreach (var container in definition.ContainerDefinitions)
        {
            if (container.Secrets.FirstOrDefault(s => s.Name == variable) is { } secret)
            {
                var (secretId, jsonKey) = SecretReference(secret.ValueFrom);
                var address = secretId is null
                    ? Fact<DatabaseAddress?>.Unread(new Gap($"{variable} of container {container.Name}", $"{secret.ValueFrom} is an SSM parameter; DeployOps reads Secrets Manager secrets only"))
                    : await _facts.Secrets.TakeAsync(secretId, value => jsonKey is null ? DatabaseAddress.Parse(value) : DatabaseAddress.Parse(JsonMember(value, jsonKey)), cancellationToken)
                        .ConfigureAwait(false);
                return new ApplicationDatabaseSetting(variable, container.Name, secretId ?? secret.ValueFrom, address);
            }
        }

        return null;
    }

    /// <summary>
    /// The secret of an ECS <c>valueFrom</c> and the JSON key it selects: <c>arn:aws:secretsmanager:region:account:secret:name[:json-key:stage:version]</c>;
    /// a null secret for an SSM parameter.
    /// </summary>
    internal static (string? SecretId, string? JsonKey) SecretReference(string valueFrom)
    {
        var parts = valueFrom.Split(':');
        if (parts.Length < 7 || parts[0] != "arn" || parts[2] != "secretsmanager")
        {
            return (null, null);
        }

        return (string.Join(":", parts.Take(7)), parts.Length > 7 && parts[7].Length > 0 ? parts[7] : null);
    }

    private static string? JsonMember(string? json, string key)
    {
        try
        {
            using var document = JsonDocument.Parse(json ?? "");
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(key, out var member)
                ? member.ValueKind == JsonValueKind.String ? member.GetString() : member.GetRawText()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private DatabaseConnectivityReport Report(DatabaseConnectivityRequest request, DatabaseConnectivityFacts facts)
    {
        var checks = DatabaseConnectivityClassifier.Classify(facts);
        var verdict = DiagnosticCheck.Verdict(checks);
        var failing = checks.FirstOrDefault(c => c.OutcomeKind == HopOutcome.Fail);
        var action = failing is not null
            ? $"Runbook 004 'Cannot connect to Aurora', check '{failing.Name}': {failing.Fix}"
            : verdict == HopOutcome.Unknown
                ? "Some facts could not be read (checks Unknown): run Test-DatabaseConnectivity again, or allow more attempts with AWS_MAX_ATTEMPTS."
                : "No action needed: every check of the database passes.";
        var redact = _facts.Redactor;
        var database = facts.Database.ValueOr(null);
        return new DatabaseConnectivityReport
        {
            DatabaseCluster = facts.Kind == DatabaseKind.Cluster ? facts.Identifier : null,
            DatabaseInstance = facts.Kind == DatabaseKind.Instance ? facts.Identifier : null,
            KindOf = facts.Kind,
            DatabaseStatus = database?.Status,
            Engine = database?.Engine,
            StatusKind = verdict,
            Complete = checks.All(c => c.OutcomeKind != HopOutcome.Unknown),
            ClusterStatus = facts.Kind == DatabaseKind.Cluster ? database?.Status : null,
            Endpoint = database?.Endpoint,
            ReaderEndpoint = facts.Kind == DatabaseKind.Cluster ? database?.Readers.FirstOrDefault()?.Endpoint : null,
            ReadReplicas = facts.Kind == DatabaseKind.Instance && database is not null
                ? database.Readers.Select(r => $"{r.Name}: {r.Endpoint ?? "(not read)"}").ToPrintableList()
                : PrintableList<string>.Empty,
            Port = database?.Port,
            ApplicationEndpoint = facts.Setting?.Address.ValueOr(null)?.ToString(),
            EndpointSource = facts.Setting?.Source,
            FailingCheck = failing?.Name,
            Checks = checks.Select(c => c.Redacted(redact)).ToPrintableList(),
            Load = DatabaseConnectivityClassifier.LoadOf(facts),
            Probe = facts.Probe,
            RecommendedAction = redact.Redact(action),
            Cluster = facts.Application?.Cluster,
            Service = request.Service,
            CheckedAt = DateTimeOffset.UtcNow,
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
    }
}
