using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.ElasticLoadBalancing;
using DeployOps.Errors;
using DeployOps.Networking;
using DeployOps.Operations;

namespace DeployOps.Facts;

/// <summary>A listener with its rules (the default one included), each its own fact.</summary>
public sealed record ListenerReading(ElbListener Listener, Fact<IReadOnlyList<ElbRule>> Rules);

/// <summary>
/// Everything runbook 004's load balancer sections look at, each its own fact: the load balancer, its attributes, its
/// listeners and their rules, the target groups they forward to with their targets' health, the VPC around it, and its
/// CloudWatch figures over the window.
/// </summary>
public sealed class LoadBalancerFacts
{
    public ElbLoadBalancer LoadBalancer { get; init; } = new();

    public Fact<IReadOnlyDictionary<string, string>> Attributes { get; init; } = Fact<IReadOnlyDictionary<string, string>>.NotFound();

    public Fact<IReadOnlyList<ListenerReading>> Listeners { get; init; } = Fact<IReadOnlyList<ListenerReading>>.NotFound();

    /// <summary>The target groups the listeners forward to, by ARN.</summary>
    public IReadOnlyDictionary<string, TargetGroupReading> TargetGroups { get; init; } = new Dictionary<string, TargetGroupReading>();

    public VpcNetwork Network { get; init; } = new();

    public Fact<LoadBalancerFigures> Figures { get; init; } = Fact<LoadBalancerFigures>.NotFound();

    public TimeWindow Window { get; init; }

    /// <summary>The endpoint override of the session (a sandbox), whose DNS names are not public; null against AWS.</summary>
    public string? EndpointUrl { get; init; }

    /// <summary>
    /// Whether the load balancer's DNS name resolved from here (null: not tried, or the resolver gave no verdict), and what it
    /// resolved to or why not.
    /// </summary>
    public (bool? Resolved, string Detail) Dns { get; init; }

    /// <summary>The resolver asked (-DnsServer), e.g. <c>8.8.8.8:53</c>; null: the system's resolver, or none.</summary>
    public DnsServer? DnsServer { get; init; }

    /// <summary>What could not be read.</summary>
    public IEnumerable<Gap> Gaps =>
        new[] { Attributes.Gap, Listeners.Gap, Figures.Gap }
            .Concat(Listeners.ValueOr(Array.Empty<ListenerReading>())!.Select(l => l.Rules.Gap))
            .Where(gap => gap is not null).Select(gap => gap!)
            .Concat(TargetGroups.Values.SelectMany(g => g.Gaps))
            .Concat(Network.Gaps)
            .Distinct();
}

/// <summary>
/// Reads Application Load Balancers: finds one by name or ARN, then its listeners, rules (one DescribeRules per listener),
/// attributes, target groups and targets' health (<see cref="TargetGroupReader"/>), the VPC (<see cref="NetworkPathReader"/>)
/// and its CloudWatch figures (<see cref="MetricReader"/>), concurrently where nothing depends on another read.
/// </summary>
public sealed class LoadBalancerReader
{
    private readonly AwsFacts _facts;

    internal LoadBalancerReader(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>A load balancer by name or ARN: absent when AWS says it does not exist, a gap when it could not be read.</summary>
    public async Task<Fact<ElbLoadBalancer>> FindAsync(string nameOrArn, CancellationToken cancellationToken)
    {
        var read = await _facts.Policy.ReadAsync($"load balancer {nameOrArn}", () => DescribeAsync(nameOrArn, cancellationToken)).ConfigureAwait(false);
        return read.IsRead
            ? read.Value.FirstOrDefault() is { } found ? Fact<ElbLoadBalancer>.Of(found) : Fact<ElbLoadBalancer>.NotFound()
            : read.Select(list => list.First());
    }

    /// <summary>LoadBalancerNotFound for a name or ARN, naming the region.</summary>
    public DeployOpsError NotFound(string nameOrArn) =>
        ErrorTranslator.NotFound(ErrorIds.LoadBalancerNotFound, $"Load balancer '{nameOrArn}' does not exist in '{_facts.Session.Region.Name}'.", nameOrArn);

    /// <summary>DescribeLoadBalancers of one name or ARN: an empty list, or AWS's LoadBalancerNotFound, when there is none.</summary>
    public Task<IReadOnlyList<ElbLoadBalancer>> DescribeAsync(string nameOrArn, CancellationToken cancellationToken) =>
        nameOrArn.StartsWith("arn:", StringComparison.Ordinal)
            ? _facts.Session.LoadBalancing.DescribeLoadBalancersAsync(new[] { nameOrArn }, cancellationToken)
            : _facts.Session.LoadBalancing.DescribeLoadBalancersByNameAsync(new[] { nameOrArn }, cancellationToken);

    /// <summary>
    /// Everything about <paramref name="loadBalancer"/> over <paramref name="window"/>; a read that fails is a gap of its own.
    /// With <paramref name="resolveDns"/> its DNS name is resolved, by <paramref name="dnsServer"/> when given, else by the system.
    /// </summary>
    public async Task<LoadBalancerFacts> ReadAsync(ElbLoadBalancer loadBalancer, TimeWindow window, bool resolveDns, CancellationToken cancellationToken,
        DnsServer? dnsServer = null)
    {
        var elb = _facts.Session.LoadBalancing;
        var name = loadBalancer.Name;
        var attributes = _facts.Policy.ReadAsync($"attributes of load balancer {name}", () => elb.DescribeLoadBalancerAttributesAsync(loadBalancer.Arn, cancellationToken));
        var network = loadBalancer.SubnetIds.Count == 0
            ? Task.FromResult(VpcNetwork.NotRead(new Gap($"the VPC of load balancer {name}", "it has no subnets")))
            : _facts.Network.ReadVpcAsync(loadBalancer.SubnetIds, cancellationToken);
        var dns = resolveDns ? ResolveAsync(loadBalancer.DnsName, dnsServer, cancellationToken) : Task.FromResult<(bool?, string)>((null, "not tried"));
        var listeners = await ReadListenersAsync(loadBalancer, cancellationToken).ConfigureAwait(false);
        var groupArns = listeners.ValueOr(Array.Empty<ListenerReading>())!.SelectMany(Forwards).Distinct(StringComparer.Ordinal).ToList();
        var groups = _facts.TargetGroups.ReadAsync(groupArns, cancellationToken);
        var figures = _facts.Metrics.LoadBalancerAsync(loadBalancer.Arn, groupArns, window.Start, window.End, cancellationToken);
        await Task.WhenAll(attributes, network, groups, figures, dns).ConfigureAwait(false);
        return new LoadBalancerFacts
        {
            LoadBalancer = loadBalancer,
            Attributes = attributes.Result,
            Listeners = listeners,
            TargetGroups = groups.Result,
            Network = network.Result,
            Figures = figures.Result,
            Window = window,
            EndpointUrl = _facts.Session.EndpointUrl,
            Dns = dns.Result,
            DnsServer = dnsServer,
        };
    }

    /// <summary>The target groups a listener forwards to: every rule's (the default rule included), else its default actions'.</summary>
    public static IEnumerable<string> Forwards(ListenerReading reading) =>
        reading.Rules.IsRead
            ? reading.Rules.Value.SelectMany(r => r.Actions).SelectMany(a => a.TargetGroupArns)
            : reading.Listener.DefaultActions.SelectMany(a => a.TargetGroupArns);

    private async Task<Fact<IReadOnlyList<ListenerReading>>> ReadListenersAsync(ElbLoadBalancer loadBalancer, CancellationToken cancellationToken)
    {
        var listeners = await _facts.Policy.ReadAsync($"listeners of load balancer {loadBalancer.Name}",
            () => _facts.Session.LoadBalancing.DescribeListenersAsync(loadBalancer.Arn, cancellationToken)).ConfigureAwait(false);
        if (!listeners.IsRead)
        {
            return listeners.Select(_ => (IReadOnlyList<ListenerReading>)Array.Empty<ListenerReading>());
        }

        var readings = await Task.WhenAll(listeners.Value.OrderBy(l => l.Port).Select(async listener => new ListenerReading(listener,
            await _facts.Policy.ReadAsync($"rules of listener {listener.Protocol}:{listener.Port} of {loadBalancer.Name}",
                () => _facts.Session.LoadBalancing.DescribeRulesAsync(listener.Arn, cancellationToken)).ConfigureAwait(false)))).ConfigureAwait(false);
        return Fact<IReadOnlyList<ListenerReading>>.Of(readings);
    }

    private static async Task<(bool?, string)> ResolveAsync(string? dnsName, DnsServer? server, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(dnsName))
        {
            return (false, "the load balancer has no DNS name");
        }

        if (server is not null)
        {
            var resolution = await new DnsClient(server).ResolveAsync(dnsName!, cancellationToken).ConfigureAwait(false);
            return (resolution.Outcome switch
            {
                DnsOutcome.Resolved => true,
                DnsOutcome.NoAddress or DnsOutcome.NameDoesNotExist => false,
                _ => null, // the resolver said nothing about the name
            }, resolution.Describe(server));
        }

        try
        {
            var addresses = await System.Net.Dns.GetHostAddressesAsync(dnsName).ConfigureAwait(false);
            return addresses.Length > 0
                ? (true, $"{dnsName} resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}")
                : (false, $"{dnsName} resolves to no address");
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            return (false, $"{dnsName} does not resolve from here ({ex.SocketErrorCode})");
        }
    }
}
