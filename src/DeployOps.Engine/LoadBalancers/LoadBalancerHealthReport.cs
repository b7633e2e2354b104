using System;
using System.Linq;
using DeployOps.Health;
using DeployOps.Operations;
using DeployOps.Redaction;

namespace DeployOps.LoadBalancers;

/// <summary>Why a load balancer fails its users (runbook 004 "ALB returns 502/503 errors" and "ALB not receiving traffic").</summary>
public enum LoadBalancerCauseKind
{
    /// <summary>503: a listener rule forwards to a target group with no registered target.</summary>
    NoRegisteredTargets,

    /// <summary>503: a listener rule forwards to a target group whose targets are all unhealthy (or still initial, or draining).</summary>
    NoHealthyTargets,

    /// <summary>503: a listener rule forwards to a target group that no longer exists.</summary>
    TargetGroupMissing,

    /// <summary>502: targets closed or reset connections (or answered malformed responses); also a keep-alive shorter than the idle timeout.</summary>
    TargetClosedConnection,

    /// <summary>504: targets answered slower than the idle timeout.</summary>
    SlowerThanIdleTimeout,

    /// <summary>503 counted by CloudWatch while every routed group now has a healthy target: targets were missing at those times.</summary>
    NoHealthyTargetsEarlier,

    /// <summary>5xx answered by the targets themselves (the application's errors), passed on by the load balancer.</summary>
    TargetErrors,

    /// <summary>The load balancer is not active (provisioning, failed).</summary>
    NotActive,

    /// <summary>Internet-facing, but none of its subnets routes 0.0.0.0/0 to an attached internet gateway.</summary>
    NoInternetGatewayRoute,

    /// <summary>Its security groups let no traffic in on a listener's port from the internet.</summary>
    ListenerPortClosed,

    /// <summary>Its DNS name does not resolve.</summary>
    NameDoesNotResolve,
}

/// <summary>One cause, with the HTTP status users see, the evidence and the fix.</summary>
public sealed class LoadBalancerCause
{
    public LoadBalancerCause(LoadBalancerCauseKind kind, int? statusCode, string resource, PrintableList<string> evidence, string fix)
    {
        Kind = kind;
        StatusCode = statusCode;
        Resource = resource;
        Evidence = evidence;
        Fix = fix;
    }

    /// <summary>The status users get (502, 503, 504, 500 for the targets' own errors), or null when requests never arrive.</summary>
    public int? StatusCode { get; }

    /// <summary>A <see cref="LoadBalancerCauseKind"/> name, e.g. SlowerThanIdleTimeout (text, so JSON and CSV show the name).</summary>
    public string Cause => Kind.ToString();

    internal LoadBalancerCauseKind Kind { get; }

    /// <summary>What the cause is about: a target group, a security group, a subnet, the load balancer.</summary>
    public string Resource { get; }

    public PrintableList<string> Evidence { get; }

    /// <summary>What to run or change.</summary>
    public string Fix { get; }

    /// <summary>True when users are hurt (every cause but <see cref="LoadBalancerCauseKind.TargetErrors"/>, which is the application's own).</summary>
    internal bool IsError => Kind != LoadBalancerCauseKind.TargetErrors;

    /// <summary>The same cause with secrets taken out of its text.</summary>
    public LoadBalancerCause Redacted(SecretRedactor redactor) =>
        new(Kind, StatusCode, redactor.Redact(Resource), Evidence.Select(redactor.Redact).ToPrintableList(), redactor.Redact(Fix));

    public override string ToString() => $"{(StatusCode is { } code ? code + " " : "")}{Cause} ({Resource}): {Evidence.FirstOrDefault()}";
}

/// <summary>One way through the load balancer: a listener, one of its rules, the target group it forwards to and that group's targets.</summary>
public sealed class LoadBalancerRoute
{
    public int ListenerPort { get; init; }

    public string ListenerProtocol { get; init; } = "";

    /// <summary>"default", or "priority 10 (path /api/*)".</summary>
    public string Rule { get; init; } = "";

    public string TargetGroupName { get; init; } = "";

    public string TargetGroupArn { get; init; } = "";

    /// <summary>Registered targets, and how many of them are healthy and unhealthy now (DescribeTargetHealth).</summary>
    public int RegisteredCount { get; init; }

    public int HealthyCount { get; init; }

    public int UnhealthyCount { get; init; }

    /// <summary>The fewest healthy hosts in the window (CloudWatch HealthyHostCount minimum), or null without a datapoint.</summary>
    public double? MinimumHealthyHostCount { get; init; }

    /// <summary>The most unhealthy hosts in the window (CloudWatch UnHealthyHostCount maximum), or null without a datapoint.</summary>
    public double? MaximumUnHealthyHostCount { get; init; }

    public override string ToString() => $"{ListenerProtocol}:{ListenerPort} {Rule} -> {TargetGroupName} ({HealthyCount}/{RegisteredCount} healthy)";
}

/// <summary>
/// A load balancer's health as runbook 004 establishes it: its routes (listeners, rules, target groups, target health),
/// the causes of what users get by status code (each with evidence and a fix), its CloudWatch figures over the window, its
/// idle timeout, state and scheme, and whether the internet reaches it. Region, EndpointUrl, ProfileName and
/// LoadBalancerArn let it pipe into Set-LoadBalancerAttribute.
/// </summary>
public sealed class LoadBalancerHealthReport
{
    public string LoadBalancerName { get; init; } = "";

    public string LoadBalancerArn { get; init; } = "";

    public string? DnsName { get; init; }

    /// <summary>internet-facing or internal.</summary>
    public string? Scheme { get; init; }

    /// <summary>active, provisioning, active_impaired or failed.</summary>
    public string? State { get; init; }

    public string? VpcId { get; init; }

    /// <summary>The <c>idle_timeout.timeout_seconds</c> attribute, or null when it could not be read.</summary>
    public int? IdleTimeoutSeconds { get; init; }

    /// <summary>A <see cref="HealthStatus"/> name: Healthy, Warning, Error or Unknown (some facts could not be read).</summary>
    public string Status { get; init; } = "";

    /// <summary>False when some facts could not be read (<see cref="NotRead"/>): the verdict is incomplete, never Healthy.</summary>
    public bool Complete { get; init; } = true;

    /// <summary>The causes, by status code (503, 502, 504, then the rest).</summary>
    public PrintableList<LoadBalancerCause> Causes { get; init; } = PrintableList<LoadBalancerCause>.Empty;

    public PrintableList<LoadBalancerRoute> Routes { get; init; } = PrintableList<LoadBalancerRoute>.Empty;

    public PrintableList<TargetGroupHealth> TargetGroups { get; init; } = PrintableList<TargetGroupHealth>.Empty;

    /// <summary>"ALB not receiving traffic": state, scheme, internet gateway route, inbound rules per listener port, DNS, traffic.</summary>
    public PrintableList<HealthCheckResult> Reachability { get; init; } = PrintableList<HealthCheckResult>.Empty;

    public DateTimeOffset StartTime { get; init; }

    public DateTimeOffset EndTime { get; init; }

    public double? RequestCount { get; init; }

    public double? ElbHttp502Count { get; init; }

    public double? ElbHttp503Count { get; init; }

    public double? ElbHttp504Count { get; init; }

    public double? TargetHttp5xxCount { get; init; }

    /// <summary>TargetResponseTime p50 over the window, seconds.</summary>
    public double? TargetResponseTimeP50 { get; init; }

    /// <summary>TargetResponseTime maximum over the window, seconds.</summary>
    public double? TargetResponseTimeMaximum { get; init; }

    /// <summary>What could not be read.</summary>
    public PrintableList<string> NotRead { get; init; } = PrintableList<string>.Empty;

    /// <summary>The cluster and service the load balancer was found through, when it was.</summary>
    public string? Cluster { get; init; }

    public string? Service { get; init; }

    public DateTimeOffset CheckedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() =>
        $"{LoadBalancerName}: {Status}" + (Causes.Count == 0 ? "" : $" ({string.Join(", ", Causes.Select(c => (c.StatusCode is { } code ? code + " " : "") + c.Cause))})");
}

/// <summary>What Set-LoadBalancerAttribute changed.</summary>
public sealed class LoadBalancerAttributeChange
{
    public string LoadBalancerName { get; init; } = "";

    public string LoadBalancerArn { get; init; } = "";

    /// <summary>The attribute key, e.g. idle_timeout.timeout_seconds.</summary>
    public string Attribute { get; init; } = "";

    public string? OldValue { get; init; }

    public string NewValue { get; init; } = "";

    /// <summary>False when the attribute already had the value.</summary>
    public bool Changed { get; init; }

    public DateTimeOffset ChangedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{LoadBalancerName} {Attribute}: {OldValue} -> {NewValue}{(Changed ? "" : " (already set)")}";
}
