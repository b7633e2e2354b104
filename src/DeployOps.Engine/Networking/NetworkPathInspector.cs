using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.ElasticLoadBalancing;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.Networking;

/// <summary>
/// Test-EcsNetworkPath: reads a service, its task definition, target groups, load balancers and its VPC's network through
/// the fact readers, and hands them to <see cref="NetworkPathAnalysis"/>. Nothing is created: no probe task, no Lambda.
/// Calls: DescribeServices, DescribeTaskDefinition, DescribeTargetGroups and DescribeTargetHealth, DescribeLoadBalancers,
/// DescribeSubnets (the service's, then the VPC's), and one describe per VPC family (security groups, route tables, NAT
/// and internet gateways, endpoints, ACLs), those last ones at once.
/// </summary>
public sealed class NetworkPathInspector
{
    private readonly AwsFacts _facts;

    public NetworkPathInspector(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>The path report of one service; throws <see cref="DeployOpsException"/> when the cluster or service does not exist.</summary>
    public async Task<NetworkPathReport> InspectAsync(NetworkPathRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var service = await _facts.Services.RequireAsync(request.Cluster, request.Service, cancellationToken).ConfigureAwait(false);
        var facts = await ReadAsync(AwsArn.LastSegment(request.Cluster), service, request.Database, cancellationToken).ConfigureAwait(false);
        var hops = NetworkPathAnalysis.Analyze(facts);
        return Report(request, facts, hops);
    }

    /// <summary>Everything the analysis needs about <paramref name="service"/>, read at once where it can be.</summary>
    public async Task<NetworkPathFacts> ReadAsync(string cluster, EcsService service, DatabaseTarget? database, CancellationToken cancellationToken)
    {
        var taskDefinitionArn = service.Primary?.TaskDefinition ?? service.TaskDefinition ?? "";
        var arns = service.LoadBalancers.Select(lb => lb.TargetGroupArn).Where(arn => arn is not null).Select(arn => arn!).Distinct(StringComparer.Ordinal).ToList();
        var taskDefinition = _facts.TaskDefinitions.ReadAsync(taskDefinitionArn, cancellationToken);
        var groups = _facts.TargetGroups.ReadAsync(arns, cancellationToken);
        var subnets = service.NetworkConfiguration?.Subnets ?? Array.Empty<string>();
        var network = subnets.Count == 0 ? Task.FromResult(new VpcNetwork()) : _facts.Network.ReadVpcAsync(subnets, cancellationToken);
        await Task.WhenAll(taskDefinition, groups, network).ConfigureAwait(false);

        var balancerArns = groups.Result.Values.Where(g => g.Group.IsRead).SelectMany(g => g.Group.Value.LoadBalancerArns).Distinct(StringComparer.Ordinal).ToList();
        var balancers = balancerArns.Count == 0
            ? Fact<IReadOnlyList<ElbLoadBalancer>>.Of(Array.Empty<ElbLoadBalancer>())
            : await _facts.Policy.ReadAsync($"load balancers of {service.Name}", () => _facts.Session.LoadBalancing.DescribeLoadBalancersAsync(balancerArns, cancellationToken))
                .ConfigureAwait(false);
        return new NetworkPathFacts
        {
            Cluster = cluster,
            Region = _facts.Session.Region.Name,
            Service = service,
            TaskDefinition = taskDefinition.Result,
            TargetGroups = arns.Select(arn => groups.Result[arn]).ToList(),
            LoadBalancers = balancers,
            Network = network.Result,
            Database = database,
        };
    }

    private NetworkPathReport Report(NetworkPathRequest request, NetworkPathFacts facts, IReadOnlyList<NetworkHop> hops)
    {
        var verdict = NetworkPathAnalysis.Verdict(hops);
        var failing = hops.FirstOrDefault(h => h.OutcomeKind == HopOutcome.Fail);
        var target = $"-Cluster {facts.Cluster} -Service {facts.Service.Name}";
        var action = failing is not null
            ? $"Runbook 000 step 3C, hop '{failing.Name}': {failing.Fix}" +
              (failing.MissingRule is null ? "" : $". To add just that rule: Test-EcsNetworkPath {target} | Repair-EcsNetworkPath")
            : verdict == HopOutcome.Unknown
                ? "Some facts could not be read (hops Unknown): run Test-EcsNetworkPath again, or allow more attempts with AWS_MAX_ATTEMPTS."
                : "No action needed: every hop of the tasks' network path passes.";
        var redact = _facts.Redactor;
        return new NetworkPathReport
        {
            Cluster = facts.Cluster,
            Service = facts.Service.Name,
            Environment = request.Environment,
            TaskDefinition = facts.TaskDefinition.IsRead ? $"{facts.TaskDefinition.Value.Family}:{facts.TaskDefinition.Value.Revision}" : facts.Service.Primary?.TaskDefinition,
            StatusKind = verdict,
            Complete = hops.All(h => h.OutcomeKind != HopOutcome.Unknown),
            FailingHop = failing?.Name,
            Hops = hops.Select(h => Redacted(h, redact)).ToPrintableList(),
            RecommendedAction = redact.Redact(action),
            CheckedAt = DateTimeOffset.UtcNow,
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
    }

    private static NetworkHop Redacted(NetworkHop hop, Redaction.SecretRedactor redactor) => new()
    {
        Name = hop.Name,
        KindValue = hop.KindValue,
        OutcomeKind = hop.OutcomeKind,
        Destination = hop.Destination,
        Route = hop.Route,
        Evidence = hop.Evidence.Select(redactor.Redact).ToPrintableList(),
        Fix = redactor.RedactOptional(hop.Fix),
        MissingRule = hop.MissingRule,
    };

    /// <summary>Throws <see cref="DeployOpsException"/> for a database target that cannot be right, naming the value.</summary>
    public static void Validate(NetworkPathRequest request)
    {
        if (request.Database is not { } database)
        {
            return;
        }

        if (database.Port is < 1 or > 65535)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidDatabasePort, DeployOpsErrorKind.InvalidArgument,
                $"{database.Port} is not a database port; expected a TCP port from 1 to 65535, e.g. 5432 for PostgreSQL or 3306 for MySQL.", database.Port));
        }

        if (database.SecurityGroupIds.Count == 0)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidSecurityGroupId, DeployOpsErrorKind.InvalidArgument,
                $"A database port ({database.Port}) without its security group: give -DatabaseSecurityGroupId too, e.g. sg-0123456789abcdef0 (the database's VpcSecurityGroups).", null));
        }

        if (database.SecurityGroupIds.FirstOrDefault(id => !id.StartsWith("sg-", StringComparison.Ordinal) || id.Length < 4) is { } bad)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidSecurityGroupId, DeployOpsErrorKind.InvalidArgument,
                $"'{bad}' is not a security group id; expected sg- and hex digits, e.g. sg-0123456789abcdef0 (the database's VpcSecurityGroups).", bad));
        }
    }
}
