using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.ElasticLoadBalancing;
using DeployOps.Deployments;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Health;
using DeployOps.Networking;
using DeployOps.Operations;

namespace DeployOps.LoadBalancers;

/// <summary>What Get-LoadBalancerHealth asks: load balancers by name or ARN, or the ones in front of services.</summary>
public sealed record LoadBalancerHealthRequest
{
    /// <summary>An hour back from now unless -Since or -StartTime say otherwise.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    /// <summary>Names or ARNs.</summary>
    public IReadOnlyList<string> LoadBalancers { get; init; } = Array.Empty<string>();

    /// <summary>With <see cref="Services"/>: the cluster of the services whose load balancers to inspect.</summary>
    public string? Cluster { get; init; }

    public IReadOnlyList<string> Services { get; init; } = Array.Empty<string>();

    public TimeSpan? Since { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    /// <summary>Resolve each load balancer's DNS name from here (against AWS; never against an endpoint override).</summary>
    public bool ResolveDns { get; init; } = true;

    /// <summary>
    /// -DnsServer: the resolver to ask for each load balancer's name (<c>8.8.8.8</c>, <c>[2001:4860:4860::8888]:53</c>), instead
    /// of the system's; asked also behind an endpoint override (the sandbox serves DNS). Null: the system's resolver.
    /// </summary>
    public string? DnsServer { get; init; }

    public TimeWindow Window(DateTimeOffset now) => TimeWindow.Resolve(Since, StartTime, EndTime, now, DefaultWindow);
}

/// <summary>
/// Get-LoadBalancerHealth: runbook 004 "ALB returns 502/503 errors" and "ALB not receiving traffic" for each load balancer
/// asked for (or in front of each service): reads its facts (<see cref="LoadBalancerReader"/>), classifies them
/// (<see cref="LoadBalancerClassifier"/>) and reports, secrets taken out. A load balancer that does not exist is its own
/// error; one that could not be read gets an incomplete report.
/// </summary>
public sealed class LoadBalancerHealthInspector
{
    // ALB names: 1 to 32 letters, digits and hyphens, not starting or ending with a hyphen.
    private static readonly Regex NamePattern = new("^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$", RegexOptions.Compiled);
    private static readonly Regex ArnPattern = new(@"^arn:aws(-[a-z]+)*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer/(app|net|gwy)/[A-Za-z0-9-]{1,32}/[0-9a-f]+$", RegexOptions.Compiled);

    private readonly AwsFacts _facts;

    public LoadBalancerHealthInspector(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>Throws InvalidLoadBalancerName for a value that is neither an ALB name nor a load balancer ARN.</summary>
    public static void ValidateName(string nameOrArn)
    {
        if (!(NamePattern.IsMatch(nameOrArn ?? "") || ArnPattern.IsMatch(nameOrArn ?? "")))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidLoadBalancerName, DeployOpsErrorKind.InvalidArgument,
                $"'{nameOrArn}' is not a load balancer name or ARN: expected a name of 1 to 32 letters, digits and hyphens (not starting or ending with a hyphen), " +
                "or an ARN such as arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-alb/50dc6c495c0c9188.", nameOrArn));
        }
    }

    /// <summary>One report per load balancer, or the error one met, in the order asked.</summary>
    public async Task<IReadOnlyList<ItemOutcome<LoadBalancerHealthReport>>> InspectAsync(LoadBalancerHealthRequest request, CancellationToken cancellationToken)
    {
        foreach (var name in request.LoadBalancers)
        {
            ValidateName(name);
        }

        var resolver = request.DnsServer is { } server ? DnsServer.Parse(server) : null;
        var window = request.Window(DateTimeOffset.UtcNow);
        var outcomes = new List<ItemOutcome<LoadBalancerHealthReport>>();
        foreach (var name in request.LoadBalancers)
        {
            outcomes.Add(await InspectOneAsync(name, window, request, resolver, null, null, cancellationToken).ConfigureAwait(false));
        }

        if (request.Services.Count > 0)
        {
            outcomes.AddRange(await InspectServicesAsync(request, resolver, window, cancellationToken).ConfigureAwait(false));
        }

        return outcomes;
    }

    private async Task<IReadOnlyList<ItemOutcome<LoadBalancerHealthReport>>> InspectServicesAsync(LoadBalancerHealthRequest request, DnsServer? resolver, TimeWindow window,
        CancellationToken cancellationToken)
    {
        var cluster = request.Cluster;
        if (string.IsNullOrWhiteSpace(cluster))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.MissingCluster, DeployOpsErrorKind.InvalidArgument,
                $"No cluster for the services {string.Join(", ", request.Services)}: give -Cluster with -Service.", cluster));
        }

        var outcomes = new List<ItemOutcome<LoadBalancerHealthReport>>();
        var lookups = await ServiceRedeployer.Translated(() => _facts.Services.DescribeAsync(cluster!, request.Services, cancellationToken), cluster!).ConfigureAwait(false);
        foreach (var lookup in lookups)
        {
            if (!lookup.Service.IsRead)
            {
                outcomes.Add(ItemOutcome<LoadBalancerHealthReport>.Failure(lookup.Service.Absent
                    ? lookup.NotFoundError(AwsArn.LastSegment(cluster!))
                    : new DeployOpsError(ErrorIds.AwsRequestFailed, DeployOpsErrorKind.Other, $"Could not read service {lookup.Name}: {lookup.Service.Gap}", lookup.Name)));
                continue;
            }

            var service = lookup.Service.Value;
            var groupArns = service.LoadBalancers.Select(l => l.TargetGroupArn).Where(arn => !string.IsNullOrEmpty(arn)).Select(arn => arn!).Distinct(StringComparer.Ordinal).ToList();
            var groups = groupArns.Count == 0 ? new Dictionary<string, TargetGroupReading>()
                : await _facts.TargetGroups.ReadAsync(groupArns, cancellationToken).ConfigureAwait(false);
            var balancers = groups.Values.Where(g => g.Group.IsRead).SelectMany(g => g.Group.Value.LoadBalancerArns).Distinct(StringComparer.Ordinal).ToList();
            if (balancers.Count == 0)
            {
                outcomes.Add(ItemOutcome<LoadBalancerHealthReport>.Failure(new DeployOpsError(ErrorIds.NoLoadBalancer, DeployOpsErrorKind.NotFound,
                    $"Service {service.Name} in cluster {AwsArn.LastSegment(cluster!)} is behind no load balancer" +
                    (groupArns.Count == 0 ? " (it names no target group)." : $" (its target groups {string.Join(", ", groupArns.Select(AwsArn.TargetGroupName))} are attached to none)."),
                    service.Name)));
                continue;
            }

            foreach (var arn in balancers)
            {
                outcomes.Add(await InspectOneAsync(arn, window, request, resolver, AwsArn.LastSegment(cluster!), service.Name, cancellationToken).ConfigureAwait(false));
            }
        }

        return outcomes;
    }

    private async Task<ItemOutcome<LoadBalancerHealthReport>> InspectOneAsync(string nameOrArn, TimeWindow window, LoadBalancerHealthRequest request,
        DnsServer? resolver, string? cluster, string? service, CancellationToken cancellationToken)
    {
        var found = await _facts.LoadBalancers.FindAsync(nameOrArn, cancellationToken).ConfigureAwait(false);
        if (found.Absent)
        {
            return ItemOutcome<LoadBalancerHealthReport>.Failure(_facts.LoadBalancers.NotFound(nameOrArn));
        }

        if (!found.IsRead)
        {
            return ItemOutcome<LoadBalancerHealthReport>.Success(Unread(nameOrArn, found.Gap!, window, cluster, service));
        }

        _facts.Observer.Verbose($"Reading load balancer {found.Value.Name}: listeners, rules, target groups, attributes, VPC and CloudWatch figures for {window}.");
        var facts = await _facts.LoadBalancers.ReadAsync(found.Value, window, resolver is not null || (request.ResolveDns && _facts.Session.EndpointUrl is null), cancellationToken,
            resolver).ConfigureAwait(false);
        return ItemOutcome<LoadBalancerHealthReport>.Success(Report(facts, LoadBalancerClassifier.Classify(facts), cluster, service));
    }

    private LoadBalancerHealthReport Report(LoadBalancerFacts facts, LoadBalancerVerdict verdict, string? cluster, string? service)
    {
        var redactor = _facts.Redactor;
        var lb = facts.LoadBalancer;
        var figures = facts.Figures.ValueOr(null);
        var gaps = facts.Gaps.ToList();
        return new LoadBalancerHealthReport
        {
            LoadBalancerName = lb.Name,
            LoadBalancerArn = lb.Arn,
            DnsName = lb.DnsName,
            Scheme = lb.Scheme,
            State = lb.State,
            VpcId = lb.VpcId,
            IdleTimeoutSeconds = verdict.IdleTimeoutSeconds,
            Status = verdict.Status.ToString(),
            Complete = gaps.Count == 0,
            Causes = verdict.Causes.Select(c => c.Redacted(redactor)).ToPrintableList(),
            Routes = verdict.Routes.ToPrintableList(),
            TargetGroups = facts.TargetGroups.Values.Select(g => g.Health).Where(h => h is not null).Select(h => h!).ToPrintableList(),
            Reachability = verdict.Reachability.Select(r => r.Redacted(redactor)).ToPrintableList(),
            StartTime = facts.Window.Start,
            EndTime = facts.Window.End,
            RequestCount = figures?.RequestCount,
            ElbHttp502Count = figures?.ElbHttp502Count,
            ElbHttp503Count = figures?.ElbHttp503Count,
            ElbHttp504Count = figures?.ElbHttp504Count,
            TargetHttp5xxCount = figures?.TargetHttp5xxCount,
            TargetResponseTimeP50 = figures?.TargetResponseTimeP50,
            TargetResponseTimeMaximum = figures?.TargetResponseTimeMaximum,
            NotRead = gaps.Select(g => redactor.Redact(g.ToString())).ToPrintableList(),
            Cluster = cluster,
            Service = service,
            CheckedAt = DateTimeOffset.UtcNow,
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
    }

    private LoadBalancerHealthReport Unread(string nameOrArn, Gap gap, TimeWindow window, string? cluster, string? service) => new()
    {
        LoadBalancerName = nameOrArn.StartsWith("arn:", StringComparison.Ordinal) ? AwsArn.TargetGroupName(nameOrArn) : nameOrArn,
        LoadBalancerArn = nameOrArn.StartsWith("arn:", StringComparison.Ordinal) ? nameOrArn : "",
        Status = HealthStatus.Unknown.ToString(),
        Complete = false,
        StartTime = window.Start,
        EndTime = window.End,
        NotRead = new[] { _facts.Redactor.Redact(gap.ToString()) }.ToPrintableList(),
        Cluster = cluster,
        Service = service,
        CheckedAt = DateTimeOffset.UtcNow,
        Region = _facts.Session.Region.Name,
        EndpointUrl = _facts.Session.EndpointUrl,
        ProfileName = _facts.Session.ProfileName,
    };
}
