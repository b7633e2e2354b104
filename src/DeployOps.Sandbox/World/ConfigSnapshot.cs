using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using DeployOps.Sandbox.Moto;

namespace DeployOps.Sandbox.World;

public sealed record RegisteredTarget(string Id, int Port, string? AvailabilityZone);

public sealed record TargetGroupConfig(
    string Arn,
    string Name,
    string Protocol,
    int Port,
    string TargetType,
    bool HealthCheckEnabled,
    string HealthCheckProtocol,
    string HealthCheckPort,
    string HealthCheckPath,
    int IntervalSeconds,
    int TimeoutSeconds,
    int HealthyThreshold,
    int UnhealthyThreshold,
    string Matcher,
    IReadOnlyList<string> LoadBalancerArns,
    int DeregistrationDelaySeconds,
    IReadOnlyList<RegisteredTarget> Targets)
{
    /// <summary>True when the status code is one the matcher accepts ("200", "200,302", "200-299").</summary>
    public bool Accepts(int status) => MatcherAccepts(Matcher, status);

    public static bool MatcherAccepts(string matcher, int status)
    {
        foreach (var part in matcher.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var range = part.Split('-');
            if (int.TryParse(range[0], out var low) && int.TryParse(range[^1], out var high) && status >= low && status <= high)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The port probes go to for a target registered on <paramref name="targetPort"/>.</summary>
    public int ProbePort(int targetPort) =>
        int.TryParse(HealthCheckPort, NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) ? port : targetPort;
}

public sealed record ListenerConfig(string Arn, int Port, string Protocol, string? DefaultTargetGroupArn)
{
    /// <summary>The listener's rules other than the default, lowest priority first: the first whose path patterns match routes the request.</summary>
    public IReadOnlyList<ListenerRuleConfig> Rules { get; init; } = [];

    /// <summary>The target group a request for <paramref name="path"/> is forwarded to: the first matching rule's, else the default action's.</summary>
    public string? TargetGroupFor(string path) => Rules.FirstOrDefault(r => r.Matches(path))?.TargetGroupArn ?? DefaultTargetGroupArn;
}

/// <summary>A listener rule that forwards requests whose path matches one of its <c>path-pattern</c> values (<c>*</c> any characters, <c>?</c> one).</summary>
public sealed record ListenerRuleConfig(int Priority, IReadOnlyList<string> PathPatterns, string? TargetGroupArn)
{
    public bool Matches(string path) => PathPatterns.Any(pattern => System.Text.RegularExpressions.Regex.IsMatch(path,
        "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$"));
}

public sealed record LoadBalancerConfig(string Arn, string Name, string DnsName, string Scheme, IReadOnlyList<string> SecurityGroups,
    IReadOnlyList<string> SubnetIds, IReadOnlyList<ListenerConfig> Listeners)
{
    /// <summary>ALB's default <c>idle_timeout.timeout_seconds</c>.</summary>
    public const int DefaultIdleTimeoutSeconds = 60;

    /// <summary>The <c>idle_timeout.timeout_seconds</c> attribute: how long a connection may sit without data before the ALB closes it (504 from a target slower than this).</summary>
    public int IdleTimeoutSeconds { get; init; } = DefaultIdleTimeoutSeconds;
}

/// <summary>One ingress or egress permission of a security group.</summary>
public sealed record PermissionConfig(string Protocol, int FromPort, int ToPort, IReadOnlyList<string> Cidrs, IReadOnlyList<string> GroupIds, IReadOnlyList<string>? PrefixListIds = null)
{
    public bool CoversTcpPort(int port) =>
        Protocol == "-1" || (Protocol is "tcp" or "6" && (FromPort == -1 || (port >= FromPort && port <= ToPort)));
}

public sealed record SecurityGroupConfig(string Id, string Name, IReadOnlyList<PermissionConfig> Ingress, IReadOnlyList<PermissionConfig> Egress, string VpcId = "");

/// <param name="AvailableIpAddresses">What moto counts free (the world's own task interfaces are not in moto: the ECS runtime counts those).</param>
public sealed record SubnetConfig(string Id, string Cidr, string AvailabilityZone, string VpcId = "", int? AvailableIpAddresses = null);

/// <summary>
/// What the world reads from moto about one region's load balancers and network: target groups
/// with their settings and registered targets, load balancers with listeners, security groups,
/// subnets and the VPCs' routing. moto is the authority; the world re-reads when a change passes through the sandbox
/// (or every <see cref="MaxAge"/> in case someone changed moto directly).
/// </summary>
public sealed class ConfigSnapshot
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    public static readonly ConfigSnapshot Empty = new([], [], [], [], [], RoutingConfig.Empty);

    /// <summary>The services (signing names) <see cref="ReadAsync"/> reads: a write to any of them makes a snapshot stale.</summary>
    public static readonly IReadOnlyList<string> SourceServices = ["elasticloadbalancing", "ec2", "logs", "secretsmanager"];

    public ConfigSnapshot(IReadOnlyList<TargetGroupConfig> targetGroups, IReadOnlyList<LoadBalancerConfig> loadBalancers,
        IReadOnlyList<SecurityGroupConfig> securityGroups, IReadOnlyList<SubnetConfig> subnets, IReadOnlyList<string> logGroups, RoutingConfig routing)
    {
        Routing = routing;
        LogGroups = logGroups.ToHashSet(StringComparer.Ordinal);
        TargetGroups = targetGroups.ToDictionary(t => t.Arn, StringComparer.Ordinal);
        LoadBalancers = loadBalancers.ToDictionary(l => l.Arn, StringComparer.Ordinal);
        SecurityGroups = securityGroups.ToDictionary(g => g.Id, StringComparer.Ordinal);
        Subnets = subnets.ToDictionary(s => s.Id, StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, TargetGroupConfig> TargetGroups { get; }

    public IReadOnlyDictionary<string, LoadBalancerConfig> LoadBalancers { get; }

    public IReadOnlyDictionary<string, SecurityGroupConfig> SecurityGroups { get; }

    public IReadOnlyDictionary<string, SubnetConfig> Subnets { get; }

    /// <summary>Route tables, gateways, VPC endpoints and network ACLs: whether a task can reach what it needs to start.</summary>
    public RoutingConfig Routing { get; }

    /// <summary>CloudWatch Logs groups that exist (a task whose awslogs group is missing fails to start).</summary>
    public IReadOnlySet<string> LogGroups { get; }

    /// <summary>The ARNs of the Secrets Manager secrets that exist (a task that names another fails to start).</summary>
    public IReadOnlySet<string> SecretArns { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// True when a task definition's <c>valueFrom</c> names a secret that exists: its full ARN, its ARN without the six
    /// random characters Secrets Manager appends (a partial ARN, as task definitions often write it), or either with a
    /// JSON key, version stage or version id after it.
    /// </summary>
    public bool SecretExists(string valueFrom) =>
        SecretArns.Any(arn => valueFrom.StartsWith(arn, StringComparison.Ordinal) && (valueFrom.Length == arn.Length || valueFrom[arn.Length] == ':') ||
                              arn.Length > 7 && arn[arn.Length - 7] == '-' && arn.StartsWith(valueFrom, StringComparison.Ordinal) && valueFrom.Length == arn.Length - 7);

    /// <summary>Reads everything from moto for one region.</summary>
    public static async Task<ConfigSnapshot> ReadAsync(MotoClient moto, string region, CancellationToken cancellationToken)
    {
        var groupsXml = await moto.ElbAsync("DescribeTargetGroups", [], region, cancellationToken).ConfigureAwait(false);
        var balancersXml = await moto.ElbAsync("DescribeLoadBalancers", [], region, cancellationToken).ConfigureAwait(false);
        var securityXml = await moto.Ec2Async("DescribeSecurityGroups", [], region, cancellationToken).ConfigureAwait(false);
        var subnetsXml = await moto.Ec2Async("DescribeSubnets", [], region, cancellationToken).ConfigureAwait(false);
        var logGroups = await ReadLogGroupsAsync(moto, region, cancellationToken).ConfigureAwait(false);
        var routing = await RoutingConfig.ReadAsync(moto, region, cancellationToken).ConfigureAwait(false);
        var secretArns = await ReadSecretArnsAsync(moto, region, cancellationToken).ConfigureAwait(false);

        var targetGroups = await Task.WhenAll(groupsXml.ListBelow("TargetGroups")
            .Select(tg => ReadTargetGroupAsync(moto, tg, region, cancellationToken))).ConfigureAwait(false);
        var loadBalancers = await Task.WhenAll(balancersXml.ListBelow("LoadBalancers")
            .Select(lb => ReadLoadBalancerAsync(moto, lb, region, cancellationToken))).ConfigureAwait(false);
        var securityGroups = securityXml.ListBelow("securityGroupInfo").Select(g => new SecurityGroupConfig(
            g.Text("groupId") ?? "",
            g.Text("groupName") ?? "",
            g.Items("ipPermissions").Select(ReadPermission).ToList(),
            g.Items("ipPermissionsEgress").Select(ReadPermission).ToList(),
            g.Text("vpcId") ?? "")).ToList();
        var subnets = subnetsXml.ListBelow("subnetSet").Select(s => new SubnetConfig(
            s.Text("subnetId") ?? "", s.Text("cidrBlock") ?? "", s.Text("availabilityZone") ?? "", s.Text("vpcId") ?? "", s.Int("availableIpAddressCount"))).ToList();
        return new ConfigSnapshot(targetGroups, loadBalancers, securityGroups, subnets, logGroups, routing) { SecretArns = secretArns };
    }

    private static async Task<HashSet<string>> ReadSecretArnsAsync(MotoClient moto, string region, CancellationToken cancellationToken)
    {
        var arns = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var request = new System.Text.Json.Nodes.JsonObject();
            if (token is not null)
            {
                request["NextToken"] = token;
            }

            var page = await moto.SecretsManagerAsync("ListSecrets", request, region, cancellationToken).ConfigureAwait(false);
            arns.UnionWith((page["SecretList"]?.AsArray() ?? []).Select(s => s?["ARN"]?.GetValue<string>() ?? "").Where(a => a.Length > 0));
            token = page["NextToken"]?.GetValue<string>();
        }
        while (token is not null);

        return arns;
    }

    private static async Task<List<string>> ReadLogGroupsAsync(MotoClient moto, string region, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        string? token = null;
        do
        {
            var request = new System.Text.Json.Nodes.JsonObject();
            if (token is not null)
            {
                request["nextToken"] = token;
            }

            var page = await moto.LogsAsync("DescribeLogGroups", request, region, cancellationToken).ConfigureAwait(false);
            names.AddRange((page["logGroups"]?.AsArray() ?? []).Select(g => g?["logGroupName"]?.GetValue<string>() ?? "").Where(n => n.Length > 0));
            token = page["nextToken"]?.GetValue<string>();
        }
        while (token is not null);

        return names;
    }

    private static async Task<TargetGroupConfig> ReadTargetGroupAsync(MotoClient moto, XElement tg, string region, CancellationToken cancellationToken)
    {
        var arn = tg.Text("TargetGroupArn") ?? "";
        var arnParameter = new[] { new KeyValuePair<string, string>("TargetGroupArn", arn) };
        var health = await moto.ElbAsync("DescribeTargetHealth", arnParameter, region, cancellationToken).ConfigureAwait(false);
        var attributes = await moto.ElbAsync("DescribeTargetGroupAttributes", arnParameter, region, cancellationToken).ConfigureAwait(false);
        var delay = attributes.ListBelow("Attributes").FirstOrDefault(a => a.Text("Key") == "deregistration_delay.timeout_seconds").Int("Value") ?? 300;
        var targets = health.ListBelow("TargetHealthDescriptions")
            .Select(d => d.Child("Target"))
            .Select(t => new RegisteredTarget(t.Text("Id") ?? "", t.Int("Port") ?? 0, t.Text("AvailabilityZone")))
            .ToList();
        return new TargetGroupConfig(
            arn,
            tg.Text("TargetGroupName") ?? "",
            tg.Text("Protocol") ?? "HTTP",
            tg.Int("Port") ?? 80,
            tg.Text("TargetType") ?? "instance",
            tg.Bool("HealthCheckEnabled") ?? true,
            tg.Text("HealthCheckProtocol") ?? "HTTP",
            tg.Text("HealthCheckPort") ?? "traffic-port",
            tg.Text("HealthCheckPath") ?? "/",
            tg.Int("HealthCheckIntervalSeconds") ?? 30,
            tg.Int("HealthCheckTimeoutSeconds") ?? 5,
            tg.Int("HealthyThresholdCount") ?? 5,
            tg.Int("UnhealthyThresholdCount") ?? 2,
            tg.Child("Matcher").Text("HttpCode") ?? "200",
            tg.Items("LoadBalancerArns").Select(e => e.Value).ToList(),
            delay,
            targets);
    }

    private static async Task<LoadBalancerConfig> ReadLoadBalancerAsync(MotoClient moto, XElement lb, string region, CancellationToken cancellationToken)
    {
        var arn = lb.Text("LoadBalancerArn") ?? "";
        var listenersXml = await moto.ElbAsync("DescribeListeners", [new("LoadBalancerArn", arn)], region, cancellationToken).ConfigureAwait(false);
        var listeners = await Task.WhenAll(listenersXml.ListBelow("Listeners").Select(async l =>
        {
            var listenerArn = l.Text("ListenerArn") ?? "";
            var rulesXml = await moto.ElbAsync("DescribeRules", [new("ListenerArn", listenerArn)], region, cancellationToken).ConfigureAwait(false);
            var rules = rulesXml.ListBelow("Rules").Where(r => r.Text("IsDefault") != "true" && int.TryParse(r.Text("Priority"), out _))
                .Select(r => new ListenerRuleConfig(
                    int.Parse(r.Text("Priority")!, CultureInfo.InvariantCulture),
                    r.Items("Conditions").Where(c => c.Text("Field") == "path-pattern")
                        .SelectMany(c => c.Items("Values").Concat(c.Child("PathPatternConfig").Items("Values"))).Select(v => v.Value).ToList(),
                    ForwardTarget(r.Items("Actions"))))
                .OrderBy(r => r.Priority).ToList();
            return new ListenerConfig(listenerArn, l.Int("Port") ?? 80, l.Text("Protocol") ?? "HTTP", ForwardTarget(l.Items("DefaultActions"))) { Rules = rules };
        })).ConfigureAwait(false);
        var attributes = await moto.ElbAsync("DescribeLoadBalancerAttributes", [new("LoadBalancerArn", arn)], region, cancellationToken).ConfigureAwait(false);
        var idleTimeout = attributes.ListBelow("Attributes").FirstOrDefault(a => a.Text("Key") == "idle_timeout.timeout_seconds").Int("Value");
        return new LoadBalancerConfig(
            arn,
            lb.Text("LoadBalancerName") ?? "",
            lb.Text("DNSName") ?? "",
            lb.Text("Scheme") ?? "internet-facing",
            lb.Items("SecurityGroups").Select(e => e.Value).ToList(),
            lb.Items("AvailabilityZones").Select(z => z.Text("SubnetId") ?? "").Where(s => s.Length > 0).ToList(),
            listeners) { IdleTimeoutSeconds = idleTimeout ?? LoadBalancerConfig.DefaultIdleTimeoutSeconds };
    }

    /// <summary>The target group a list of actions forwards to (<c>TargetGroupArn</c>, or the first of <c>ForwardConfig</c>).</summary>
    private static string? ForwardTarget(IEnumerable<XElement> actions)
    {
        var action = actions.FirstOrDefault(a => a.Text("Type") == "forward");
        return action.Text("TargetGroupArn") ?? action.Child("ForwardConfig").Items("TargetGroups").Select(t => t.Text("TargetGroupArn")).FirstOrDefault();
    }

    private static PermissionConfig ReadPermission(XElement permission) => new(
        permission.Text("ipProtocol") ?? "-1",
        permission.Int("fromPort") ?? -1,
        permission.Int("toPort") ?? -1,
        permission.Items("ipRanges").Select(r => r.Text("cidrIp") ?? "").Where(c => c.Length > 0).ToList(),
        permission.Items("groups").Select(g => g.Text("groupId") ?? "").Where(g => g.Length > 0).ToList(),
        permission.Items("prefixListIds").Select(p => p.Text("prefixListId") ?? "").Where(p => p.Length > 0).ToList());
}
