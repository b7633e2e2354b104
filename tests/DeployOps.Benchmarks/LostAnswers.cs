using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Deployments;
using DeployOps.Errors;
using DeployOps.Operations;
using DeployOps.Sandbox.Moto;
using DeployOps.Testing;

namespace DeployOps.Benchmarks;

/// <summary>
/// Changes whose answer is lost after they were applied (the sandbox's appliedThenError and appliedThenDrop on ECS
/// UpdateService and ELBv2 ModifyTargetGroup): Restart-EcsService runs and repairs with -Redeploy, each its own session.
/// What DeployOps reported (started, outcome unknown, failed) is held against what the sandbox counted
/// (deploymentsStarted per service, modifications per target group); a deployment the sandbox started beyond those
/// reported started or unknown was applied twice.
/// </summary>
public static class LostAnswers
{
    private const int Services = 10;

    public static async Task RunAsync(int runs, double rate, int seed)
    {
        Console.WriteLine(Figures.MachineLoad);
        await using var sandbox = await SandboxProcess.StartAsync("healthy");
        using var aws = new MotoClient(sandbox.Url);
        var fleet = await Fleet.GrowAsync(aws, clusters: 1, servicesPerCluster: Services, tasksPerService: 1);
        await Fleet.WaitUntilSteadyAsync(aws, fleet, TimeSpan.FromMinutes(10));
        var targetGroups = await TargetGroupsAsync(sandbox.Url, fleet);
        // Each kind strikes at half the rate; the first rule that strikes wins, so an answer is lost at 1 - (1 - rate/2)^2.
        var faults = string.Create(System.Globalization.CultureInfo.InvariantCulture, $$"""
            {"seed": {{seed}}, "rules": [
              {"service": "ecs", "operation": "UpdateService", "kind": "appliedThenError", "rate": {{rate / 2}}},
              {"service": "ecs", "operation": "UpdateService", "kind": "appliedThenDrop", "rate": {{rate / 2}}},
              {"service": "elbv2", "operation": "ModifyTargetGroup", "kind": "appliedThenError", "rate": {{rate / 2}}},
              {"service": "elbv2", "operation": "ModifyTargetGroup", "kind": "appliedThenDrop", "rate": {{rate / 2}}}]}
            """);
        Console.WriteLine($"sandbox at {sandbox.Url}: {fleet.Count} services x 1 task in {Fleet.Cluster}, runs spread round-robin over them");
        Console.WriteLine($"answers lost after applying: appliedThenError and appliedThenDrop at {rate / 2:0.00} each on ECS UpdateService and ELBv2 ModifyTargetGroup (seed {seed}); engine defaults (3 attempts)");

        var restarts = await MeasureAsync(sandbox, faults, fleet, targetGroups, runs, RestartAsync);
        var repairs = await MeasureAsync(sandbox, faults, fleet, targetGroups, runs, RepairAsync);

        var groups = (await sandbox.StateAsync())["targetGroups"]!.AsArray();
        var asked = repairs.RequestedMatchers.Count(m => groups.Any(g => (string?)g!["arn"] == m.Key && (string?)g["matcher"] == m.Value));

        Console.WriteLine();
        Console.WriteLine($"{"",-30} {"runs",5} {"answers lost",12} {"reported made",13} {"reported unknown",16} {"failed",6} {"sandbox applied",15} {"doubles",7}");
        PrintRow("Restart-EcsService: deploys", restarts.Runs, restarts.Deployments, doubles: true);
        PrintRow("Repair -Redeploy: deploys", repairs.Runs, repairs.Deployments, doubles: true);
        PrintRow("Repair -Redeploy: group change", repairs.Runs, repairs.Modifications, doubles: false);
        Console.WriteLine("doubles: deployments the sandbox started beyond those DeployOps reported started or of unknown outcome (goal 0).");
        var beyond = repairs.Modifications.Applied - repairs.Modifications.ReportedMade - repairs.Modifications.ReportedUnknown;
        Console.WriteLine($"group change: ModifyTargetGroup sets absolute values, so the engine resends it when its answer is lost: {beyond} applications");
        Console.WriteLine($"  beyond those reported made or unknown (the failed ones included); {asked} of {repairs.RequestedMatchers.Count} groups end with the matcher last asked for.");
        PrintFailures("Restart-EcsService: deploys", restarts.Deployments);
        PrintFailures("Repair -Redeploy: deploys", repairs.Deployments);
        PrintFailures("Repair -Redeploy: group change", repairs.Modifications);

        Console.WriteLine(Figures.MachineLoad);
    }

    private static void PrintRow(string what, int runs, ChangeCount count, bool doubles) =>
        Console.WriteLine($"{what,-30} {runs,5} {count.Lost,12} {count.ReportedMade,13} {count.ReportedUnknown,16} {count.Failed,6} {count.Applied,15} " +
                          $"{(doubles ? Math.Max(0, count.Applied - count.ReportedMade - count.ReportedUnknown).ToString(System.Globalization.CultureInfo.InvariantCulture) : "-"),7}");

    private static void PrintFailures(string what, ChangeCount count)
    {
        foreach (var failures in count.Failures.GroupBy(f => f.ErrorId, StringComparer.Ordinal))
        {
            Console.WriteLine($"failed, {what}: {failures.Key} x{failures.Count()}, e.g. {failures.First().Message}");
        }
    }

    /// <summary>One kind of change: what DeployOps reported and what the sandbox applied.</summary>
    private sealed class ChangeCount
    {
        public int Lost;
        public int ReportedMade;
        public int ReportedUnknown;
        public int Applied;

        public List<DeployOpsError> Failures { get; } = [];

        public int Failed => Failures.Count;

        public void Report(DeployOpsError error)
        {
            if (error.ErrorId == ErrorIds.OutcomeUnknown)
            {
                ReportedUnknown++;
            }
            else
            {
                Failures.Add(error);
            }
        }
    }

    private sealed class Measurement
    {
        public int Runs;
        public ChangeCount Deployments { get; } = new();
        public ChangeCount Modifications { get; } = new();

        /// <summary>The matcher each repaired group was last asked for.</summary>
        public Dictionary<string, string> RequestedMatchers { get; } = new(StringComparer.Ordinal);
    }

    private delegate Task RunOne(Uri sandbox, FleetService service, string targetGroupArn, int run, Measurement measurement);

    /// <summary>Runs <paramref name="one"/> <paramref name="runs"/> times under the faults; the sandbox's counts are taken before and after.</summary>
    private static async Task<Measurement> MeasureAsync(
        SandboxProcess sandbox, string faults, IReadOnlyList<FleetService> fleet, IReadOnlyDictionary<string, string> targetGroups, int runs, RunOne one)
    {
        var before = await sandbox.StateAsync();
        await sandbox.SetFaultsAsync(faults);
        var measurement = new Measurement { Runs = runs };
        for (var run = 0; run < runs; run++)
        {
            var service = fleet[run % fleet.Count];
            await one(sandbox.Url, service, targetGroups[service.Service], run / fleet.Count, measurement);
        }

        var lost = await sandbox.InjectedFaultsAsync();
        await sandbox.ClearFaultsAsync();
        var after = await sandbox.StateAsync();
        measurement.Deployments.Lost = lost.Count(f => (string?)f!["operation"] == "UpdateService");
        measurement.Modifications.Lost = lost.Count(f => (string?)f!["operation"] == "ModifyTargetGroup");
        measurement.Deployments.Applied = fleet.Sum(s => Counter(after, "services", "service", s.Service, "deploymentsStarted") - Counter(before, "services", "service", s.Service, "deploymentsStarted"));
        measurement.Modifications.Applied = targetGroups.Values.Sum(arn => Counter(after, "targetGroups", "arn", arn, "modifications") - Counter(before, "targetGroups", "arn", arn, "modifications"));
        return measurement;
    }

    private static int Counter(JsonObject state, string part, string key, string value, string counter) =>
        (int)state[part]!.AsArray().Single(item => (string?)item![key] == value)![counter]!;

    /// <summary>Restart-EcsService -Cluster c -Service s -Force: plan, then apply without waiting.</summary>
    private static async Task RestartAsync(Uri sandbox, FleetService service, string targetGroupArn, int pass, Measurement measurement)
    {
        using var session = SandboxSession.Create(sandbox);
        var redeployer = new ServiceRedeployer(session, NullOperationObserver.Instance);
        try
        {
            var plan = await redeployer.PlanAsync(service.Cluster, service.Service, default);
            await redeployer.ApplyAsync(plan, default);
            measurement.Deployments.ReportedMade++;
        }
        catch (Exception ex) when (ex is DeployOpsException or AwsCallException)
        {
            // An AWS failure the engine leaves to the cmdlet (EndpointUnreachable) is reported the way the cmdlet reports it.
            measurement.Deployments.Report(ErrorTranslator.Translate(ex, service.Service));
        }
    }

    /// <summary>
    /// Repair-TargetGroupHealthCheck -Redeploy -Cluster c -Service s -Force: the matcher alternates between 200-299 and
    /// 200 on each pass over the fleet, so every repair changes its group.
    /// </summary>
    private static async Task RepairAsync(Uri sandbox, FleetService service, string targetGroupArn, int pass, Measurement measurement)
    {
        using var session = SandboxSession.Create(sandbox);
        var repairer = new HealthCheckRepairer(session, NullOperationObserver.Instance);
        var request = new HealthCheckRepairRequest
        {
            TargetGroupArn = targetGroupArn,
            HealthCheckPath = Lightwave.HealthPath,
            Matcher = pass % 2 == 0 ? "200-299" : "200",
            Redeploy = true,
            Cluster = service.Cluster,
            Services = [service.Service],
        };
        measurement.RequestedMatchers[targetGroupArn] = request.Matcher;
        try
        {
            var plan = await repairer.PlanAsync(request, default);
            foreach (var outcome in await repairer.ApplyAsync(plan, request, default))
            {
                if (outcome.Value is TargetGroupHealthCheckChange change)
                {
                    measurement.Modifications.ReportedMade += change.Changed ? 1 : 0;
                    measurement.Deployments.ReportedMade += change.Redeployments.Count;
                }
                else if (outcome.Error is { } error)
                {
                    measurement.Deployments.Report(error);
                }
            }
        }
        catch (Exception ex) when (ex is DeployOpsException or AwsCallException)
        {
            // Planning reads without faults, so this is the group change failing (reported as the cmdlet reports it); the
            // services were not redeployed.
            measurement.Modifications.Report(ErrorTranslator.Translate(ex, targetGroupArn));
        }
    }

    /// <summary>Each service's target group ARN, read before any fault is set.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> TargetGroupsAsync(Uri sandbox, IReadOnlyList<FleetService> fleet)
    {
        using var session = SandboxSession.Create(sandbox);
        var described = await session.Ecs.DescribeServicesAsync(Fleet.Cluster, fleet.Select(s => s.Service).ToList());
        return described.Found.ToDictionary(s => s.Name, s => s.LoadBalancers.Single().TargetGroupArn!, StringComparer.Ordinal);
    }
}
