using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.ElasticLoadBalancing;

namespace DeployOps.Benchmarks;

/// <summary>What a diagnosis of one cluster costs in API calls, against the least it must ask.</summary>
public static class DiagnosisCalls
{
    /// <summary>ListServices' largest page (maxResults).</summary>
    private const int ListServicesPage = 100;

    /// <summary>
    /// The least any diagnosis must ask: who am I (1), which services (a page per 100), the services (10 per
    /// DescribeServices), their target groups (20 ARNs per DescribeTargetGroups), and each target group's health (1 each).
    /// </summary>
    public static int Minimum(int services, int targetGroups) =>
        1 + Math.Max(1, Pages(services, ListServicesPage)) + Pages(services, EcsClient.DescribeServicesBatchSize)
        + Pages(targetGroups, ElasticLoadBalancingClient.DescribeBatchSize) + targetGroups;

    /// <summary>Prints calls per operation, summed over <paramref name="counters"/>.</summary>
    public static void Print(IEnumerable<AwsCallCounter> counters, string indent)
    {
        var rows = counters.SelectMany(c => c.Snapshot())
            .GroupBy(c => (c.Service, c.Operation))
            .OrderBy(g => g.Key.Service, StringComparer.Ordinal).ThenBy(g => g.Key.Operation, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            Console.WriteLine($"{indent}{row.Key.Service + " " + row.Key.Operation,-50} {row.Sum(c => c.Calls),4}");
        }
    }

    private static int Pages(int items, int perPage) => (items + perPage - 1) / perPage;
}
