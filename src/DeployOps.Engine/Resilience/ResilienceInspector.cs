using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.Resilience;

/// <summary>One service's resilience findings (Test-DeploymentResilience).</summary>
public sealed class ResilienceReport
{
    /// <summary>The platform: ECS, or Lightsail (a container service, which has no cluster).</summary>
    public string Platform { get; init; } = EcsPlatform;

    /// <summary>The ECS cluster; empty for a Lightsail container service.</summary>
    public string Cluster { get; init; } = "";

    /// <summary>The ECS service or the Lightsail container service.</summary>
    public string Service { get; init; } = "";

    public string? Environment { get; init; }

    /// <summary>The worst finding: Fail, then Warning, then Unknown, else Pass.</summary>
    public string Status => StatusKind.ToString();

    internal FindingOutcome StatusKind { get; init; }

    public PrintableList<ResilienceFinding> Findings { get; init; } = PrintableList<ResilienceFinding>.Empty;

    public DateTimeOffset CheckedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public const string EcsPlatform = "ECS";
    public const string LightsailPlatform = "Lightsail";

    /// <summary>What the report is about: cluster/service, or "Lightsail service".</summary>
    public string Target => Platform == LightsailPlatform ? $"{LightsailPlatform} {Service}" : $"{Cluster}/{Service}";

    public override string ToString() => $"{Target}: {Status}";
}

/// <summary>What Test-DeploymentResilience checks.</summary>
public sealed record ResilienceRequest
{
    public string Cluster { get; init; } = "";

    public string Service { get; init; } = "";

    /// <summary>The log line that says the application is ready (a regular expression); by default common "listening" lines.</summary>
    public string? ReadyPattern { get; init; }

    /// <summary>The application's deep health path, when configured: a health check on any other path only checks liveness.</summary>
    public string? ReadyPath { get; init; }

    public string? Environment { get; init; }
}

/// <summary>
/// Test-DeploymentResilience for an ECS service: reads the service, its subnets, target groups (and their deregistration
/// delay), task definition, and the newest running task's log (when it became ready), then hands platform-neutral facts
/// to <see cref="ResilienceClassifier"/>.
/// </summary>
public sealed class ResilienceInspector
{
    /// <summary>Lines applications log when they can serve: gunicorn, Node, Nest, uvicorn, Spring, Go servers.</summary>
    public const string DefaultReadyPattern = @"(?i)listening (on|at)|application startup complete|successfully started|started \w+ in \d|ready to accept|running on https?://";

    private readonly AwsFacts _facts;

    public ResilienceInspector(AwsFacts facts)
    {
        _facts = facts;
    }

    public async Task<ResilienceReport> InspectAsync(ResilienceRequest request, CancellationToken cancellationToken)
    {
        var ready = ReadyRegex(request.ReadyPattern);
        var cluster = AwsArn.LastSegment(request.Cluster);
        var service = await _facts.Services.RequireAsync(cluster, request.Service, cancellationToken).ConfigureAwait(false);
        var subnetIds = service.NetworkConfiguration?.Subnets ?? Array.Empty<string>();
        var arns = service.LoadBalancers.Select(lb => lb.TargetGroupArn).Where(a => a is not null).Select(a => a!).Distinct(StringComparer.Ordinal).ToList();
        var subnets = subnetIds.Count == 0
            ? Task.FromResult(Fact<IReadOnlyList<Aws.Ec2.Ec2Subnet>>.Of(Array.Empty<Aws.Ec2.Ec2Subnet>()))
            : _facts.Policy.ReadAsync($"subnets of {service.Name}", () => _facts.Session.Ec2.DescribeSubnetsAsync(subnetIds, cancellationToken));
        var groups = _facts.TargetGroups.ReadAsync(arns, cancellationToken);
        var delays = Task.WhenAll(arns.Select(arn => _facts.Policy.ReadAsync($"attributes of target group {AwsArn.TargetGroupName(arn)}",
            () => _facts.Session.LoadBalancing.DescribeTargetGroupAttributesAsync(arn, cancellationToken))));
        var definition = _facts.TaskDefinitions.ReadAsync(service.Primary?.TaskDefinition ?? service.TaskDefinition ?? "", cancellationToken);
        var startup = ObserveStartupAsync(cluster, service, ready, cancellationToken);
        await Task.WhenAll(subnets, groups, delays, definition, startup).ConfigureAwait(false);

        var read = groups.Result.Values.Select(g => g.Group.ValueOr(null)).Where(g => g is not null).Select(g => g!).ToList();
        var delay = delays.Result.Where(d => d.IsRead && d.Value.ContainsKey("deregistration_delay.timeout_seconds"))
            .Select(d => int.Parse(d.Value["deregistration_delay.timeout_seconds"], NumberStyles.Integer, CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max();
        var configuration = service.DeploymentConfiguration;
        var target = $"--cluster {cluster} --service {service.Name}";
        var facts = new ResilienceFacts
        {
            DesiredCount = service.DesiredCount,
            MinimumHealthyPercent = configuration?.MinimumHealthyPercent ?? 100,
            MaximumPercent = configuration?.MaximumPercent ?? 200,
            CircuitBreakerEnabled = configuration?.CircuitBreakerEnabled ?? false,
            CircuitBreakerRollback = configuration?.CircuitBreakerRollback ?? false,
            AvailabilityZones = subnets.Result.IsRead ? subnets.Result.Value.Select(s => s.AvailabilityZone ?? "").Where(z => z.Length > 0).ToList() : null,
            LoadBalanced = arns.Count > 0,
            HealthCheckGracePeriodSeconds = arns.Count > 0 ? service.HealthCheckGracePeriodSeconds ?? 0 : null,
            ObservedStartupSeconds = startup.Result.Seconds,
            StartupObservedIn = startup.Result.Where,
            HealthCheckIntervalSeconds = read.Select(g => g.HealthCheck.IntervalSeconds).FirstOrDefault(i => i is not null),
            UnhealthyThreshold = read.Select(g => g.HealthCheck.UnhealthyThresholdCount).FirstOrDefault(i => i is not null),
            HealthCheckPaths = read.Select(g => g.HealthCheck.Path ?? "/").Distinct(StringComparer.Ordinal).ToList(),
            ReadyPath = request.ReadyPath,
            ContainerHealthCheck = definition.Result.IsRead ? definition.Result.Value.ContainerDefinitions.Where(c => c.Essential).Any(c => c.HealthCheck is not null) : null,
            DeregistrationDelaySeconds = delay >= 0 ? delay : null,
            Fixes = new ResilienceFixes
            {
                CircuitBreaker = $"aws ecs update-service {target} --deployment-configuration 'deploymentCircuitBreaker={{enable=true,rollback=true}}'",
                DeploymentPercents = $"aws ecs update-service {target} --deployment-configuration minimumHealthyPercent=50,maximumPercent=200",
                DesiredCount = $"aws ecs update-service {target} --desired-count 2",
                AvailabilityZones = $"Give the service subnets in two or more availability zones: aws ecs update-service {target} --network-configuration 'awsvpcConfiguration={{subnets=[...]}}'",
                GracePeriod = $"aws ecs update-service {target} --health-check-grace-period-seconds {GraceFor(startup.Result.Seconds)}",
                HealthCheckPath = $"Check a path that exercises the application's dependencies: aws elbv2 modify-target-group --target-group-arn {arns.FirstOrDefault()} --health-check-path <deep path> " +
                                  "(Repair-TargetGroupHealthCheck -HealthCheckPath ... -Redeploy)",
                ContainerHealthCheck = "Add a healthCheck (command, interval, timeout, retries, startPeriod) to the essential container in a new task definition revision, then deploy it",
                DeregistrationDelay = $"aws elbv2 modify-target-group-attributes --target-group-arn {arns.FirstOrDefault()} --attributes Key=deregistration_delay.timeout_seconds,Value=30",
            },
        };
        var findings = ResilienceClassifier.Classify(facts);
        foreach (var gap in new[] { subnets.Result.Gap, definition.Result.Gap }.Concat(groups.Result.Values.SelectMany(g => g.Gaps)).Concat(delays.Result.Select(d => d.Gap))
                     .Where(g => g is not null))
        {
            _facts.Observer.Warning(gap!.ToString());
        }

        return new ResilienceReport
        {
            Cluster = cluster,
            Service = service.Name,
            Environment = request.Environment,
            StatusKind = Worst(findings),
            Findings = findings.ToPrintableList(),
            CheckedAt = DateTimeOffset.UtcNow,
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
    }

    /// <summary>The worst outcome: Fail, then Warning (a definite finding), then Unknown (a check that could not decide), else Pass.</summary>
    public static FindingOutcome Worst(IReadOnlyList<ResilienceFinding> findings)
    {
        foreach (var outcome in new[] { FindingOutcome.Fail, FindingOutcome.Warning, FindingOutcome.Unknown })
        {
            if (findings.Any(f => f.OutcomeKind == outcome))
            {
                return outcome;
            }
        }

        return FindingOutcome.Pass;
    }

    /// <summary>The ready-line pattern, or InvalidReadyPattern naming the value when it is not a regular expression.</summary>
    public static Regex ReadyRegex(string? pattern)
    {
        try
        {
            return new Regex(string.IsNullOrEmpty(pattern) ? DefaultReadyPattern : pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidReadyPattern, DeployOpsErrorKind.InvalidArgument,
                $"'{pattern}' is not a regular expression ({ex.Message}); expected the text of the line the application logs when it is ready, e.g. 'Listening on port'.", pattern));
        }
    }

    private static int GraceFor(double? startup) => startup is { } seconds ? (int)Math.Ceiling(seconds * 1.5 + 10) : 120;

    /// <summary>
    /// How long a running task of the PRIMARY deployment took to log its ready line: the newest that logged one, of the
    /// three newest (one that just started may not be ready yet).
    /// </summary>
    private async Task<(double? Seconds, string? Where)> ObserveStartupAsync(string cluster, EcsService service, Regex ready, CancellationToken cancellationToken)
    {
        var tasks = await _facts.Tasks.ListedAsync(cluster, service.Name, cancellationToken).ConfigureAwait(false);
        var newest = tasks.ValueOr(Array.Empty<EcsTask>())!
            .Where(t => t.LastStatus == "RUNNING" && t.StartedBy == service.Primary?.Id && t.StartedAt is not null)
            .OrderByDescending(t => t.StartedAt).Take(3);
        foreach (var task in newest)
        {
            if ((await _facts.Logs.StartupSecondsAsync(task, ready, cancellationToken).ConfigureAwait(false)).ValueOr(null) is { } seconds)
            {
                return (seconds, $"task {AwsArn.LastSegment(task.Arn)}");
            }
        }

        return (null, null);
    }
}
