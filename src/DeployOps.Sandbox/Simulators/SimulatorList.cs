using System.Collections.Generic;
using DeployOps.Sandbox.Simulators.AlbListeners;
using DeployOps.Sandbox.Simulators.CloudFormation;
using DeployOps.Sandbox.Simulators.Dns;
using DeployOps.Sandbox.Simulators.EcsRuntime;
using DeployOps.Sandbox.Simulators.Lightsail;
using DeployOps.Sandbox.Simulators.Logs;
using DeployOps.Sandbox.Simulators.Rds;
using DeployOps.Sandbox.Simulators.Metrics;
using DeployOps.Sandbox.Simulators.Slack;
using DeployOps.Sandbox.Simulators.TargetHealth;
using DeployOps.Sandbox.Simulators.Notifications;
using DeployOps.Sandbox.Simulators.Waf;
using DeployOps.Sandbox.Simulators.Vpc;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators;

/// <summary>
/// The simulators of the world, built once with what each needs of the others. Their order is the order they step and
/// report their state in: one that others feed (target health, logs) steps after them in the same tick. Adding a
/// simulated service is a folder under <c>Simulators/</c> and a line here.
/// </summary>
public static class SimulatorList
{
    public static IReadOnlyList<Simulator> Create(WorldContext world)
    {
        var targetHealth = new TargetHealthSimulator(world);
        var logs = new TaskLogsSimulator(world);
        var metrics = new MetricsSimulator(world);
        var ecs = new EcsRuntimeSimulator(world, targetHealth, logs, metrics);
        var rds = new RdsSimulator(world, metrics);
        var waf = new WafSimulator(world, metrics);
        return
        [
            new CloudFormationSimulator(world, ecs, rds, logs),
            ecs,
            targetHealth,
            new AlbListenersSimulator(world, targetHealth, metrics, waf),
            rds,
            logs,
            new SlackSimulator(world),
            new LightsailSimulator(world),
            waf,
            new NotificationsSimulator(world),
            metrics,
            new NatGatewaysSimulator(world),
            new DnsResponderSimulator(world),
            new FlowLogsSimulator(world),
        ];
    }
}
