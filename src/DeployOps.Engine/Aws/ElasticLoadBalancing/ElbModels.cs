using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.ElasticLoadBalancing;

/// <summary>A target group (<c>TargetGroup</c>).</summary>
public sealed record ElbTargetGroup
{
    /// <summary><c>TargetGroupArn</c>.</summary>
    public string Arn { get; init; } = string.Empty;

    /// <summary><c>TargetGroupName</c>.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary><c>Protocol</c>.</summary>
    public string? Protocol { get; init; }

    /// <summary><c>Port</c>.</summary>
    public int? Port { get; init; }

    /// <summary><c>VpcId</c>.</summary>
    public string? VpcId { get; init; }

    /// <summary><c>TargetType</c>: instance, ip, lambda or alb.</summary>
    public string? TargetType { get; init; }

    /// <summary>The health-check settings.</summary>
    public ElbHealthCheck HealthCheck { get; init; } = new();

    /// <summary><c>LoadBalancerArns</c>: the load balancers that route to this group.</summary>
    public IReadOnlyList<string> LoadBalancerArns { get; init; } = Array.Empty<string>();

    internal static ElbTargetGroup Read(XElement e) => new()
    {
        Arn = e.Text("TargetGroupArn") ?? string.Empty,
        Name = e.Text("TargetGroupName") ?? string.Empty,
        Protocol = e.Text("Protocol"),
        Port = e.Int("Port"),
        VpcId = e.Text("VpcId"),
        TargetType = e.Text("TargetType"),
        HealthCheck = new ElbHealthCheck
        {
            Protocol = e.Text("HealthCheckProtocol"),
            Port = e.Text("HealthCheckPort"),
            Path = e.Text("HealthCheckPath"),
            Enabled = e.Bool("HealthCheckEnabled"),
            IntervalSeconds = e.Int("HealthCheckIntervalSeconds"),
            TimeoutSeconds = e.Int("HealthCheckTimeoutSeconds"),
            HealthyThresholdCount = e.Int("HealthyThresholdCount"),
            UnhealthyThresholdCount = e.Int("UnhealthyThresholdCount"),
            Matcher = e.Child("Matcher")?.Text("HttpCode"),
        },
        LoadBalancerArns = e.Strings("LoadBalancerArns"),
    };
}

/// <summary>
/// A target group's health check. Read from DescribeTargetGroups; as a change for ModifyTargetGroup, unset
/// members are left as they are.
/// </summary>
public sealed record ElbHealthCheck
{
    /// <summary><c>HealthCheckProtocol</c>.</summary>
    public string? Protocol { get; init; }

    /// <summary><c>HealthCheckPort</c>: a port number or <c>traffic-port</c>.</summary>
    public string? Port { get; init; }

    /// <summary><c>HealthCheckPath</c>, e.g. <c>/health</c>.</summary>
    public string? Path { get; init; }

    /// <summary><c>HealthCheckEnabled</c>.</summary>
    public bool? Enabled { get; init; }

    /// <summary><c>HealthCheckIntervalSeconds</c>.</summary>
    public int? IntervalSeconds { get; init; }

    /// <summary><c>HealthCheckTimeoutSeconds</c>.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary><c>HealthyThresholdCount</c>.</summary>
    public int? HealthyThresholdCount { get; init; }

    /// <summary><c>UnhealthyThresholdCount</c>.</summary>
    public int? UnhealthyThresholdCount { get; init; }

    /// <summary><c>Matcher.HttpCode</c>, e.g. <c>200</c> or <c>200-299</c>.</summary>
    public string? Matcher { get; init; }

    internal AwsParameters ToModifyParameters(string targetGroupArn) => new()
    {
        { "TargetGroupArn", targetGroupArn },
        { "HealthCheckProtocol", Protocol },
        { "HealthCheckPort", Port },
        { "HealthCheckPath", Path },
        { "HealthCheckEnabled", Enabled },
        { "HealthCheckIntervalSeconds", IntervalSeconds },
        { "HealthCheckTimeoutSeconds", TimeoutSeconds },
        { "HealthyThresholdCount", HealthyThresholdCount },
        { "UnhealthyThresholdCount", UnhealthyThresholdCount },
        { "Matcher", Matcher is null ? null : new AwsParameters { { "HttpCode", Matcher } } },
    };
}

/// <summary>One target's health (<c>TargetHealthDescription</c>).</summary>
public sealed record ElbTargetHealth
{
    /// <summary><c>Target.Id</c>: an instance id, IP address, Lambda ARN or ALB ARN.</summary>
    public string TargetId { get; init; } = string.Empty;

    /// <summary><c>Target.Port</c>.</summary>
    public int? Port { get; init; }

    /// <summary><c>Target.AvailabilityZone</c>.</summary>
    public string? AvailabilityZone { get; init; }

    /// <summary><c>HealthCheckPort</c>.</summary>
    public string? HealthCheckPort { get; init; }

    /// <summary><c>TargetHealth.State</c>: initial, healthy, unhealthy, unused, draining, unavailable.</summary>
    public string State { get; init; } = string.Empty;

    /// <summary><c>TargetHealth.Reason</c>, e.g. Target.ResponseCodeMismatch.</summary>
    public string? Reason { get; init; }

    /// <summary><c>TargetHealth.Description</c>.</summary>
    public string? Description { get; init; }

    internal static ElbTargetHealth Read(XElement e)
    {
        var target = e.Child("Target");
        var health = e.Child("TargetHealth");
        return new ElbTargetHealth
        {
            TargetId = target?.Text("Id") ?? string.Empty,
            Port = target?.Int("Port"),
            AvailabilityZone = target?.Text("AvailabilityZone"),
            HealthCheckPort = e.Text("HealthCheckPort"),
            State = health?.Text("State") ?? string.Empty,
            Reason = health?.Text("Reason"),
            Description = health?.Text("Description"),
        };
    }
}

/// <summary>A load balancer (<c>LoadBalancer</c>).</summary>
public sealed record ElbLoadBalancer
{
    /// <summary><c>LoadBalancerArn</c>.</summary>
    public string Arn { get; init; } = string.Empty;

    /// <summary><c>LoadBalancerName</c>.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary><c>DNSName</c>.</summary>
    public string? DnsName { get; init; }

    /// <summary><c>Scheme</c>: internet-facing or internal.</summary>
    public string? Scheme { get; init; }

    /// <summary><c>Type</c>: application, network or gateway.</summary>
    public string? Type { get; init; }

    /// <summary><c>State.Code</c>: active, provisioning, active_impaired or failed.</summary>
    public string? State { get; init; }

    /// <summary><c>State.Reason</c>.</summary>
    public string? StateReason { get; init; }

    /// <summary><c>SecurityGroups</c>.</summary>
    public IReadOnlyList<string> SecurityGroups { get; init; } = Array.Empty<string>();

    /// <summary><c>VpcId</c>.</summary>
    public string? VpcId { get; init; }

    /// <summary>The subnets of <c>AvailabilityZones</c>: where the load balancer's nodes take their addresses.</summary>
    public IReadOnlyList<string> SubnetIds { get; init; } = Array.Empty<string>();

    internal static ElbLoadBalancer Read(XElement e) => new()
    {
        Arn = e.Text("LoadBalancerArn") ?? string.Empty,
        Name = e.Text("LoadBalancerName") ?? string.Empty,
        DnsName = e.Text("DNSName"),
        Scheme = e.Text("Scheme"),
        Type = e.Text("Type"),
        State = e.Child("State")?.Text("Code"),
        StateReason = e.Child("State")?.Text("Reason"),
        SecurityGroups = e.Strings("SecurityGroups"),
        SubnetIds = e.List("AvailabilityZones", zone => zone.Text("SubnetId") ?? string.Empty).Where(id => id.Length > 0).ToList(),
        VpcId = e.Text("VpcId"),
    };
}

/// <summary>A listener (<c>Listener</c>).</summary>
public sealed record ElbListener(
    string Arn,
    string? LoadBalancerArn,
    int? Port,
    string? Protocol,
    IReadOnlyList<ElbListenerAction> DefaultActions)
{
    internal static ElbListener Read(XElement e) => new(
        e.Text("ListenerArn") ?? string.Empty,
        e.Text("LoadBalancerArn"),
        e.Int("Port"),
        e.Text("Protocol"),
        e.List("DefaultActions", ElbListenerAction.Read));
}

/// <summary>
/// A listener action (<c>Action</c>). <see cref="TargetGroupArns"/> gathers <c>TargetGroupArn</c> and the
/// weighted groups of <c>ForwardConfig</c>.
/// </summary>
public sealed record ElbListenerAction(string Type, IReadOnlyList<string> TargetGroupArns)
{
    internal static ElbListenerAction Read(XElement e)
    {
        var single = e.Text("TargetGroupArn");
        var weighted = e.Child("ForwardConfig")?.Items("TargetGroups").Select(group => group.Text("TargetGroupArn"))
                       ?? Enumerable.Empty<string?>();
        var arns = new[] { single }.Concat(weighted).Where(arn => !string.IsNullOrEmpty(arn)).Select(arn => arn!)
            .Distinct(StringComparer.Ordinal).ToList();
        return new ElbListenerAction(e.Text("Type") ?? string.Empty, arns);
    }
}

/// <summary>
/// A listener rule (<c>Rule</c>): its priority (<c>default</c> for the listener's default action), the path patterns and
/// host headers of its conditions, and its actions.
/// </summary>
public sealed record ElbRule(string Arn, string Priority, bool IsDefault, IReadOnlyList<string> PathPatterns, IReadOnlyList<string> HostHeaders,
    IReadOnlyList<ElbListenerAction> Actions)
{
    /// <summary>"priority 10 (path /api/*)", or "default".</summary>
    public override string ToString()
    {
        if (IsDefault)
        {
            return "default";
        }

        var conditions = PathPatterns.Select(p => $"path {p}").Concat(HostHeaders.Select(h => $"host {h}")).ToList();
        return conditions.Count == 0 ? $"priority {Priority}" : $"priority {Priority} ({string.Join(", ", conditions)})";
    }

    internal static ElbRule Read(XElement e)
    {
        IReadOnlyList<string> Values(string field, string config) => e.Items("Conditions").Where(c => c.Text("Field") == field)
            .SelectMany(c => c.Strings("Values").Concat(c.Child(config)?.Strings("Values") ?? Array.Empty<string>())).Distinct(StringComparer.Ordinal).ToList();

        return new ElbRule(
            e.Text("RuleArn") ?? string.Empty,
            e.Text("Priority") ?? string.Empty,
            e.Bool("IsDefault") ?? false,
            Values("path-pattern", "PathPatternConfig"),
            Values("host-header", "HostHeaderConfig"),
            e.List("Actions", ElbListenerAction.Read));
    }
}
