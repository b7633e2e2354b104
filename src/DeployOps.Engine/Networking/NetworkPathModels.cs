using System;
using System.Collections.Generic;
using DeployOps.Operations;

namespace DeployOps.Networking;

/// <summary>How one hop of a task's network path came out.</summary>
public enum HopOutcome
{
    /// <summary>The configuration lets the traffic through.</summary>
    Pass,

    /// <summary>The configuration stops it; the hop names why and the fix.</summary>
    Fail,

    /// <summary>A fact the hop needs could not be read (the evidence says which): no verdict.</summary>
    Unknown,

    /// <summary>The hop does not apply (no load balancer, a service the task definition does not use, no database named).</summary>
    Skipped,
}

/// <summary>Which part of the path a hop is (runbook 000 step 3C and runbook 004's ECS sections).</summary>
public enum HopKind
{
    /// <summary>The load balancer's security groups (and the subnets' network ACLs) reach the tasks on the container port.</summary>
    LoadBalancerToTask,

    /// <summary>The target group's ports and the service's load balancer mapping match the container port.</summary>
    TargetGroupPort,

    /// <summary>The service's running tasks are registered in the target group.</summary>
    TargetRegistration,

    /// <summary>The tasks reach an AWS service or an image registry on 443 before their containers start.</summary>
    Egress,

    /// <summary>The database's security group admits the tasks on the engine's port.</summary>
    Database,

    /// <summary>The subnets have free IP addresses for a deployment's task interfaces.</summary>
    SubnetAddresses,
}

/// <summary>An inbound rule a hop lacks: TCP <see cref="Port"/> into <see cref="GroupId"/> from <see cref="SourceGroupId"/>. What Repair-EcsNetworkPath adds.</summary>
public sealed class MissingIngressRule
{
    public string GroupId { get; init; } = "";

    public string? GroupName { get; init; }

    public int Port { get; init; }

    public string SourceGroupId { get; init; } = "";

    public string? SourceGroupName { get; init; }

    /// <summary>The aws CLI command that adds it.</summary>
    public string Command =>
        $"aws ec2 authorize-security-group-ingress --group-id {GroupId} --ip-permissions IpProtocol=tcp,FromPort={Port},ToPort={Port},UserIdGroupPairs=[{{GroupId={SourceGroupId}}}]";

    public override string ToString() => $"{Name(GroupId, GroupName)} inbound TCP {Port} from {Name(SourceGroupId, SourceGroupName)}";

    private static string Name(string id, string? name) => name is null ? id : $"{id} ({name})";
}

/// <summary>One hop of the path: what it checks, how it came out, the facts that decided it and the exact fix.</summary>
public sealed class NetworkHop
{
    /// <summary>The hop as a person names it: "ALB to task", "Egress to CloudWatch Logs", "Task to database", "Subnet IPs".</summary>
    public string Name { get; init; } = "";

    /// <summary>A <see cref="HopKind"/> name (text, so JSON and CSV show the name).</summary>
    public string Kind => KindValue.ToString();

    internal HopKind KindValue { get; init; }

    /// <summary>A <see cref="HopOutcome"/> name: Pass, Fail, Unknown or Skipped.</summary>
    public string Outcome => OutcomeKind.ToString();

    internal HopOutcome OutcomeKind { get; init; }

    /// <summary>Where the hop leads, e.g. com.amazonaws.us-east-1.logs, docker.io, sg-0abc (lightwave-dev-db-sg):5432.</summary>
    public string? Destination { get; init; }

    /// <summary>How the traffic gets there when it does: "NAT gateway nat-... (route table rtb-...)", "VPC endpoint vpce-...".</summary>
    public string? Route { get; init; }

    /// <summary>The facts that decided the outcome, one sentence each (secrets never appear: names and ids only).</summary>
    public PrintableList<string> Evidence { get; init; } = PrintableList<string>.Empty;

    /// <summary>What to change, as a command where one exists; null when the hop passes.</summary>
    public string? Fix { get; init; }

    /// <summary>The one inbound rule that would make this hop pass, when that is the fix (Repair-EcsNetworkPath adds it).</summary>
    public MissingIngressRule? MissingRule { get; init; }

    public override string ToString() => $"[{Outcome}] {Name}" + (Route is null ? "" : $" via {Route}");
}

/// <summary>Where the service's database is, for the task-to-database hop: its security groups and the engine's port.</summary>
/// <param name="Name">What to call it in the report, e.g. the RDS cluster's name or the security group's.</param>
/// <param name="SecurityGroupIds">The database's security groups.</param>
/// <param name="Port">The engine's port, e.g. 5432.</param>
/// <param name="Source">Where this came from: "-DatabaseSecurityGroupId", "environment 'dev'", or (later) an RDS cluster.</param>
public sealed record DatabaseTarget(string Name, IReadOnlyList<string> SecurityGroupIds, int Port, string Source);

/// <summary>What Test-EcsNetworkPath (and Repair-EcsNetworkPath) analyse.</summary>
public sealed record NetworkPathRequest
{
    public string Cluster { get; init; } = "";

    public string Service { get; init; } = "";

    /// <summary>The database to check the path to; null skips that hop.</summary>
    public DatabaseTarget? Database { get; init; }

    /// <summary>The environment the request came from, stamped on the report.</summary>
    public string? Environment { get; init; }
}

/// <summary>
/// The static network path of one service's tasks (runbook 000 step 3C, runbook 004's ECS sections): every hop with its
/// outcome, evidence and fix, from configuration alone (no probe resource is created). Pipes into Repair-EcsNetworkPath
/// and, by Cluster and Service, into the other cmdlets.
/// </summary>
public sealed class NetworkPathReport
{
    public string Cluster { get; init; } = "";

    public string Service { get; init; } = "";

    public string? Environment { get; init; }

    /// <summary>The task definition whose containers, images and secrets the egress hops were judged for.</summary>
    public string? TaskDefinition { get; init; }

    /// <summary>A <see cref="HopOutcome"/> name for the whole path: Fail when a hop fails, Unknown when one could not be judged, else Pass.</summary>
    public string Status => StatusKind.ToString();

    internal HopOutcome StatusKind { get; init; }

    /// <summary>False when some facts could not be read (hops Unknown): the verdict is incomplete.</summary>
    public bool Complete { get; init; } = true;

    /// <summary>The first hop that fails, or null.</summary>
    public string? FailingHop { get; init; }

    public PrintableList<NetworkHop> Hops { get; init; } = PrintableList<NetworkHop>.Empty;

    /// <summary>The fix of the first failing hop (or what to read again), and the cmdlet that applies it when there is one.</summary>
    public string RecommendedAction { get; init; } = "";

    public DateTimeOffset CheckedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{Cluster}/{Service}: {Status}" + (FailingHop is null ? "" : $" ({FailingHop})");
}

/// <summary>An inbound rule Repair-EcsNetworkPath added (or found already there).</summary>
public sealed class SecurityGroupRuleChange
{
    public string Cluster { get; init; } = "";

    public string Service { get; init; } = "";

    /// <summary>The hop the rule repairs.</summary>
    public string Hop { get; init; } = "";

    public string GroupId { get; init; } = "";

    public string? GroupName { get; init; }

    public string Protocol { get; init; } = "tcp";

    public int Port { get; init; }

    public string SourceGroupId { get; init; } = "";

    public string? SourceGroupName { get; init; }

    /// <summary>False when EC2 already had the rule (nothing changed).</summary>
    public bool Added { get; init; }

    public DateTimeOffset ChangedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{GroupId} inbound {Protocol} {Port} from {SourceGroupId}: {(Added ? "added" : "already there")}";
}
