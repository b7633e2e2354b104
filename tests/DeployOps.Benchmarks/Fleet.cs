using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using System.Xml.Linq;
using DeployOps.Sandbox.Moto;

namespace DeployOps.Benchmarks;

/// <summary>One service of a grown fleet.</summary>
public sealed record FleetService(string Cluster, string Service);

/// <summary>
/// Grows the sandbox's "healthy" scenario to a fleet of clusters of N services, each service with its own target
/// group and ALB listener, created through the AWS API as infrastructure code would. The scenario's cluster and ALB
/// come first; every further cluster gets an ALB of its own (an ALB takes at most 50 listeners).
/// </summary>
public static class Fleet
{
    public const string Cluster = "lightwave-dev-ecs-cluster";
    private const string Region = "us-east-1";
    private const string ScenarioService = "lightwave-backend-api-dev";
    private const string ScenarioLoadBalancer = "lightwave-dev-alb";

    /// <summary>The scenario's cluster grown to <paramref name="services"/> services of 2 tasks each.</summary>
    public static async Task<IReadOnlyList<string>> GrowAsync(MotoClient aws, int services) =>
        (await GrowAsync(aws, clusters: 1, servicesPerCluster: services, tasksPerService: 2)).Select(s => s.Service).ToList();

    /// <summary>
    /// <paramref name="clusters"/> clusters of <paramref name="servicesPerCluster"/> services, each new service running
    /// <paramref name="tasksPerService"/> tasks (the scenario's own service keeps its 2). Services and target groups are
    /// numbered across the fleet: lightwave-worker-02-dev uses lightwave-dev-worker-02-tg.
    /// </summary>
    public static async Task<IReadOnlyList<FleetService>> GrowAsync(MotoClient aws, int clusters, int servicesPerCluster, int tasksPerService)
    {
        var existing = await aws.EcsAsync("DescribeServices", new JsonObject { ["cluster"] = Cluster, ["services"] = new JsonArray(ScenarioService) }, Region, default);
        var template = existing["services"]![0]!.AsObject();
        var network = template["networkConfiguration"]!.DeepClone();
        var vpcId = (await aws.Ec2Async("DescribeVpcs", [], Region, default)).Find("vpcId")!.Value;
        var scenarioAlb = (await aws.ElbAsync("DescribeLoadBalancers", [new("Names.member.1", ScenarioLoadBalancer)], Region, default)).ListBelow("LoadBalancers").Single();
        var fleet = new List<FleetService> { new(Cluster, ScenarioService) };
        var number = 1;
        for (var c = 1; c <= clusters; c++)
        {
            var cluster = c == 1 ? Cluster : await CreateClusterAsync(aws, c);
            var albArn = c == 1 ? scenarioAlb.Text("LoadBalancerArn")! : await CreateLoadBalancerLikeAsync(aws, scenarioAlb, $"lightwave-dev-fleet-{c:00}-alb");
            for (var s = c == 1 ? 2 : 1; s <= servicesPerCluster; s++)
            {
                number++;
                var name = await CreateServiceAsync(aws, cluster, albArn, vpcId, network, number, tasksPerService);
                fleet.Add(new FleetService(cluster, name));
            }
        }

        return fleet;
    }

    private static async Task<string> CreateClusterAsync(MotoClient aws, int index)
    {
        var name = $"lightwave-dev-fleet-{index:00}-cluster";
        await aws.EcsAsync("CreateCluster", new JsonObject { ["clusterName"] = name }, Region, default);
        return name;
    }

    /// <summary>An ALB in the subnets and security groups of <paramref name="model"/>.</summary>
    private static async Task<string> CreateLoadBalancerLikeAsync(MotoClient aws, XElement model, string name)
    {
        var form = new List<KeyValuePair<string, string>> { new("Name", name), new("Scheme", "internet-facing"), new("Type", "application") };
        form.AddRange(model.Items("AvailabilityZones").Select((zone, i) => new KeyValuePair<string, string>($"Subnets.member.{i + 1}", zone.Text("SubnetId")!)));
        form.AddRange(model.Items("SecurityGroups").Select((group, i) => new KeyValuePair<string, string>($"SecurityGroups.member.{i + 1}", group.Value)));
        return (await aws.ElbAsync("CreateLoadBalancer", form, Region, default)).Find("LoadBalancerArn")!.Value;
    }

    private static async Task<string> CreateServiceAsync(MotoClient aws, string cluster, string albArn, string vpcId, JsonNode network, int number, int tasks)
    {
        var suffix = number.ToString("00", CultureInfo.InvariantCulture);
        var group = await aws.ElbAsync("CreateTargetGroup",
        [
            new("Name", $"lightwave-dev-worker-{suffix}-tg"), new("Protocol", "HTTP"), new("Port", "8000"), new("VpcId", vpcId), new("TargetType", "ip"),
            new("HealthCheckPath", "/api/v1/health/health/"), new("HealthCheckIntervalSeconds", "15"), new("HealthCheckTimeoutSeconds", "5"),
            new("HealthyThresholdCount", "2"), new("UnhealthyThresholdCount", "2"), new("Matcher.HttpCode", "200"),
        ], Region, default);
        var groupArn = group.Find("TargetGroupArn")!.Value;
        await aws.ElbAsync("ModifyTargetGroupAttributes",
            [new("TargetGroupArn", groupArn), new("Attributes.member.1.Key", "deregistration_delay.timeout_seconds"), new("Attributes.member.1.Value", "30")], Region, default);
        await aws.ElbAsync("CreateListener",
        [
            new("LoadBalancerArn", albArn), new("Protocol", "HTTP"), new("Port", (8000 + number).ToString(CultureInfo.InvariantCulture)),
            new("DefaultActions.member.1.Type", "forward"), new("DefaultActions.member.1.TargetGroupArn", groupArn),
        ], Region, default);
        var name = $"lightwave-worker-{suffix}-dev";
        await aws.EcsAsync("CreateService", new JsonObject
        {
            ["cluster"] = cluster,
            ["serviceName"] = name,
            ["taskDefinition"] = "lightwave-backend-dev:1",
            ["desiredCount"] = tasks,
            ["launchType"] = "FARGATE",
            ["networkConfiguration"] = network.DeepClone(),
            ["loadBalancers"] = new JsonArray(new JsonObject { ["targetGroupArn"] = groupArn, ["containerName"] = "backend", ["containerPort"] = 8000 }),
            ["deploymentConfiguration"] = new JsonObject
            {
                ["minimumHealthyPercent"] = 100,
                ["maximumPercent"] = 200,
                ["deploymentCircuitBreaker"] = new JsonObject { ["enable"] = true, ["rollback"] = true },
            },
            ["healthCheckGracePeriodSeconds"] = 60,
        }, Region, default);
        return name;
    }

    /// <summary>Waits until every service of the scenario's cluster is steady (see the fleet overload).</summary>
    public static Task<TimeSpan> WaitUntilSteadyAsync(MotoClient aws, IReadOnlyList<string> services, TimeSpan limit) =>
        WaitUntilSteadyAsync(aws, services.Select(s => new FleetService(Cluster, s)).ToList(), limit);

    /// <summary>Waits until every service's only deployment is COMPLETED with its desired count running.</summary>
    public static async Task<TimeSpan> WaitUntilSteadyAsync(MotoClient aws, IReadOnlyList<FleetService> services, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var steady = 0;
            foreach (var batch in services.GroupBy(s => s.Cluster, s => s.Service).SelectMany(cluster => cluster.Chunk(10).Select(chunk => (Cluster: cluster.Key, Services: chunk))))
            {
                var reply = await aws.EcsAsync("DescribeServices",
                    new JsonObject { ["cluster"] = batch.Cluster, ["services"] = new JsonArray(batch.Services.Select(s => (JsonNode)s).ToArray()) }, Region, default);
                steady += reply["services"]!.AsArray().Count(s =>
                    s!["deployments"]!.AsArray().Count == 1 &&
                    (string?)s["deployments"]![0]!["rolloutState"] == "COMPLETED" &&
                    (int)s["runningCount"]! == (int)s["desiredCount"]!);
            }

            if (steady == services.Count)
            {
                return clock.Elapsed;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"The fleet of {services.Count} services did not settle within {limit.TotalSeconds:0} s.");
    }
}
