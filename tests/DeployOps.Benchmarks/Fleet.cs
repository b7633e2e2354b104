using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;

namespace DeployOps.Benchmarks;

/// <summary>
/// Grows the sandbox's "healthy" scenario to a cluster of N services, each with its own target
/// group and ALB listener, created through the AWS API as infrastructure code would.
/// </summary>
public static class Fleet
{
    public const string Cluster = "lightwave-dev-ecs-cluster";
    private const string Region = "us-east-1";

    public static async Task<IReadOnlyList<string>> GrowAsync(MotoClient aws, int services)
    {
        var existing = await aws.EcsAsync("DescribeServices", new JsonObject { ["cluster"] = Cluster, ["services"] = new JsonArray("lightwave-backend-api-dev") }, Region, default);
        var template = existing["services"]![0]!.AsObject();
        var network = template["networkConfiguration"]!.DeepClone();
        var vpcId = (await aws.Ec2Async("DescribeVpcs", [], Region, default)).Find("vpcId")!.Value;
        var albArn = (await aws.ElbAsync("DescribeLoadBalancers", [new("Names.member.1", "lightwave-dev-alb")], Region, default)).Find("LoadBalancerArn")!.Value;
        var names = new List<string> { "lightwave-backend-api-dev" };
        for (var i = 2; i <= services; i++)
        {
            var number = i.ToString("00", CultureInfo.InvariantCulture);
            var group = await aws.ElbAsync("CreateTargetGroup",
            [
                new("Name", $"lightwave-dev-worker-{number}-tg"), new("Protocol", "HTTP"), new("Port", "8000"), new("VpcId", vpcId), new("TargetType", "ip"),
                new("HealthCheckPath", "/api/v1/health/health/"), new("HealthCheckIntervalSeconds", "15"), new("HealthCheckTimeoutSeconds", "5"),
                new("HealthyThresholdCount", "2"), new("UnhealthyThresholdCount", "2"), new("Matcher.HttpCode", "200"),
            ], Region, default);
            var groupArn = group.Find("TargetGroupArn")!.Value;
            await aws.ElbAsync("ModifyTargetGroupAttributes",
                [new("TargetGroupArn", groupArn), new("Attributes.member.1.Key", "deregistration_delay.timeout_seconds"), new("Attributes.member.1.Value", "30")], Region, default);
            await aws.ElbAsync("CreateListener",
            [
                new("LoadBalancerArn", albArn), new("Protocol", "HTTP"), new("Port", (8000 + i).ToString(CultureInfo.InvariantCulture)),
                new("DefaultActions.member.1.Type", "forward"), new("DefaultActions.member.1.TargetGroupArn", groupArn),
            ], Region, default);
            var name = $"lightwave-worker-{number}-dev";
            await aws.EcsAsync("CreateService", new JsonObject
            {
                ["cluster"] = Cluster,
                ["serviceName"] = name,
                ["taskDefinition"] = "lightwave-backend-dev:1",
                ["desiredCount"] = 2,
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
            names.Add(name);
        }

        return names;
    }

    /// <summary>Waits until every service's only deployment is COMPLETED with its desired count running.</summary>
    public static async Task<TimeSpan> WaitUntilSteadyAsync(MotoClient aws, IReadOnlyList<string> services, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var steady = 0;
            foreach (var batch in services.Chunk(10))
            {
                var reply = await aws.EcsAsync("DescribeServices",
                    new JsonObject { ["cluster"] = Cluster, ["services"] = new JsonArray(batch.Select(s => (JsonNode)s).ToArray()) }, Region, default);
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
