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
/// Test-DatabaseConnectivity: reads the cluster (RDS), and when an application is named its service, task definition,
/// VPC network and (for a URL kept in Secrets Manager) the secret, in memory only for the host and port; then the cluster's
/// AWS/RDS metrics and, with -Probe, one TCP connection to the cluster endpoint. Hands the facts to
/// <see cref="DatabaseConnectivityClassifier"/>. Calls: DescribeDBClusters, DescribeServices, DescribeTaskDefinition,
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

    /// <summary>The report of one database; throws <see cref="DeployOpsException"/> when the cluster, ECS cluster or service does not exist.</summary>
    public async Task<DatabaseConnectivityReport> InspectAsync(DatabaseConnectivityRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var identifier = request.DatabaseCluster;
        var cluster = await _facts.Databases.ClusterAsync(identifier, cancellationToken).ConfigureAwait(false);
        if (cluster.Absent)
        {
            throw new DeployOpsException(NotFound(identifier));
        }

        var application = request.Service is { } service ? await ApplicationAsync(request.Cluster!, service, cluster, cancellationToken).ConfigureAwait(false) : null;
        var setting = application?.TaskDefinition is { IsRead: true } definition ? await SettingAsync(definition.Value, request.Variable, cancellationToken).ConfigureAwait(false) : null;
        var now = DateTimeOffset.UtcNow;
        var load = cluster.IsRead
            ? await _facts.Metrics.DatabaseClusterAsync(identifier, now - request.MetricWindow, now, 60, cancellationToken).ConfigureAwait(false)
            : null;
        var probe = request.Probe && cluster.IsRead && cluster.Value.Endpoint is { } endpoint
            ? await DatabaseProbe.ConnectAsync(endpoint, cluster.Value.Port ?? 5432, request.ProbeTimeout, cancellationToken).ConfigureAwait(false)
            : null;
        var facts = new DatabaseConnectivityFacts
        {
            DatabaseCluster = identifier,
            Cluster = cluster,
            Application = application,
            Variable = request.Variable,
            Setting = setting,
            Load = load,
            Probe = probe,
        };
        return Report(request, facts);
    }

    /// <summary>DatabaseClusterNotFound for <paramref name="identifier"/>.</summary>
    public static DeployOpsError NotFound(string identifier) =>
        new(ErrorIds.DatabaseClusterNotFound, DeployOpsErrorKind.NotFound, $"RDS cluster '{identifier}' does not exist in this account and region.", identifier)
        {
            RecommendedAction = "Check the identifier and -Region: aws rds describe-db-clusters --query 'DBClusters[].DBClusterIdentifier'",
        };

    /// <summary>Throws <see cref="DeployOpsException"/> for a request that cannot be right, naming the value.</summary>
    public static void Validate(DatabaseConnectivityRequest request)
    {
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

    private async Task<NetworkPathFacts> ApplicationAsync(string ecsCluster, string serviceName, Fact<RdsDbCluster> cluster, CancellationToken cancellationToken)
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
            Database = cluster.IsRead ? new DatabaseTarget(cluster.Value.Identifier, cluster.Value.SecurityGroupIds, cluster.Value.Port ?? 5432, $"RDS cluster {cluster.Value.Identifier}") : null,
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
        var cluster = facts.Cluster.ValueOr(null);
        return new DatabaseConnectivityReport
        {
            DatabaseCluster = facts.DatabaseCluster,
            Engine = cluster?.Engine,
            StatusKind = verdict,
            Complete = checks.All(c => c.OutcomeKind != HopOutcome.Unknown),
            ClusterStatus = cluster?.Status,
            Endpoint = cluster?.Endpoint,
            ReaderEndpoint = cluster?.ReaderEndpoint,
            Port = cluster?.Port,
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
