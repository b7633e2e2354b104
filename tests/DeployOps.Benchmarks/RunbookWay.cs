using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using DeployOps.Testing;

namespace DeployOps.Benchmarks;

/// <summary>The runbook's way of diagnosing (deployment-health-check.sh): aws CLI calls, service by service.</summary>
public static class RunbookWay
{
    /// <summary>Calls per service: identity, the service, its target group, the group's health.</summary>
    public const int CallsPerService = 4;

    /// <summary>What the SOP's script does for each service, timed.</summary>
    public static async Task<(int Invocations, TimeSpan Elapsed)> DiagnoseAsync(Uri endpoint, IEnumerable<FleetService> services)
    {
        var clock = Stopwatch.StartNew();
        var invocations = 0;
        foreach (var (cluster, service) in services)
        {
            await AwsCli.RunAsync(endpoint, "sts", "get-caller-identity");
            var targetGroup = (await AwsCli.RunAsync(endpoint, "ecs", "describe-services", "--cluster", cluster, "--services", service,
                "--query", "services[0].loadBalancers[0].targetGroupArn", "--output", "text")).Trim();
            await AwsCli.RunAsync(endpoint, "elbv2", "describe-target-groups", "--target-group-arns", targetGroup);
            await AwsCli.RunAsync(endpoint, "elbv2", "describe-target-health", "--target-group-arn", targetGroup);
            invocations += CallsPerService;
        }

        return (invocations, clock.Elapsed);
    }
}
