using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeployOps.Aws;
using DeployOps.Aws.Ec2;
using DeployOps.Aws.ElasticLoadBalancing;
using DeployOps.Facts;
using DeployOps.Health;
using DeployOps.Operations;

namespace DeployOps.LoadBalancers;

/// <summary>What the classifier concluded about one load balancer.</summary>
public sealed record LoadBalancerVerdict(
    HealthStatus Status,
    IReadOnlyList<LoadBalancerRoute> Routes,
    IReadOnlyList<LoadBalancerCause> Causes,
    IReadOnlyList<HealthCheckResult> Reachability,
    int? IdleTimeoutSeconds);

/// <summary>
/// Runbook 004 "ALB returns 502/503 errors" and "ALB not receiving traffic" as rules over a load balancer's facts. Pure:
/// unit-tested without AWS.
/// <list type="bullet">
/// <item>503: a route (listener, rule) forwards to a group with no registered target, no healthy target, or no group at all;
/// CloudWatch's HTTPCode_ELB_503_Count with every group healthy now says targets were missing earlier.</item>
/// <item>502 (HTTPCode_ELB_502_Count): targets closed or reset connections, or answered malformed responses; the app's
/// keep-alive shorter than the idle timeout does the same.</item>
/// <item>504 (HTTPCode_ELB_504_Count) with healthy targets: targets slower than the idle timeout (unreachable targets would
/// fail their health checks and be a 503).</item>
/// <item>Reachability: active, internet-facing in a subnet whose 0.0.0.0/0 goes to an attached internet gateway, security
/// groups admitting each listener's port from 0.0.0.0/0, the DNS name resolving, requests arriving.</item>
/// </list>
/// </summary>
public static class LoadBalancerClassifier
{
    private const string Anywhere = "0.0.0.0/0";

    /// <summary>Whether requests arrive: evidence for "not receiving traffic", never a verdict alone (a quiet hour is no fault).</summary>
    public const string TrafficCheck = "Traffic";

    /// <summary>The idle timeout the runbook raises to.</summary>
    public const int RunbookIdleTimeoutSeconds = 120;

    public static LoadBalancerVerdict Classify(LoadBalancerFacts facts)
    {
        var lb = facts.LoadBalancer;
        var idleTimeout = facts.Attributes.IsRead && facts.Attributes.Value.TryGetValue(ElbLoadBalancerVocabulary.IdleTimeoutAttribute, out var text) &&
                          int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : facts.Attributes.IsRead ? ElbLoadBalancerVocabulary.DefaultIdleTimeoutSeconds : (int?)null;
        var figures = facts.Figures.ValueOr(null);
        var routes = Routes(facts, figures);
        var causes = new List<LoadBalancerCause>();
        causes.AddRange(RouteCauses(facts, routes));
        causes.AddRange(FigureCauses(facts, figures, routes, causes, idleTimeout));
        var reachability = Reachability(facts, figures, causes);
        var complete = !facts.Gaps.Any();
        var status = causes.Any(c => c.IsError) || reachability.Any(r => r.OutcomeKind == CheckOutcome.Fail) ? HealthStatus.Error
            : causes.Count > 0 || reachability.Any(r => r.OutcomeKind == CheckOutcome.Warning && r.Name != TrafficCheck) ? HealthStatus.Warning
            : complete ? HealthStatus.Healthy : HealthStatus.Unknown;
        var ordered = causes.OrderBy(c => c.StatusCode switch { 503 => 0, 502 => 1, 504 => 2, null => 4, _ => 3 }).ToList();
        return new LoadBalancerVerdict(status, routes, ordered, reachability, idleTimeout);
    }

    private static List<LoadBalancerRoute> Routes(LoadBalancerFacts facts, LoadBalancerFigures? figures)
    {
        var routes = new List<LoadBalancerRoute>();
        foreach (var reading in facts.Listeners.ValueOr(Array.Empty<ListenerReading>())!)
        {
            var listener = reading.Listener;
            var rules = reading.Rules.IsRead
                ? reading.Rules.Value.OrderBy(r => r.IsDefault ? 1 : 0).ThenBy(r => int.TryParse(r.Priority, out var p) ? p : int.MaxValue).ToList()
                : new List<ElbRule> { new("", "default", true, Array.Empty<string>(), Array.Empty<string>(), listener.DefaultActions) };
            foreach (var rule in rules)
            {
                foreach (var arn in rule.Actions.SelectMany(a => a.TargetGroupArns).Distinct(StringComparer.Ordinal))
                {
                    var health = facts.TargetGroups.TryGetValue(arn, out var group) ? group.Health : null;
                    var hosts = figures?.HostCounts.TryGetValue(arn, out var counts) == true ? counts : (null, null);
                    routes.Add(new LoadBalancerRoute
                    {
                        ListenerPort = listener.Port ?? 0,
                        ListenerProtocol = listener.Protocol ?? "",
                        Rule = rule.ToString(),
                        TargetGroupName = health?.TargetGroupName ?? AwsArn.TargetGroupName(arn),
                        TargetGroupArn = arn,
                        RegisteredCount = health?.Targets.Count ?? 0,
                        HealthyCount = health?.HealthyCount ?? 0,
                        UnhealthyCount = health?.UnhealthyCount ?? 0,
                        MinimumHealthyHostCount = hosts.MinimumHealthy,
                        MaximumUnHealthyHostCount = hosts.MaximumUnhealthy,
                    });
                }
            }
        }

        return routes;
    }

    private static IEnumerable<LoadBalancerCause> RouteCauses(LoadBalancerFacts facts, IReadOnlyList<LoadBalancerRoute> routes)
    {
        foreach (var byGroup in routes.GroupBy(r => r.TargetGroupArn, StringComparer.Ordinal))
        {
            var route = byGroup.First();
            var via = string.Join(", ", byGroup.Select(r => $"{r.ListenerProtocol}:{r.ListenerPort} rule {r.Rule}"));
            if (!facts.TargetGroups.TryGetValue(route.TargetGroupArn, out var reading) || reading.Health is not { } health)
            {
                if (reading?.Group.Absent == true)
                {
                    yield return new LoadBalancerCause(LoadBalancerCauseKind.TargetGroupMissing, 503, route.TargetGroupName,
                        Lines($"{via} forwards to target group {route.TargetGroupArn}, which does not exist"),
                        $"Point the rule at an existing target group: aws elbv2 modify-rule (or modify-listener for the default action) --actions Type=forward,TargetGroupArn=<group>");
                }

                continue;
            }

            if (health.Targets.Count == 0)
            {
                yield return new LoadBalancerCause(LoadBalancerCauseKind.NoRegisteredTargets, 503, health.TargetGroupName,
                    Lines($"{via} forwards to target group {health.TargetGroupName}, which has no registered target"),
                    $"Register targets in {health.TargetGroupName}: map the ECS service that serves these paths to it (its loadBalancers), or aws elbv2 register-targets --target-group-arn {health.TargetGroupArn} --targets Id=<ip>,Port={health.Port}");
            }
            else if (health.HealthyCount == 0)
            {
                var states = health.Targets.GroupBy(t => t.State + (t.Reason is null ? "" : $" ({t.Reason})"))
                    .Select(g => $"{g.Count()} {g.Key}");
                var evidence = new List<string> { $"{via} forwards to target group {health.TargetGroupName}, whose {health.Targets.Count} target(s) are not healthy: {string.Join(", ", states)}" };
                evidence.AddRange(health.Targets.Where(t => t.Description is not null).Select(t => $"{t.Id}:{t.Port}: {t.Description}").Distinct().Take(3));
                yield return new LoadBalancerCause(LoadBalancerCauseKind.NoHealthyTargets, 503, health.TargetGroupName, evidence.ToPrintableList(),
                    $"Find why the targets fail health checks on {health.HealthCheckPath}: Get-DeploymentHealth for the service behind {health.TargetGroupName}; a wrong path is Repair-TargetGroupHealthCheck -TargetGroupArn {health.TargetGroupArn} -HealthCheckPath <path>");
            }
        }
    }

    private static IEnumerable<LoadBalancerCause> FigureCauses(LoadBalancerFacts facts, LoadBalancerFigures? figures, IReadOnlyList<LoadBalancerRoute> routes,
        IReadOnlyList<LoadBalancerCause> routeCauses, int? idleTimeout)
    {
        if (figures is null)
        {
            yield break;
        }

        var name = facts.LoadBalancer.Name;
        var window = $"in {facts.Window}";
        var target5xx = $"HTTPCode_Target_5XX_Count {Count(figures.TargetHttp5xxCount)}";
        var idle = idleTimeout is { } s ? $"{s} s" : "unknown (the attribute was not read)";
        if (figures.ElbHttp503Count > 0 && routeCauses.Count == 0)
        {
            yield return new LoadBalancerCause(LoadBalancerCauseKind.NoHealthyTargetsEarlier, 503, name,
                Lines($"HTTPCode_ELB_503_Count {Count(figures.ElbHttp503Count)} {window}, while every routed target group has a healthy target now",
                    $"Fewest healthy hosts in the window: {string.Join(", ", routes.Select(r => $"{r.TargetGroupName} {Count(r.MinimumHealthyHostCount)}"))}"),
                "Targets were missing or unhealthy at those times: look at the deployments and stopped tasks of that time (Get-DeploymentHealth, Get-EcsTaskFailure).");
        }

        if (figures.ElbHttp502Count > 0)
        {
            yield return new LoadBalancerCause(LoadBalancerCauseKind.TargetClosedConnection, 502, name,
                Lines($"HTTPCode_ELB_502_Count {Count(figures.ElbHttp502Count)} {window}: the load balancer answered 502 itself",
                    $"{target5xx}: the targets did not answer an error; they closed or reset the connection, or answered what is not HTTP",
                    $"Idle timeout {idle}: an application keep-alive shorter than it makes the load balancer reuse connections the target already closed"),
                $"Look in the application's logs for requests that crash or end early (Get-DeploymentLog); set the application's keep-alive timeout longer than the idle timeout ({idle}, e.g. gunicorn --keep-alive {(idleTimeout ?? ElbLoadBalancerVocabulary.DefaultIdleTimeoutSeconds) + 5}).");
        }

        if (figures.ElbHttp504Count > 0)
        {
            var suggested = SuggestedIdleTimeout(idleTimeout);
            var unhealthy = routes.Where(r => r.RegisteredCount > 0 && r.HealthyCount == 0).Select(r => r.TargetGroupName).ToList();
            yield return new LoadBalancerCause(LoadBalancerCauseKind.SlowerThanIdleTimeout, 504, name,
                Lines($"HTTPCode_ELB_504_Count {Count(figures.ElbHttp504Count)} {window}: the load balancer gave up waiting for the target",
                    $"Idle timeout {idle}; TargetResponseTime p50 {Seconds(figures.TargetResponseTimeP50)}, maximum {Seconds(figures.TargetResponseTimeMaximum)} (answers that came in time)",
                    unhealthy.Count == 0 ? "Every routed target group has healthy targets: the load balancer reaches them, they answer too slowly"
                        : $"Target groups without a healthy target: {string.Join(", ", unhealthy)} (check the security group path too)"),
                $"Set-LoadBalancerAttribute -LoadBalancer {name} -IdleTimeout {suggested} (raises {ElbLoadBalancerVocabulary.IdleTimeoutAttribute} to {suggested} s), or make the slow requests faster.");
        }

        if (figures.TargetHttp5xxCount > 0)
        {
            yield return new LoadBalancerCause(LoadBalancerCauseKind.TargetErrors, 500, name,
                Lines($"{target5xx} {window}: the application answered 5xx itself and the load balancer passed it on"),
                "Look at the application's errors: Get-DeploymentLog for the service behind the load balancer.");
        }
    }

    /// <summary>The runbook's 120 s, or twice the current timeout when that is already 120 or more (at most 4000).</summary>
    public static int SuggestedIdleTimeout(int? current) =>
        current is { } seconds && seconds >= RunbookIdleTimeoutSeconds ? Math.Min(seconds * 2, ElbLoadBalancerVocabulary.MaxIdleTimeoutSeconds) : RunbookIdleTimeoutSeconds;

    private static List<HealthCheckResult> Reachability(LoadBalancerFacts facts, LoadBalancerFigures? figures, List<LoadBalancerCause> causes)
    {
        var lb = facts.LoadBalancer;
        var checks = new List<HealthCheckResult>();
        var active = lb.State == ElbLoadBalancerVocabulary.Active;
        checks.Add(new HealthCheckResult("State", active ? CheckOutcome.Pass : CheckOutcome.Fail, $"{lb.State ?? "unknown"}{(lb.StateReason is null ? "" : $": {lb.StateReason}")}"));
        if (!active)
        {
            causes.Add(new LoadBalancerCause(LoadBalancerCauseKind.NotActive, null, lb.Name, Lines($"State {lb.State ?? "unknown"}{(lb.StateReason is null ? "" : $": {lb.StateReason}")}"),
                "Wait for a provisioning load balancer to become active; a failed one must be recreated (terraform apply)."));
        }

        var internetFacing = lb.Scheme == ElbLoadBalancerVocabulary.InternetFacing;
        checks.Add(new HealthCheckResult("Scheme", internetFacing ? CheckOutcome.Pass : CheckOutcome.Warning,
            internetFacing ? "internet-facing" : $"{lb.Scheme}: only clients inside the VPC (or connected to it) reach it"));
        var listeners = facts.Listeners.ValueOr(Array.Empty<ListenerReading>())!.Select(l => l.Listener).ToList();
        if (!internetFacing)
        {
            checks.Add(new HealthCheckResult("Internet gateway route", CheckOutcome.Skipped, "an internal load balancer needs no route to the internet"));
        }
        else
        {
            checks.Add(InternetRoute(facts, causes));
            checks.AddRange(listeners.Where(l => l.Port is not null).Select(l => InboundRule(facts, l.Port!.Value, causes)));
        }

        checks.Add(Dns(facts, causes));
        checks.Add(figures is null
            ? new HealthCheckResult(TrafficCheck, CheckOutcome.Skipped, "the CloudWatch figures were not read")
            : figures.RequestCount > 0
                ? new HealthCheckResult(TrafficCheck, CheckOutcome.Pass, $"RequestCount {Count(figures.RequestCount)} in {facts.Window}")
                : new HealthCheckResult(TrafficCheck, CheckOutcome.Warning, $"No request reached the load balancer in {facts.Window} (RequestCount has no datapoint)"));
        return checks;
    }

    private static HealthCheckResult InternetRoute(LoadBalancerFacts facts, List<LoadBalancerCause> causes)
    {
        var lb = facts.LoadBalancer;
        var network = facts.Network;
        if ((network.RouteTables.Gap ?? network.Subnets.Gap ?? network.InternetGateways.Gap) is { } gap)
        {
            return new HealthCheckResult("Internet gateway route", CheckOutcome.Skipped, gap.ToString());
        }

        var lines = lb.SubnetIds.Select(id => (Id: id, Why: InternetRouteOf(network, id))).ToList();
        if (lines.Any(l => l.Why is null))
        {
            return new HealthCheckResult("Internet gateway route", CheckOutcome.Pass,
                $"{string.Join(", ", lines.Where(l => l.Why is null).Select(l => Named(network, l.Id)))} route 0.0.0.0/0 to an attached internet gateway");
        }

        var publicSubnets = (network.Subnets.ValueOr(null) ?? Array.Empty<Ec2Subnet>()).Where(s => InternetRouteOf(network, s.Id) is null).ToList();
        var evidence = lines.Select(l => $"Subnet {Named(network, l.Id)}: {l.Why}").ToPrintableList();
        causes.Add(new LoadBalancerCause(LoadBalancerCauseKind.NoInternetGatewayRoute, null, lb.Name, evidence,
            publicSubnets.Count == 0
                ? $"Give the VPC an internet gateway and a public route table: aws ec2 create-route --route-table-id <table> --destination-cidr-block {Anywhere} --gateway-id <igw>"
                : $"Put the load balancer in public subnets: aws elbv2 set-subnets --load-balancer-arn {lb.Arn} --subnets {string.Join(" ", publicSubnets.Select(s => s.Id))} ({string.Join(", ", publicSubnets.Select(s => s.Name ?? s.Id))})"));
        return new HealthCheckResult("Internet gateway route", CheckOutcome.Fail, string.Join("; ", evidence));
    }

    /// <summary>Null when the subnet's route table sends 0.0.0.0/0 to an internet gateway attached to the VPC; otherwise why not.</summary>
    private static string? InternetRouteOf(Networking.VpcNetwork network, string subnetId)
    {
        var table = network.RouteTableOf(subnetId);
        if (table is null)
        {
            return "no route table";
        }

        var route = table.Routes.FirstOrDefault(r => r.DestinationCidrBlock == Anywhere && r.State != "blackhole");
        var tableName = table.Name is null ? table.Id : $"{table.Id} ({table.Name})";
        if (route is null)
        {
            return $"route table {tableName} has no route to {Anywhere}";
        }

        var attached = network.InternetGateways.Value.Any(g => g.Id == route.GatewayId && g.AttachedVpcIds.Contains(network.VpcId ?? ""));
        return attached ? null : $"route table {tableName} sends {Anywhere} to {route.Target ?? "nothing"}, not an attached internet gateway";
    }

    private static HealthCheckResult InboundRule(LoadBalancerFacts facts, int port, List<LoadBalancerCause> causes)
    {
        var lb = facts.LoadBalancer;
        var name = $"Inbound on listener port {port}";
        if (facts.Network.SecurityGroups.Gap is { } gap)
        {
            return new HealthCheckResult(name, CheckOutcome.Skipped, gap.ToString());
        }

        var groups = facts.Network.SecurityGroups.Value;
        var internet = new NetworkSide("clients on the internet", Array.Empty<string>(), new[] { Anywhere });
        var balancer = new NetworkSide($"load balancer {lb.Name}", lb.SecurityGroups, facts.Network.CidrsOf(lb.SubnetIds));
        var missing = SecurityGroupPath.Gaps(groups, internet, balancer, port).Where(g => g.Inbound).ToList();
        if (missing.Count == 0)
        {
            return new HealthCheckResult(name, CheckOutcome.Pass, $"{SecurityGroupPath.Describe(groups, lb.SecurityGroups)} allows TCP {port} from {Anywhere}");
        }

        var group = lb.SecurityGroups.FirstOrDefault() ?? "<group>";
        var described = SecurityGroupPath.Describe(groups, lb.SecurityGroups);
        var sentence = $"Security group {described} of load balancer {lb.Name} allows no inbound TCP {port} (the listener's port) from {Anywhere}";
        causes.Add(new LoadBalancerCause(LoadBalancerCauseKind.ListenerPortClosed, null, described, Lines(sentence),
            $"aws ec2 authorize-security-group-ingress --group-id {group} --protocol tcp --port {port} --cidr {Anywhere}"));
        return new HealthCheckResult(name, CheckOutcome.Fail, sentence);
    }

    private static HealthCheckResult Dns(LoadBalancerFacts facts, List<LoadBalancerCause> causes)
    {
        if (facts.DnsServer is null && facts.EndpointUrl is { } endpoint)
        {
            return new HealthCheckResult("DNS", CheckOutcome.Skipped, $"the endpoint is {endpoint}, not AWS: its load balancers' names are not in public DNS (ask its resolver with -DnsServer)");
        }

        var (resolved, detail) = facts.Dns;
        if (resolved is null)
        {
            // Not tried (Skipped), or the resolver asked gave no verdict on the name (a Warning: DNS was not judged).
            return new HealthCheckResult("DNS", facts.DnsServer is null ? CheckOutcome.Skipped : CheckOutcome.Warning, detail);
        }

        if (resolved == false)
        {
            var name = facts.LoadBalancer.DnsName ?? facts.LoadBalancer.Name;
            causes.Add(new LoadBalancerCause(LoadBalancerCauseKind.NameDoesNotResolve, null, name, Lines(detail), facts.DnsServer is { } server
                ? $"Resolver {server} does not know {name}: check that the load balancer still exists (aws elbv2 describe-load-balancers --names {facts.LoadBalancer.Name}), " +
                  $"that the name clients use (a Route 53 alias or CNAME) points at its current DNS name, and ask again (nslookup {(server.Port == Networking.DnsServer.DefaultPort ? "" : $"-port={server.Port} ")}{name} {server.Address})."
                : "Check the DNS resolver of the client (nslookup), and that the name used (a Route 53 alias) points at this load balancer."));
        }

        return new HealthCheckResult("DNS", resolved == true ? CheckOutcome.Pass : CheckOutcome.Fail, detail);
    }

    private static string Named(Networking.VpcNetwork network, string subnetId) =>
        network.Subnet(subnetId)?.Name is { } name ? $"{subnetId} ({name})" : subnetId;

    private static PrintableList<string> Lines(params string[] lines) => lines.ToPrintableList();

    private static string Count(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "no datapoint";

    private static string Seconds(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) + " s" : "no datapoint";
}
