using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Facts;
using DeployOps.LoadBalancers;
using DeployOps.Operations;
using DeployOps.Sandbox.Moto;
using DeployOps.Testing;

namespace DeployOps.Benchmarks;

/// <summary>
/// Get-LoadBalancerHealth's engine on an ALB with 10 target groups and 40 targets (alb-502 grown through the ELBv2 API: a
/// path rule per group): API calls against the minimum the report needs, and wall time; then the runbook's loop
/// (describe-target-groups, then describe-target-health per group) with the aws CLI against the same sandbox.
/// </summary>
public static class LoadBalancerDiagnosis
{
    public const int TargetGroups = 10;
    public const int TargetsPerGroup = 4;

    public static async Task RunAsync(int rounds)
    {
        await using var sandbox = await SandboxProcess.StartAsync(Lightwave.Alb502.Scenario);
        using var aws = new MotoClient(sandbox.Url);
        var (balancerArn, groupArns) = await GrowAsync(aws);
        Console.WriteLine($"sandbox at {sandbox.Url}: {Lightwave.LoadBalancer} with {groupArns.Count} target groups, {groupArns.Count * TargetsPerGroup} targets, one listener; {Figures.MachineLoad}");

        var request = new LoadBalancerHealthRequest { LoadBalancers = new[] { Lightwave.LoadBalancer }, Since = TimeSpan.FromMinutes(15) };
        var times = new List<double>();
        Aws.AwsCallCounter? calls = null;
        LoadBalancerHealthReport? report = null;
        for (var round = 0; round <= rounds; round++)
        {
            using var session = SandboxSession.Create(sandbox.Url);
            var clock = Stopwatch.StartNew();
            var outcomes = await new LoadBalancerHealthInspector(new AwsFacts(session, NullOperationObserver.Instance)).InspectAsync(request, default);
            clock.Stop();
            if (round == 0)
            {
                continue; // warm-up: JIT and connection set-up
            }

            times.Add(clock.Elapsed.TotalMilliseconds);
            calls = session.Calls;
            report = outcomes.Single().Value;
        }

        // The least the report needs: the load balancer, its attributes, its listeners, each listener's rules, the groups in
        // one call, each group's target health, one GetMetricData, and the four VPC families reachability reads (subnets,
        // security groups, route tables, internet gateways).
        var listeners = report!.Routes.Select(r => r.ListenerPort).Distinct().Count();
        var minimum = 3 + listeners + 1 + report.TargetGroups.Count + 1 + 4;
        Console.WriteLine();
        Console.WriteLine($"DeployOps engine (Get-LoadBalancerHealth {Lightwave.LoadBalancer}), {rounds} rounds after a warm-up:");
        Console.WriteLine($"  {report}; {report.Routes.Count} routes, {report.TargetGroups.Sum(g => g.Targets.Count)} targets, complete: {report.Complete}");
        Console.WriteLine($"  API calls per report: {calls!.TotalCalls} (minimum needed: {minimum}); HTTP attempts: {calls.TotalAttempts}");
        foreach (var (service, operation, count, _) in calls.Snapshot().OrderBy(c => c.Service, StringComparer.Ordinal).ThenBy(c => c.Operation, StringComparer.Ordinal))
        {
            Console.WriteLine($"    {service + " " + operation,-50} {count,3}");
        }

        times.Sort();
        var median = Figures.Median(times);
        Console.WriteLine($"  wall time: median {median:0} ms, min {times[0]:0} ms, max {times[^1]:0} ms");

        var cli = await RunbookWayAsync(sandbox.Url, balancerArn);
        Console.WriteLine();
        Console.WriteLine("The runbook's loop (004 \"ALB returns 502/503 errors\" step 1: describe-target-groups, then describe-target-health per group):");
        Console.WriteLine($"  aws CLI invocations: {cli.Invocations}; it reads target health only (no rules, figures, attributes or reachability)");
        Console.WriteLine($"  wall time: {cli.Elapsed.TotalMilliseconds:0} ms");
        Console.WriteLine($"  speed-up: {cli.Elapsed.TotalMilliseconds / median:0.0}x");
    }

    /// <summary>Adds target groups (one path rule each) and registers targets until the ALB has 10 groups of 4 targets.</summary>
    private static async Task<(string BalancerArn, IReadOnlyList<string> GroupArns)> GrowAsync(MotoClient aws)
    {
        var region = Lightwave.Region;
        var balancer = (await aws.ElbAsync("DescribeLoadBalancers", [new("Names.member.1", Lightwave.LoadBalancer)], region, default)).ListBelow("LoadBalancers").Single();
        var balancerArn = balancer.Text("LoadBalancerArn")!;
        var vpc = balancer.Text("VpcId")!;
        var listenerArn = (await aws.ElbAsync("DescribeListeners", [new("LoadBalancerArn", balancerArn)], region, default)).ListBelow("Listeners").Single().Text("ListenerArn")!;
        var groups = (await aws.ElbAsync("DescribeTargetGroups", [], region, default)).ListBelow("TargetGroups").Select(g => g.Text("TargetGroupArn")!).ToList();
        for (var i = groups.Count; i < TargetGroups; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"lightwave-dev-svc{i}-tg");
            var created = await aws.ElbAsync("CreateTargetGroup",
                [new("Name", name), new("Protocol", "HTTP"), new("Port", "8000"), new("VpcId", vpc), new("TargetType", "ip"), new("HealthCheckPath", "/api/v1/health/health/")],
                region, default);
            var arn = created.Find("TargetGroupArn")!.Value;
            await aws.ElbAsync("CreateRule",
            [
                new("ListenerArn", listenerArn), new("Priority", (100 + i).ToString(CultureInfo.InvariantCulture)), new("Conditions.member.1.Field", "path-pattern"),
                new("Conditions.member.1.PathPatternConfig.Values.member.1", string.Create(CultureInfo.InvariantCulture, $"/svc{i}/*")),
                new("Actions.member.1.Type", "forward"), new("Actions.member.1.TargetGroupArn", arn),
            ], region, default);
            groups.Add(arn);
        }

        for (var g = 0; g < groups.Count; g++)
        {
            var registered = (await aws.ElbAsync("DescribeTargetHealth", [new("TargetGroupArn", groups[g])], region, default)).ListBelow("TargetHealthDescriptions").Count();
            var targets = Enumerable.Range(registered, Math.Max(0, TargetsPerGroup - registered)).Select((t, n) => (Id: string.Create(CultureInfo.InvariantCulture, $"10.20.0.{10 + (g * TargetsPerGroup) + t}"), Member: n + 1)).ToList();
            if (targets.Count > 0)
            {
                await aws.ElbAsync("RegisterTargets",
                    [new("TargetGroupArn", groups[g]), .. targets.SelectMany(t => new KeyValuePair<string, string>[] { new($"Targets.member.{t.Member}.Id", t.Id), new($"Targets.member.{t.Member}.Port", "8000") })],
                    region, default);
            }
        }

        return (balancerArn, groups);
    }

    private static async Task<(int Invocations, TimeSpan Elapsed)> RunbookWayAsync(Uri endpoint, string balancerArn)
    {
        var clock = Stopwatch.StartNew();
        var arns = (await AwsCli.RunAsync(endpoint, "elbv2", "describe-target-groups", "--load-balancer-arn", balancerArn, "--query", "TargetGroups[].TargetGroupArn", "--output", "text"))
            .Split((char[])['\t', '\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries);
        foreach (var arn in arns)
        {
            await AwsCli.RunAsync(endpoint, "elbv2", "describe-target-health", "--target-group-arn", arn);
        }

        return (1 + arns.Length, clock.Elapsed);
    }
}
