using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.Ec2;
using DeployOps.Aws.ElasticLoadBalancing;
using DeployOps.Facts;
using DeployOps.Health;
using DeployOps.LoadBalancers;
using DeployOps.Networking;
using DeployOps.Operations;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>Runbook 004's load balancer rules, without AWS: each cause from the facts that decide it.</summary>
public sealed class LoadBalancerClassifierTests
{
    private const string Vpc = "vpc-1";
    private const string GroupArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef";
    private const string AdminArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/admin-tg/fedcba9876543210";
    private const string BalancerArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-alb/50dc6c495c0c9188";
    private static readonly TimeWindow Window = new(DateTimeOffset.Parse("2026-05-01T10:00:00Z"), DateTimeOffset.Parse("2026-05-01T11:00:00Z"));

    private static LoadBalancerFacts Facts(
        string scheme = "internet-facing",
        string state = "active",
        IReadOnlyList<ElbTargetHealth>? targets = null,
        LoadBalancerFigures? figures = null,
        string idleTimeout = "60",
        bool publicRoute = true,
        bool port80Open = true,
        ElbRule? extraRule = null,
        IReadOnlyList<ElbTargetHealth>? adminTargets = null)
    {
        var listener = new ElbListener("listener-1", BalancerArn, 80, "HTTP", new[] { new ElbListenerAction("forward", new[] { GroupArn }) });
        var rules = new List<ElbRule> { new("rule-default", "default", true, Array.Empty<string>(), Array.Empty<string>(), listener.DefaultActions) };
        if (extraRule is not null)
        {
            rules.Add(extraRule);
        }

        var groups = new Dictionary<string, TargetGroupReading>
        {
            [GroupArn] = Reading(GroupArn, "web-tg", targets ?? Healthy(2)),
        };
        if (extraRule is not null)
        {
            groups[AdminArn] = Reading(AdminArn, "admin-tg", adminTargets ?? Array.Empty<ElbTargetHealth>());
        }

        return new LoadBalancerFacts
        {
            LoadBalancer = new ElbLoadBalancer
            {
                Arn = BalancerArn, Name = "web-alb", DnsName = "web-alb-1.us-east-1.elb.amazonaws.com", Scheme = scheme, State = state,
                SecurityGroups = new[] { "sg-alb" }, SubnetIds = new[] { "subnet-a" }, VpcId = Vpc,
            },
            Attributes = Fact<IReadOnlyDictionary<string, string>>.Of(new Dictionary<string, string> { ["idle_timeout.timeout_seconds"] = idleTimeout }),
            Listeners = Fact<IReadOnlyList<ListenerReading>>.Of(new[] { new ListenerReading(listener, Fact<IReadOnlyList<ElbRule>>.Of(rules)) }),
            TargetGroups = groups,
            Network = Network(publicRoute, port80Open),
            Figures = Fact<LoadBalancerFigures>.Of(figures ?? Figures()),
            Window = Window,
            Dns = (true, "resolves"),
        };
    }

    private static LoadBalancerFigures Figures(double? requests = 100, double? elb502 = null, double? elb503 = null, double? elb504 = null, double? target5xx = null) =>
        new(requests, elb502, elb503, elb504, target5xx, 0.05, 0.4, new Dictionary<string, (double?, double?)> { [GroupArn] = (2, 0) });

    private static IReadOnlyList<ElbTargetHealth> Healthy(int count) =>
        Enumerable.Range(1, count).Select(i => new ElbTargetHealth { TargetId = $"10.0.0.{i}", Port = 8000, State = "healthy" }).ToList();

    private static TargetGroupReading Reading(string arn, string name, IReadOnlyList<ElbTargetHealth> targets) =>
        new(arn, Fact<ElbTargetGroup>.Of(new ElbTargetGroup { Arn = arn, Name = name, Port = 8000, HealthCheck = new ElbHealthCheck { Path = "/health" } }),
            Fact<IReadOnlyList<ElbTargetHealth>>.Of(targets));

    private static VpcNetwork Network(bool publicRoute, bool port80Open) => new()
    {
        VpcId = Vpc,
        Subnets = Fact<IReadOnlyList<Ec2Subnet>>.Of(new[]
        {
            new Ec2Subnet("subnet-a", Vpc, "10.0.0.0/24", "us-east-1a", 200, "available") { Name = "lb-a" },
            new Ec2Subnet("subnet-pub", Vpc, "10.0.9.0/24", "us-east-1a", 200, "available") { Name = "public-a" },
        }),
        RouteTables = Fact<IReadOnlyList<Ec2RouteTable>>.Of(new[]
        {
            new Ec2RouteTable { Id = "rtb-lb", VpcId = Vpc, SubnetIds = new[] { "subnet-a" }, Routes = new[] { new Ec2Route("0.0.0.0/0", null, publicRoute ? "igw-1" : null, publicRoute ? null : "nat-1", "active") } },
            new Ec2RouteTable { Id = "rtb-pub", VpcId = Vpc, SubnetIds = new[] { "subnet-pub" }, Routes = new[] { new Ec2Route("0.0.0.0/0", null, "igw-1", null, "active") } },
        }),
        InternetGateways = Fact<IReadOnlyList<Ec2InternetGateway>>.Of(new[] { new Ec2InternetGateway("igw-1", new[] { Vpc }) }),
        SecurityGroups = Fact<IReadOnlyList<Ec2SecurityGroup>>.Of(new[]
        {
            new Ec2SecurityGroup
            {
                Id = "sg-alb", Name = "alb", VpcId = Vpc,
                Ingress = new[] { new Ec2Permission { Protocol = "tcp", FromPort = port80Open ? 80 : 443, ToPort = port80Open ? 80 : 443, Ipv4Ranges = new[] { "0.0.0.0/0" } } },
            },
        }),
        NatGateways = Fact<IReadOnlyList<Ec2NatGateway>>.Of(Array.Empty<Ec2NatGateway>()),
        Endpoints = Fact<IReadOnlyList<Ec2VpcEndpoint>>.Of(Array.Empty<Ec2VpcEndpoint>()),
        NetworkAcls = Fact<IReadOnlyList<Ec2NetworkAcl>>.Of(Array.Empty<Ec2NetworkAcl>()),
    };

    private static LoadBalancerCause Single(LoadBalancerVerdict verdict, LoadBalancerCauseKind kind) => Assert.Single(verdict.Causes, c => c.Kind == kind);

    [Fact]
    public void A_load_balancer_with_healthy_targets_no_5xx_and_a_way_in_is_healthy()
    {
        var verdict = LoadBalancerClassifier.Classify(Facts());

        Assert.Equal(HealthStatus.Healthy, verdict.Status);
        Assert.Empty(verdict.Causes);
        Assert.Equal(60, verdict.IdleTimeoutSeconds);
        var route = Assert.Single(verdict.Routes);
        Assert.Equal(("default", "web-tg", 2, 2), (route.Rule, route.TargetGroupName, route.HealthyCount, route.RegisteredCount));
        Assert.All(verdict.Reachability, check => Assert.Equal(CheckOutcome.Pass, check.OutcomeKind));
    }

    [Fact]
    public void A_quiet_window_is_a_traffic_warning_but_not_a_verdict()
    {
        var verdict = LoadBalancerClassifier.Classify(Facts(figures: Figures(requests: null)));

        Assert.Equal(HealthStatus.Healthy, verdict.Status);
        Assert.Equal(CheckOutcome.Warning, verdict.Reachability.Single(r => r.Name == LoadBalancerClassifier.TrafficCheck).OutcomeKind);
    }

    [Fact]
    public void A_rule_to_a_group_without_targets_is_a_503_naming_the_rule()
    {
        var rule = new ElbRule("rule-10", "10", false, new[] { "/admin/*" }, Array.Empty<string>(), new[] { new ElbListenerAction("forward", new[] { AdminArn }) });

        var verdict = LoadBalancerClassifier.Classify(Facts(extraRule: rule));

        var cause = Single(verdict, LoadBalancerCauseKind.NoRegisteredTargets);
        Assert.Equal((503, "admin-tg"), (cause.StatusCode, cause.Resource));
        Assert.Contains("rule priority 10 (path /admin/*)", cause.Evidence[0], StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Error, verdict.Status);
        Assert.Equal(new[] { "priority 10 (path /admin/*)", "default" }, verdict.Routes.Select(r => r.Rule));
    }

    [Fact]
    public void Unhealthy_targets_are_a_503_with_their_reasons()
    {
        var targets = new[] { new ElbTargetHealth { TargetId = "10.0.0.1", Port = 8000, State = "unhealthy", Reason = "Target.Timeout", Description = "Request timed out" } };

        var cause = Single(LoadBalancerClassifier.Classify(Facts(targets: targets)), LoadBalancerCauseKind.NoHealthyTargets);

        Assert.Equal(503, cause.StatusCode);
        Assert.Contains("1 unhealthy (Target.Timeout)", cause.Evidence[0], StringComparison.Ordinal);
        Assert.Contains("10.0.0.1:8000: Request timed out", cause.Evidence);
        Assert.Contains("Repair-TargetGroupHealthCheck", cause.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Elb_502s_without_target_errors_are_connections_the_targets_closed()
    {
        var cause = Single(LoadBalancerClassifier.Classify(Facts(figures: Figures(elb502: 12))), LoadBalancerCauseKind.TargetClosedConnection);

        Assert.Equal(502, cause.StatusCode);
        Assert.Contains("HTTPCode_ELB_502_Count 12", cause.Evidence[0], StringComparison.Ordinal);
        Assert.Contains("keep-alive", cause.Fix, StringComparison.Ordinal);
        Assert.Contains("--keep-alive 65", cause.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Elb_504s_with_healthy_targets_are_targets_slower_than_the_idle_timeout()
    {
        var verdict = LoadBalancerClassifier.Classify(Facts(figures: Figures(elb504: 7), idleTimeout: "60"));

        var cause = Single(verdict, LoadBalancerCauseKind.SlowerThanIdleTimeout);
        Assert.Equal(504, cause.StatusCode);
        Assert.Contains("Idle timeout 60 s", cause.Evidence[1], StringComparison.Ordinal);
        Assert.StartsWith("Set-LoadBalancerAttribute -LoadBalancer web-alb -IdleTimeout 120", cause.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 120)]
    [InlineData(60, 120)]
    [InlineData(120, 240)]
    [InlineData(3000, 4000)]
    public void The_suggested_idle_timeout_is_the_runbooks_120_or_double_within_alb_limits(int? current, int suggested) =>
        Assert.Equal(suggested, LoadBalancerClassifier.SuggestedIdleTimeout(current));

    [Fact]
    public void Causes_are_ordered_503_502_504_then_the_targets_own_errors()
    {
        var verdict = LoadBalancerClassifier.Classify(Facts(figures: Figures(elb502: 1, elb503: 1, elb504: 1, target5xx: 3)));

        Assert.Equal(new int?[] { 503, 502, 504, 500 }, verdict.Causes.Select(c => c.StatusCode));
        Assert.Equal(LoadBalancerCauseKind.NoHealthyTargetsEarlier, verdict.Causes[0].Kind);
    }

    [Fact]
    public void Target_5xx_alone_is_a_warning()
    {
        var verdict = LoadBalancerClassifier.Classify(Facts(figures: Figures(target5xx: 3)));

        Assert.Equal(HealthStatus.Warning, verdict.Status);
        Assert.Equal(LoadBalancerCauseKind.TargetErrors, Assert.Single(verdict.Causes).Kind);
    }

    [Fact]
    public void An_internet_facing_load_balancer_in_private_subnets_names_the_public_subnets()
    {
        var verdict = LoadBalancerClassifier.Classify(Facts(publicRoute: false));

        var cause = Single(verdict, LoadBalancerCauseKind.NoInternetGatewayRoute);
        Assert.Null(cause.StatusCode);
        Assert.Contains("sends 0.0.0.0/0 to nat-1, not an attached internet gateway", cause.Evidence[0], StringComparison.Ordinal);
        Assert.Contains("--subnets subnet-pub (public-a)", cause.Fix, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Error, verdict.Status);
    }

    [Fact]
    public void A_listener_port_the_security_groups_do_not_admit_is_closed()
    {
        var cause = Single(LoadBalancerClassifier.Classify(Facts(port80Open: false)), LoadBalancerCauseKind.ListenerPortClosed);

        Assert.Equal("aws ec2 authorize-security-group-ingress --group-id sg-alb --protocol tcp --port 80 --cidr 0.0.0.0/0", cause.Fix);
    }

    [Fact]
    public void An_internal_load_balancer_skips_the_internet_checks_and_warns()
    {
        var verdict = LoadBalancerClassifier.Classify(Facts(scheme: "internal", publicRoute: false, port80Open: false));

        Assert.Equal(HealthStatus.Warning, verdict.Status);
        Assert.Empty(verdict.Causes);
        Assert.Equal(CheckOutcome.Skipped, verdict.Reachability.Single(r => r.Name == "Internet gateway route").OutcomeKind);
        Assert.DoesNotContain(verdict.Reachability, r => r.Name.StartsWith("Inbound", StringComparison.Ordinal));
    }

    [Fact]
    public void A_load_balancer_that_is_not_active_is_an_error()
    {
        var cause = Single(LoadBalancerClassifier.Classify(Facts(state: "provisioning")), LoadBalancerCauseKind.NotActive);

        Assert.Contains("provisioning", cause.Evidence[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_gap_never_passes_for_healthy()
    {
        var facts = Facts();
        var gapped = new LoadBalancerFacts
        {
            LoadBalancer = facts.LoadBalancer,
            Attributes = facts.Attributes,
            Listeners = facts.Listeners,
            TargetGroups = facts.TargetGroups,
            Network = facts.Network,
            Figures = Fact<LoadBalancerFigures>.Unread(new Gap("CloudWatch figures of load balancer web-alb", "Throttling after 3 attempts")),
            Window = Window,
            Dns = facts.Dns,
        };

        var verdict = LoadBalancerClassifier.Classify(gapped);

        Assert.Equal(HealthStatus.Unknown, verdict.Status);
        Assert.Single(gapped.Gaps);
    }

    [Fact]
    public void A_dns_name_that_does_not_resolve_is_a_cause_and_an_endpoint_override_skips_the_check()
    {
        var facts = Facts();
        var unresolved = new LoadBalancerFacts
        {
            LoadBalancer = facts.LoadBalancer, Attributes = facts.Attributes, Listeners = facts.Listeners, TargetGroups = facts.TargetGroups,
            Network = facts.Network, Figures = facts.Figures, Window = Window, Dns = (false, "web-alb-1.us-east-1.elb.amazonaws.com does not resolve from here"),
        };
        var sandbox = new LoadBalancerFacts
        {
            LoadBalancer = facts.LoadBalancer, Attributes = facts.Attributes, Listeners = facts.Listeners, TargetGroups = facts.TargetGroups,
            Network = facts.Network, Figures = facts.Figures, Window = Window, EndpointUrl = "http://127.0.0.1:4566", Dns = (null, "not tried"),
        };

        Assert.Equal(LoadBalancerCauseKind.NameDoesNotResolve, Assert.Single(LoadBalancerClassifier.Classify(unresolved).Causes).Kind);
        Assert.Equal(CheckOutcome.Skipped, LoadBalancerClassifier.Classify(sandbox).Reachability.Single(r => r.Name == "DNS").OutcomeKind);
    }
}
