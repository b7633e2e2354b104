using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeployOps.Aws;
using DeployOps.Aws.Ec2;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.ElasticLoadBalancing;
using DeployOps.Facts;
using DeployOps.Health;
using DeployOps.Operations;

namespace DeployOps.Networking;

/// <summary>Everything the path analysis needs about one service: what the readers found, each a fact.</summary>
public sealed class NetworkPathFacts
{
    public string Cluster { get; init; } = "";

    public string Region { get; init; } = "";

    public EcsService Service { get; init; } = new();

    /// <summary>The task definition the service's PRIMARY deployment runs.</summary>
    public Fact<EcsTaskDefinition> TaskDefinition { get; init; } = Fact<EcsTaskDefinition>.NotFound();

    /// <summary>The target groups the service's load balancer mapping names.</summary>
    public IReadOnlyList<TargetGroupReading> TargetGroups { get; init; } = Array.Empty<TargetGroupReading>();

    /// <summary>The load balancers of those target groups.</summary>
    public Fact<IReadOnlyList<ElbLoadBalancer>> LoadBalancers { get; init; } = Fact<IReadOnlyList<ElbLoadBalancer>>.Of(Array.Empty<ElbLoadBalancer>());

    public VpcNetwork Network { get; init; } = new();

    /// <summary>The database to check the path to, or null.</summary>
    public DatabaseTarget? Database { get; init; }
}

/// <summary>
/// The static path analysis: from a service's facts, each hop with its outcome, evidence and fix. Pure (no AWS): the same
/// facts give the same hops. Hops: ALB to task, target group port, targets registered, egress to each service the task
/// needs before its containers start, task to database, subnet IPs.
/// </summary>
public static class NetworkPathAnalysis
{
    public const string LoadBalancerToTaskHop = "ALB to task";
    public const string TargetGroupPortHop = "Target group port";
    public const string TargetRegistrationHop = "Targets registered";
    public const string DatabaseHop = "Task to database";
    public const string SubnetAddressesHop = "Subnet IPs";
    private const int Https = 443;
    private const string Anywhere = "0.0.0.0/0";

    /// <summary>The name of the egress hop to <paramref name="destination"/>, e.g. "Egress to ECR API".</summary>
    public static string EgressHop(EgressDestination destination) => $"Egress to {destination.Name}";

    public static IReadOnlyList<NetworkHop> Analyze(NetworkPathFacts facts)
    {
        var hops = new List<NetworkHop>();
        var mappings = facts.Service.LoadBalancers.Where(m => m.TargetGroupArn is not null).ToList();
        if (mappings.Count == 0)
        {
            var none = new[] { "The service has no load balancer mapping" }.ToPrintableList();
            hops.Add(Skipped(LoadBalancerToTaskHop, HopKind.LoadBalancerToTask, none));
            hops.Add(Skipped(TargetGroupPortHop, HopKind.TargetGroupPort, none));
            hops.Add(Skipped(TargetRegistrationHop, HopKind.TargetRegistration, none));
        }

        foreach (var mapping in mappings)
        {
            var reading = facts.TargetGroups.FirstOrDefault(g => g.Arn == mapping.TargetGroupArn);
            var suffix = mappings.Count > 1 ? $" ({AwsArn.TargetGroupName(mapping.TargetGroupArn!)})" : "";
            hops.Add(LoadBalancerToTask(facts, mapping, reading, suffix));
            hops.Add(TargetGroupPort(facts, mapping, reading, suffix));
            hops.Add(Registration(facts, mapping, reading, suffix));
        }

        hops.AddRange(Egress(facts));
        hops.Add(Database(facts));
        hops.Add(SubnetAddresses(facts));
        return hops;
    }

    /// <summary>The whole path's verdict: Fail when a hop fails, Unknown when one could not be judged, else Pass.</summary>
    public static HopOutcome Verdict(IReadOnlyList<NetworkHop> hops) =>
        hops.Any(h => h.OutcomeKind == HopOutcome.Fail) ? HopOutcome.Fail
        : hops.Any(h => h.OutcomeKind == HopOutcome.Unknown) ? HopOutcome.Unknown
        : HopOutcome.Pass;

    // ------------------------------------------------------------------ the load balancer side

    private static NetworkHop LoadBalancerToTask(NetworkPathFacts facts, EcsLoadBalancer mapping, TargetGroupReading? reading, string suffix)
    {
        var name = LoadBalancerToTaskHop + suffix;
        var port = mapping.ContainerPort ?? 0;
        if (reading is null || !reading.Group.IsRead)
        {
            return reading?.Group.Gap is { } gap ? Unknown(name, HopKind.LoadBalancerToTask, gap)
                : Skipped(name, HopKind.LoadBalancerToTask, new[] { $"Target group {AwsArn.TargetGroupName(mapping.TargetGroupArn!)} does not exist (see {TargetRegistrationHop})" }.ToPrintableList());
        }

        if (Missing(facts.LoadBalancers.Gap, facts.Network.SecurityGroups.Gap, facts.Network.Subnets.Gap, facts.Network.NetworkAcls.Gap) is { } missing)
        {
            return Unknown(name, HopKind.LoadBalancerToTask, missing);
        }

        if (!facts.LoadBalancers.IsRead)
        {
            return Skipped(name, HopKind.LoadBalancerToTask, new[] { $"The load balancers of target group {reading.Group.Value.Name} do not exist" }.ToPrintableList());
        }

        var balancers = facts.LoadBalancers.Value.Where(b => reading.Group.Value.LoadBalancerArns.Contains(b.Arn)).ToList();
        if (balancers.Count == 0)
        {
            return Skipped(name, HopKind.LoadBalancerToTask, new[] { $"Target group {reading.Group.Value.Name} is attached to no load balancer" }.ToPrintableList());
        }

        var network = facts.Network;
        var groups = network.SecurityGroups.Value;
        var taskSubnets = TaskSubnets(facts.Service);
        var balancerSubnets = balancers.SelectMany(b => b.SubnetIds).Distinct().ToList();
        var source = new NetworkSide("the load balancer", balancers.SelectMany(b => b.SecurityGroups).Distinct().ToList(), network.CidrsOf(balancerSubnets));
        var destination = new NetworkSide("the service's tasks", facts.Service.NetworkConfiguration?.SecurityGroups ?? Array.Empty<string>(), network.CidrsOf(taskSubnets));
        var gaps = SecurityGroupPath.Gaps(groups, source, destination, port);
        var blocks = (from balancerSubnet in balancerSubnets
                      from taskSubnet in taskSubnets
                      where network.Subnet(balancerSubnet)?.CidrBlock is not null && network.Subnet(taskSubnet)?.CidrBlock is not null
                      from block in NetworkAcls.Conversation(network.NetworkAclOf(balancerSubnet), network.Subnet(balancerSubnet)!.CidrBlock!,
                          network.NetworkAclOf(taskSubnet), network.Subnet(taskSubnet)!.CidrBlock!, port)
                      select block).Distinct().ToList();
        var destinationText = $"{SecurityGroupPath.Describe(groups, destination.SecurityGroupIds)}:{port}";
        if (gaps.Count == 0 && blocks.Count == 0)
        {
            return Pass(name, HopKind.LoadBalancerToTask, destinationText, string.Join(", ", balancers.Select(b => b.Name)),
                $"The security groups and network ACLs let {string.Join(", ", balancers.Select(b => b.Name))} ({SecurityGroupPath.Describe(groups, source.SecurityGroupIds)}) " +
                $"reach the tasks on TCP {port}");
        }

        return Fail(name, HopKind.LoadBalancerToTask, destinationText, gaps, blocks, groups);
    }

    private static NetworkHop TargetGroupPort(NetworkPathFacts facts, EcsLoadBalancer mapping, TargetGroupReading? reading, string suffix)
    {
        var name = TargetGroupPortHop + suffix;
        var port = mapping.ContainerPort ?? 0;
        if (facts.TaskDefinition.Gap is { } definitionGap)
        {
            return Unknown(name, HopKind.TargetGroupPort, definitionGap);
        }

        if (facts.TaskDefinition.IsRead && PortMappings.Mismatch(facts.Service, facts.TaskDefinition.Value) is { } mismatch)
        {
            return new NetworkHop
            {
                Name = name,
                KindValue = HopKind.TargetGroupPort,
                OutcomeKind = HopOutcome.Fail,
                Destination = $"{mapping.ContainerName}:{port}",
                Evidence = new[] { mismatch }.ToPrintableList(),
                Fix = $"Map the container port the task definition exposes: aws ecs update-service --cluster {facts.Cluster} --service {facts.Service.Name} " +
                      $"--load-balancers targetGroupArn={mapping.TargetGroupArn},containerName=<container>,containerPort=<its port> (and redeploy)",
            };
        }

        if (reading?.Group.ValueOr(null) is not { } group)
        {
            return reading?.Group.Gap is { } gap ? Unknown(name, HopKind.TargetGroupPort, gap)
                : Skipped(name, HopKind.TargetGroupPort, new[] { $"Target group {AwsArn.TargetGroupName(mapping.TargetGroupArn!)} does not exist (see {TargetRegistrationHop})" }.ToPrintableList());
        }

        var evidence = new List<string> { $"The service maps container {mapping.ContainerName} port {port}, which the task definition exposes" };
        if (int.TryParse(group.HealthCheck.Port, NumberStyles.Integer, CultureInfo.InvariantCulture, out var checkPort) && checkPort != port)
        {
            evidence.Add($"Target group {group.Name} sends health checks to port {checkPort}, but the tasks listen on {port}");
            return new NetworkHop
            {
                Name = name,
                KindValue = HopKind.TargetGroupPort,
                OutcomeKind = HopOutcome.Fail,
                Destination = $"{group.Name}:{checkPort}",
                Evidence = evidence.ToPrintableList(),
                Fix = $"aws elbv2 modify-target-group --target-group-arn {group.Arn} --health-check-port traffic-port",
            };
        }

        evidence.Add(group.Port is { } groupPort && groupPort != port
            ? $"Target group {group.Name} has port {groupPort}; ECS registers each task on {port}, so traffic and health checks use {port}"
            : $"Target group {group.Name} sends traffic and health checks to port {port}");
        return new NetworkHop { Name = name, KindValue = HopKind.TargetGroupPort, OutcomeKind = HopOutcome.Pass, Destination = $"{group.Name}:{port}", Evidence = evidence.ToPrintableList() };
    }

    private static NetworkHop Registration(NetworkPathFacts facts, EcsLoadBalancer mapping, TargetGroupReading? reading, string suffix)
    {
        var name = TargetRegistrationHop + suffix;
        var groupName = AwsArn.TargetGroupName(mapping.TargetGroupArn!);
        if (reading is null || reading.Group.Absent)
        {
            return new NetworkHop
            {
                Name = name,
                KindValue = HopKind.TargetRegistration,
                OutcomeKind = HopOutcome.Fail,
                Destination = groupName,
                Evidence = new[] { $"Target group {groupName} does not exist, but the service's load balancer mapping names it ({mapping.TargetGroupArn})" }.ToPrintableList(),
                Fix = $"Recreate target group {groupName} (infrastructure code), or point the service at an existing one: aws ecs update-service --cluster {facts.Cluster} " +
                      $"--service {facts.Service.Name} --load-balancers targetGroupArn=<arn>,containerName={mapping.ContainerName},containerPort={mapping.ContainerPort}",
            };
        }

        if (reading.Health is not { } health)
        {
            return Unknown(name, HopKind.TargetRegistration, reading.Gaps.First());
        }

        var registered = health.Targets.Where(t => t.State != ElbTargetState.Draining).ToList();
        var running = facts.Service.RunningCount;
        if (running == 0)
        {
            return Skipped(name, HopKind.TargetRegistration, new[] { $"No task of {facts.Service.Name} runs, so none can be registered yet (Get-EcsTaskFailure says why)" }.ToPrintableList());
        }

        if (registered.Count == 0)
        {
            return new NetworkHop
            {
                Name = name,
                KindValue = HopKind.TargetRegistration,
                OutcomeKind = HopOutcome.Fail,
                Destination = health.TargetGroupName,
                Evidence = new[] { $"No targets registered in {health.TargetGroupName} while {running} task(s) run" }.ToPrintableList(),
                Fix = $"ECS registers nothing when the mapping's container name or port matches no container port: see {TargetGroupPortHop}",
            };
        }

        return new NetworkHop
        {
            Name = name,
            KindValue = HopKind.TargetRegistration,
            OutcomeKind = HopOutcome.Pass,
            Destination = health.TargetGroupName,
            Evidence = new[] { $"{registered.Count} target(s) registered in {health.TargetGroupName} for {running} running task(s): {string.Join(", ", registered.Select(t => t.ToString()))}" }.ToPrintableList(),
        };
    }

    // ------------------------------------------------------------------ egress

    private static IEnumerable<NetworkHop> Egress(NetworkPathFacts facts)
    {
        if (!facts.TaskDefinition.IsRead)
        {
            var gap = facts.TaskDefinition.Gap ?? new Gap($"task definition {AwsArn.LastSegment(facts.Service.Primary?.TaskDefinition ?? "")}", "it does not exist");
            yield return Unknown("Egress", HopKind.Egress, gap);
            yield break;
        }

        foreach (var destination in EgressDestinations.For(facts.TaskDefinition.Value, facts.Region))
        {
            var name = EgressHop(destination);
            var target = destination.EndpointService ?? destination.Host;
            if (!destination.Needed)
            {
                yield return new NetworkHop { Name = name, KindValue = HopKind.Egress, OutcomeKind = HopOutcome.Skipped, Destination = target, Evidence = new[] { destination.Why }.ToPrintableList() };
                continue;
            }

            var checks = TaskSubnets(facts.Service).Select(subnet => (subnet, check: EgressRoutes.Check(facts, subnet, destination))).ToList();
            var failed = checks.FirstOrDefault(c => c.check.Outcome == HopOutcome.Fail);
            var unknown = checks.FirstOrDefault(c => c.check.Outcome == HopOutcome.Unknown);
            var decisive = failed.check ?? unknown.check;
            var evidence = new List<string> { $"The tasks need {destination.Host} on 443 for {destination.Why}" };
            evidence.AddRange(checks.SelectMany(c => c.check.Evidence));
            yield return new NetworkHop
            {
                Name = name,
                KindValue = HopKind.Egress,
                OutcomeKind = decisive?.Outcome ?? (checks.Count == 0 ? HopOutcome.Unknown : HopOutcome.Pass),
                Destination = target,
                Route = decisive is null ? string.Join("; ", checks.Select(c => c.check.Route).Distinct()) : null,
                Evidence = (checks.Count == 0 ? new List<string> { "The service names no subnet (not an awsvpc service)" } : evidence).ToPrintableList(),
                Fix = decisive?.Fix,
                MissingRule = decisive?.MissingRule,
            };
        }
    }

    // ------------------------------------------------------------------ the database

    /// <summary>The task-to-database hop alone (Test-DatabaseConnectivity reuses it with an RDS cluster as the target).</summary>
    internal static NetworkHop Database(NetworkPathFacts facts)
    {
        if (facts.Database is not { } database)
        {
            return Skipped(DatabaseHop, HopKind.Database, new[]
            {
                "No database named: give -DatabaseSecurityGroupId and -DatabasePort, or the environment's database settings",
            }.ToPrintableList());
        }

        if (Missing(facts.Network.SecurityGroups.Gap, facts.Network.Subnets.Gap) is { } missing)
        {
            return Unknown(DatabaseHop, HopKind.Database, missing);
        }

        var groups = facts.Network.SecurityGroups.Value;
        var destinationText = $"{SecurityGroupPath.Describe(groups, database.SecurityGroupIds)}:{database.Port}";
        var unknown = database.SecurityGroupIds.Where(id => groups.All(g => g.Id != id)).ToList();
        if (unknown.Count > 0)
        {
            return new NetworkHop
            {
                Name = DatabaseHop,
                KindValue = HopKind.Database,
                OutcomeKind = HopOutcome.Fail,
                Destination = destinationText,
                Evidence = new[] { $"Security group {string.Join(", ", unknown)} of {database.Name} (from {database.Source}) is not in the tasks' VPC {facts.Network.VpcId}" }.ToPrintableList(),
                Fix = $"Name the database's security group in {facts.Network.VpcId} (aws rds describe-db-clusters shows its VpcSecurityGroups)",
            };
        }

        var source = new NetworkSide("the service's tasks", facts.Service.NetworkConfiguration?.SecurityGroups ?? Array.Empty<string>(), facts.Network.CidrsOf(TaskSubnets(facts.Service)));
        var destination = new NetworkSide(database.Name, database.SecurityGroupIds, Array.Empty<string>());
        var gaps = SecurityGroupPath.Gaps(groups, source, destination, database.Port);
        return gaps.Count == 0
            ? Pass(DatabaseHop, HopKind.Database, destinationText, null,
                $"Security group {SecurityGroupPath.Describe(groups, database.SecurityGroupIds)} of {database.Name} admits the tasks' {SecurityGroupPath.Describe(groups, source.SecurityGroupIds)} " +
                $"on TCP {database.Port} (the database from {database.Source})")
            : Fail(DatabaseHop, HopKind.Database, destinationText, gaps, Array.Empty<NetworkAcls.Block>(), groups);
    }

    // ------------------------------------------------------------------ subnet addresses

    private static NetworkHop SubnetAddresses(NetworkPathFacts facts)
    {
        var service = facts.Service;
        var subnets = TaskSubnets(service);
        if (subnets.Count == 0)
        {
            return Skipped(SubnetAddressesHop, HopKind.SubnetAddresses, new[] { "The service names no subnet (not an awsvpc service)" }.ToPrintableList());
        }

        if (facts.Network.Subnets.Gap is { } gap)
        {
            return Unknown(SubnetAddressesHop, HopKind.SubnetAddresses, gap);
        }

        var maximumPercent = service.DeploymentConfiguration?.MaximumPercent ?? 200;
        var during = (int)Math.Ceiling(service.DesiredCount * maximumPercent / 100.0);
        var held = service.RunningCount + service.PendingCount;
        var more = Math.Max(0, during - held);
        var free = subnets.Select(id => (id, subnet: facts.Network.Subnet(id))).ToList();
        var evidence = free.Select(s => s.subnet is { } subnet
            ? $"Subnet {Named(subnet.Id, subnet.Name)} ({subnet.AvailabilityZone}, {subnet.CidrBlock}): {subnet.AvailableIpAddressCount ?? 0} free IP address(es)"
            : $"Subnet {s.id} does not exist").ToList();
        var total = free.Sum(s => s.subnet?.AvailableIpAddressCount ?? 0);
        evidence.Add($"A deployment runs up to {during} task(s) (desired {service.DesiredCount} x maximumPercent {maximumPercent}%); {held} hold addresses now, so {more} more are needed and the subnets have {total}");
        if (total >= more && free.All(s => s.subnet is not null))
        {
            return new NetworkHop
            {
                Name = SubnetAddressesHop,
                KindValue = HopKind.SubnetAddresses,
                OutcomeKind = HopOutcome.Pass,
                Destination = string.Join(", ", subnets),
                Evidence = evidence.ToPrintableList(),
            };
        }

        var cluster = facts.Cluster;
        return new NetworkHop
        {
            Name = SubnetAddressesHop,
            KindValue = HopKind.SubnetAddresses,
            OutcomeKind = HopOutcome.Fail,
            Destination = string.Join(", ", subnets),
            Evidence = evidence.ToPrintableList(),
            Fix = $"Give the service subnets with free addresses: aws ecs update-service --cluster {cluster} --service {service.Name} --network-configuration " +
                  $"'awsvpcConfiguration={{subnets=[<subnets with free IPs>],securityGroups=[{string.Join(",", service.NetworkConfiguration?.SecurityGroups ?? Array.Empty<string>())}]}}'; " +
                  $"or free addresses in {string.Join(", ", subnets)}; or roll with less room: aws ecs update-service --cluster {cluster} --service {service.Name} " +
                  "--deployment-configuration maximumPercent=100,minimumHealthyPercent=50",
        };
    }

    // ------------------------------------------------------------------ shared

    /// <summary>The service's task subnets (awsvpc).</summary>
    internal static IReadOnlyList<string> TaskSubnets(EcsService service) => service.NetworkConfiguration?.Subnets ?? Array.Empty<string>();

    internal static string Named(string id, string? name) => name is null ? id : $"{id} ({name})";

    /// <summary>The first of <paramref name="gaps"/> that is not null.</summary>
    internal static Gap? Missing(params Gap?[] gaps) => gaps.FirstOrDefault(gap => gap is not null);

    /// <summary>A failing hop from missing security group rules and blocking ACLs: the first ingress rule is what a repair adds.</summary>
    internal static NetworkHop Fail(string name, HopKind kind, string destination, IReadOnlyList<SecurityGroupGap> gaps, IReadOnlyList<NetworkAcls.Block> blocks,
        IReadOnlyList<Ec2SecurityGroup> groups)
    {
        var inbound = gaps.FirstOrDefault(g => g.Inbound && g.GroupIds.Count > 0 && g.PeerGroupIds.Count > 0);
        var rule = inbound is null ? null : new MissingIngressRule
        {
            GroupId = inbound.GroupIds[0],
            GroupName = groups.FirstOrDefault(g => g.Id == inbound.GroupIds[0])?.Name,
            Port = inbound.Port,
            SourceGroupId = inbound.PeerGroupIds[0],
            SourceGroupName = groups.FirstOrDefault(g => g.Id == inbound.PeerGroupIds[0])?.Name,
        };
        var outbound = gaps.FirstOrDefault(g => !g.Inbound);
        var fixes = new List<string>();
        if (rule is not null)
        {
            fixes.Add($"{rule.Command} (or Repair-EcsNetworkPath)");
        }

        if (outbound is not null && outbound.GroupIds.Count > 0)
        {
            fixes.Add($"aws ec2 authorize-security-group-egress --group-id {outbound.GroupIds[0]} --ip-permissions IpProtocol=tcp,FromPort={outbound.Port},ToPort={outbound.Port}," +
                      (outbound.PeerGroupIds.Count > 0 ? $"UserIdGroupPairs=[{{GroupId={outbound.PeerGroupIds[0]}}}]" : $"IpRanges=[{{CidrIp={Anywhere}}}]"));
        }

        fixes.AddRange(blocks.Select(b => b.Fix));
        return new NetworkHop
        {
            Name = name,
            KindValue = kind,
            OutcomeKind = HopOutcome.Fail,
            Destination = destination,
            Evidence = gaps.Select(g => g.Sentence).Concat(blocks.Select(b => b.Sentence)).ToPrintableList(),
            Fix = string.Join("; then ", fixes),
            MissingRule = rule,
        };
    }

    internal static NetworkHop Pass(string name, HopKind kind, string? destination, string? route, string evidence) => new()
    {
        Name = name,
        KindValue = kind,
        OutcomeKind = HopOutcome.Pass,
        Destination = destination,
        Route = route,
        Evidence = new[] { evidence }.ToPrintableList(),
    };

    internal static NetworkHop Unknown(string name, HopKind kind, Gap gap) => new()
    {
        Name = name,
        KindValue = kind,
        OutcomeKind = HopOutcome.Unknown,
        Evidence = new[] { gap.ToString() }.ToPrintableList(),
        Fix = "Run Test-EcsNetworkPath again, or allow more attempts with AWS_MAX_ATTEMPTS.",
    };

    private static NetworkHop Skipped(string name, HopKind kind, PrintableList<string> evidence) => new()
    {
        Name = name,
        KindValue = kind,
        OutcomeKind = HopOutcome.Skipped,
        Evidence = evidence,
    };
}
