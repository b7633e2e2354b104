using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws;
using DeployOps.Aws.Ec2;
using DeployOps.Aws.Iam;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.Networking;

/// <summary>What Test-VpcNetwork judges: the VPC's network, its flow logs, whether each flow log's log group exists, and its delivery role.</summary>
public sealed class VpcNetworkFacts
{
    public string Region { get; init; } = "";

    public VpcNetwork Network { get; init; } = new();

    public Fact<IReadOnlyList<Ec2FlowLog>> FlowLogs { get; init; } = Fact<IReadOnlyList<Ec2FlowLog>>.Of(Array.Empty<Ec2FlowLog>());

    /// <summary>Per CloudWatch Logs group a flow log names: whether it exists.</summary>
    public IReadOnlyDictionary<string, Fact<bool>> LogGroups { get; init; } = new Dictionary<string, Fact<bool>>();

    /// <summary>Per delivery role ARN of a CloudWatch Logs flow log: the IAM role (absent when IAM says it does not exist).</summary>
    public IReadOnlyDictionary<string, Fact<IamRole>> DeliveryRoles { get; init; } = new Dictionary<string, Fact<IamRole>>();
}

/// <summary>Test-VpcNetwork's report (runbook 004 "NAT gateway connectivity failures", "VPC flow logs not capturing traffic").</summary>
public sealed class VpcNetworkReport
{
    public string VpcId { get; init; } = "";

    /// <summary>A <see cref="HopOutcome"/> name for the whole: Fail when a check fails, Unknown when one could not be judged, else Pass.</summary>
    public string Status => StatusKind.ToString();

    internal HopOutcome StatusKind { get; init; }

    /// <summary>False when some facts could not be read (checks Unknown): the verdict is incomplete.</summary>
    public bool Complete { get; init; } = true;

    public string? FailingCheck { get; init; }

    public PrintableList<DiagnosticCheck> Checks { get; init; } = PrintableList<DiagnosticCheck>.Empty;

    public string RecommendedAction { get; init; } = "";

    public DateTimeOffset CheckedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{VpcId}: {Status}" + (FailingCheck is null ? "" : $" ({FailingCheck})");
}

/// <summary>
/// The checks of a VPC, from facts alone (pure): the internet gateway's attachment, each NAT gateway (state, failure code),
/// each route table's way out (a private table's 0.0.0.0/0 must lead to an available NAT gateway, judged by
/// <see cref="EgressRoutes"/> as a task's egress is), the VPC endpoints, and each flow log (ACTIVE, delivering, its log group
/// there, and for CloudWatch Logs its delivery role in IAM; an S3 or Firehose destination needs no role).
/// </summary>
public static class VpcNetworkClassifier
{
    public const string InternetGatewayCheck = "Internet gateway";
    public const string EndpointsCheck = "VPC endpoints";
    public const string FlowLogsCheck = "Flow logs";
    private const string Anywhere = "0.0.0.0/0";
    private const string Retry = "Test-VpcNetwork";

    private static readonly EgressDestination Internet = new("the internet", null, "the internet", "outbound traffic of the subnet", true);

    public static IReadOnlyList<DiagnosticCheck> Classify(VpcNetworkFacts facts)
    {
        var checks = new List<DiagnosticCheck> { InternetGateway(facts.Network) };
        checks.AddRange(NatGateways(facts.Network));
        checks.AddRange(RouteTables(facts));
        checks.Add(Endpoints(facts.Network));
        checks.AddRange(FlowLogs(facts));
        return checks;
    }

    private static DiagnosticCheck InternetGateway(VpcNetwork network)
    {
        if (network.InternetGateways.Gap is { } gap)
        {
            return DiagnosticCheck.Unknown(InternetGatewayCheck, gap, Retry);
        }

        if (network.InternetGateways.Value.FirstOrDefault(g => g.AttachedVpcIds.Contains(network.VpcId ?? "")) is { } attached)
        {
            return DiagnosticCheck.Pass(InternetGatewayCheck, $"Internet gateway {attached.Id} is attached to {network.VpcId}");
        }

        var needs = network.NatGateways.ValueOr(null)?.Any(n => n.ConnectivityType != "private" && n.State == "available") == true
                    || network.RouteTables.ValueOr(null)?.Any(t => t.Routes.Any(r => r.GatewayId?.StartsWith("igw-", StringComparison.Ordinal) == true)) == true;
        return needs
            ? DiagnosticCheck.Fail(InternetGatewayCheck, $"aws ec2 create-internet-gateway, then aws ec2 attach-internet-gateway --internet-gateway-id <igw> --vpc-id {network.VpcId}",
                $"No internet gateway is attached to {network.VpcId}, yet its routes or public NAT gateways need one")
            : DiagnosticCheck.Skipped(InternetGatewayCheck, $"No internet gateway is attached to {network.VpcId}, and nothing routes to one (a private VPC)");
    }

    private static IEnumerable<DiagnosticCheck> NatGateways(VpcNetwork network)
    {
        if (network.NatGateways.Gap is { } gap)
        {
            return new[] { DiagnosticCheck.Unknown("NAT gateways", gap, Retry) };
        }

        var gateways = network.NatGateways.Value;
        if (gateways.Count == 0)
        {
            return new[] { DiagnosticCheck.Skipped("NAT gateways", $"{network.VpcId} has no NAT gateway") };
        }

        return gateways.Select(nat =>
        {
            var name = $"NAT gateway {NetworkPathAnalysis.Named(nat.Id, nat.Name)}";
            var where = $"{name} in subnet {nat.SubnetId} is {nat.State}";
            var recreate = $"Re-create it in a public subnet (terraform: taint the aws_nat_gateway and apply; or aws ec2 create-nat-gateway --subnet-id {nat.SubnetId} " +
                           "--allocation-id <EIP>) and point the private route tables' 0.0.0.0/0 at the new one (aws ec2 replace-route ... --nat-gateway-id <new>)";
            return nat.State switch
            {
                "available" => DiagnosticCheck.Pass(name, where),
                "failed" => DiagnosticCheck.Fail(name, recreate, $"{where}: {nat.FailureCode ?? "no failure code"} ({nat.FailureMessage ?? "no message"})"),
                "deleted" or "deleting" => DiagnosticCheck.Fail(name, recreate, $"{where}: it passes no traffic"),
                _ => DiagnosticCheck.Fail(name, $"Wait until it is available: aws ec2 describe-nat-gateways --nat-gateway-ids {nat.Id}", $"{where}, not available yet"),
            };
        }).ToList();
    }

    private static IEnumerable<DiagnosticCheck> RouteTables(VpcNetworkFacts facts)
    {
        var network = facts.Network;
        if (NetworkPathAnalysis.Missing(network.RouteTables.Gap, network.Subnets.Gap, network.NatGateways.Gap, network.InternetGateways.Gap, network.Endpoints.Gap) is { } gap)
        {
            return new[] { DiagnosticCheck.Unknown("Route tables", gap, Retry) };
        }

        var explicitly = new HashSet<string>(network.RouteTables.Value.Where(t => !t.IsMain).SelectMany(t => t.SubnetIds), StringComparer.Ordinal);
        var pathFacts = new NetworkPathFacts { Region = facts.Region, Network = network };
        var checks = new List<DiagnosticCheck>();
        foreach (var table in network.RouteTables.Value)
        {
            var subnets = table.IsMain ? table.SubnetIds.Concat(network.Subnets.Value.Select(s => s.Id).Where(id => !explicitly.Contains(id))).Distinct().ToList() : table.SubnetIds.ToList();
            if (subnets.Count == 0)
            {
                continue;
            }

            var name = $"Route table {NetworkPathAnalysis.Named(table.Id, table.Name)}";
            var serves = $"serves {string.Join(", ", subnets.Select(id => NetworkPathAnalysis.Named(id, network.Subnet(id)?.Name)))}";
            var route = table.Routes.FirstOrDefault(r => r.DestinationCidrBlock == Anywhere);
            if (route?.GatewayId is { } gatewayId && gatewayId.StartsWith("igw-", StringComparison.Ordinal) && route.State != "blackhole")
            {
                var attached = network.InternetGateways.Value.Any(g => g.Id == gatewayId && g.AttachedVpcIds.Contains(network.VpcId ?? ""));
                checks.Add(attached
                    ? DiagnosticCheck.Pass(name, $"{name} ({serves}) is public: {Anywhere} goes to internet gateway {gatewayId}")
                    : DiagnosticCheck.Fail(name, $"aws ec2 attach-internet-gateway --internet-gateway-id {gatewayId} --vpc-id {network.VpcId}",
                        $"{name} ({serves}) sends {Anywhere} to {gatewayId}, which is not attached to {network.VpcId}"));
                continue;
            }

            var verdict = EgressRoutes.DefaultRoute(pathFacts, table, subnets[0], Internet);
            checks.Add(verdict is null
                ? DiagnosticCheck.Pass(name, $"{name} ({serves}) is private: {Anywhere} goes to NAT gateway {route?.NatGatewayId}, which is available and routes to the internet gateway")
                : DiagnosticCheck.Of(name, verdict.Outcome, verdict.Fix, verdict.Evidence.Select(e => $"{e} ({serves})").ToArray()));
        }

        return checks;
    }

    private static DiagnosticCheck Endpoints(VpcNetwork network)
    {
        if (network.Endpoints.Gap is { } gap)
        {
            return DiagnosticCheck.Unknown(EndpointsCheck, gap, Retry);
        }

        var endpoints = network.Endpoints.Value;
        if (endpoints.Count == 0)
        {
            return DiagnosticCheck.Skipped(EndpointsCheck, $"{network.VpcId} has no VPC endpoint: AWS services are reached through the NAT gateway");
        }

        var evidence = endpoints.Select(e => $"{e.Id}: {e.ServiceName} ({e.Type}) is {e.State}").ToArray();
        var broken = endpoints.Where(e => e.State != "available").ToList();
        return broken.Count == 0
            ? DiagnosticCheck.Pass(EndpointsCheck, evidence)
            : DiagnosticCheck.Fail(EndpointsCheck, $"Inspect them: aws ec2 describe-vpc-endpoints --vpc-endpoint-ids {string.Join(" ", broken.Select(e => e.Id))}", evidence);
    }

    private static IEnumerable<DiagnosticCheck> FlowLogs(VpcNetworkFacts facts)
    {
        var vpc = facts.Network.VpcId;
        if (facts.FlowLogs.Gap is { } gap)
        {
            return new[] { DiagnosticCheck.Unknown(FlowLogsCheck, gap, Retry) };
        }

        if (facts.FlowLogs.Value.Count == 0)
        {
            return new[]
            {
                DiagnosticCheck.Fail(FlowLogsCheck,
                    $"aws ec2 create-flow-logs --resource-type VPC --resource-ids {vpc} --traffic-type ALL --log-group-name /aws/vpc/<name> --deliver-logs-permission-arn <role ARN>",
                    $"No flow log captures {vpc}"),
            };
        }

        return facts.FlowLogs.Value.Select(flowLog => FlowLog(facts, flowLog)).ToList();
    }

    private static DiagnosticCheck FlowLog(VpcNetworkFacts facts, Ec2FlowLog flowLog)
    {
        var name = $"Flow log {flowLog.Id}";
        var destination = flowLog.DeliversToCloudWatchLogs ? $"log group {flowLog.LogGroupName}" : flowLog.DestinationType;
        var evidence = new List<string>
        {
            $"{name} captures {flowLog.TrafficType} traffic of {flowLog.ResourceId} into {destination} with role {flowLog.DeliverLogsPermissionArn ?? "(none)"}: status {flowLog.Status}, delivery {flowLog.DeliverLogsStatus ?? "unknown"}" +
            (flowLog.DeliverLogsErrorMessage is { } error ? $" ({error})" : ""),
        };
        var fixes = new List<string>();
        if (flowLog.Status != "ACTIVE")
        {
            fixes.Add($"Re-create it: aws ec2 delete-flow-logs --flow-log-ids {flowLog.Id}, then aws ec2 create-flow-logs ...");
        }

        if (flowLog.LogGroupName is { } group && facts.LogGroups.TryGetValue(group, out var exists))
        {
            if (exists.Gap is { } gap)
            {
                return DiagnosticCheck.Unknown(name, gap, Retry);
            }

            if (!exists.Value)
            {
                evidence.Add($"Log group {group} does not exist");
                fixes.Add($"aws logs create-log-group --log-group-name {group}");
            }
        }

        var roleMissing = false;
        if (flowLog.DeliversToCloudWatchLogs)
        {
            if (flowLog.DeliverLogsPermissionArn is not { } roleArn)
            {
                roleMissing = true;
                evidence.Add("It names no delivery role: CloudWatch Logs delivery needs one");
                fixes.Add(RecreateWithRole(flowLog, "an IAM role that trusts vpc-flow-logs.amazonaws.com"));
            }
            else if (facts.DeliveryRoles.TryGetValue(roleArn, out var role))
            {
                if (role.Gap is { } gap)
                {
                    return DiagnosticCheck.Unknown(name, gap, Retry);
                }

                if (role.Absent)
                {
                    var roleName = AwsArn.LastSegment(roleArn);
                    roleMissing = true;
                    evidence.Add($"IAM role {roleName} does not exist (NoSuchEntity): nothing can deliver the flow log's records");
                    fixes.Add($"Create the role: aws iam create-role --role-name {roleName} --assume-role-policy-document " +
                              "'{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"vpc-flow-logs.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}', " +
                              $"then aws iam put-role-policy --role-name {roleName} --policy-name flow-logs-delivery --policy-document <allow logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents, " +
                              $"logs:DescribeLogGroups, logs:DescribeLogStreams>; or {RecreateWithRole(flowLog, "an existing role")}");
                }
                else
                {
                    evidence.Add($"IAM role {role.Value.Name} exists");
                }
            }
        }

        if (flowLog.DeliverLogsStatus == "FAILED" && !roleMissing)
        {
            fixes.Add(flowLog.DeliverLogsErrorMessage == "Rate limited"
                ? "Raise the CloudWatch Logs quota, or deliver to S3"
                : $"Check the role: aws iam get-role --role-name {(flowLog.DeliverLogsPermissionArn is { } arn ? AwsArn.LastSegment(arn) : "<role>")} (it must trust vpc-flow-logs.amazonaws.com and allow logs:CreateLogStream and logs:PutLogEvents)");
        }

        return fixes.Count == 0 ? DiagnosticCheck.Pass(name, evidence.ToArray()) : DiagnosticCheck.Fail(name, string.Join("; ", fixes), evidence.ToArray());
    }

    private static string RecreateWithRole(Ec2FlowLog flowLog, string role) =>
        $"re-create the flow log with {role}: aws ec2 delete-flow-logs --flow-log-ids {flowLog.Id}, then aws ec2 create-flow-logs --resource-ids {flowLog.ResourceId} " +
        $"--resource-type {ResourceType(flowLog.ResourceId)} --traffic-type {flowLog.TrafficType ?? "ALL"} --log-group-name {flowLog.LogGroupName} --deliver-logs-permission-arn <role ARN>";

    private static string ResourceType(string? resourceId) =>
        resourceId?.StartsWith("subnet-", StringComparison.Ordinal) == true ? "Subnet" : resourceId?.StartsWith("eni-", StringComparison.Ordinal) == true ? "NetworkInterface" : "VPC";
}
