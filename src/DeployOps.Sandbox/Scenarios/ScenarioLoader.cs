using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using DeployOps.Sandbox.Moto;
using DeployOps.Sandbox.Simulators.CloudFormation;
using DeployOps.Sandbox.Simulators.EcsRuntime;
using DeployOps.Sandbox.Simulators.Rds;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Scenarios;

/// <summary>
/// Builds a scenario's account: resets moto and the world, then creates every resource through
/// moto's APIs in the order a real account's infrastructure code would (network, load balancing,
/// logs, ECS), and hands the services to the world.
/// </summary>
public sealed partial class ScenarioLoader
{
    private readonly MotoClient _moto;
    private readonly SandboxWorld _world;

    public ScenarioLoader(MotoClient moto, SandboxWorld world)
    {
        _moto = moto;
        _world = world;
    }

    public async Task LoadAsync(ScenarioDefinition scenario, CancellationToken cancellationToken)
    {
        await _world.ResetAsync(scenario, () => _moto.ResetAsync(cancellationToken)).ConfigureAwait(false);
        var region = scenario.Region;
        try
        {
            var (subnets, groups, vpcId) = await CreateNetworkAsync(scenario, region, cancellationToken).ConfigureAwait(false);
            var targetGroups = await CreateTargetGroupsAsync(scenario, region, cancellationToken).ConfigureAwait(false);
            await CreateLoadBalancersAsync(scenario, region, subnets, groups, targetGroups, cancellationToken).ConfigureAwait(false);
            foreach (var logGroup in scenario.LogGroups)
            {
                await _moto.LogsAsync("CreateLogGroup", new JsonObject { ["logGroupName"] = logGroup }, region, cancellationToken).ConfigureAwait(false);
            }

            // Flow logs after the log groups: moto decides a flow log's delivery status when it is created (FAILED when its group is not there).
            await CreateFlowLogsAsync(scenario, region, vpcId, cancellationToken).ConfigureAwait(false);
            await CreateDatabasesAsync(scenario, region, subnets, groups, cancellationToken).ConfigureAwait(false);
            var secrets = await CreateSecretsAsync(scenario, region, cancellationToken).ConfigureAwait(false);
            await CreateMonitoringAsync(scenario, region, cancellationToken).ConfigureAwait(false);
            _world.InvalidateConfiguration(region);
            await _world.TickAsync(cancellationToken).ConfigureAwait(false);
            await CreateEcsAsync(scenario, region, subnets, groups, targetGroups, secrets, cancellationToken).ConfigureAwait(false);

            // Stacks last: their templates use the network, the load balancing and the clusters above.
            await CreateStacksAsync(scenario, region, subnets, groups, targetGroups, cancellationToken).ConfigureAwait(false);

            // One step more, so the world's own calls (target registrations, logs) have reached moto
            // before the scenario counts as loaded.
            await _world.TickAsync(cancellationToken).ConfigureAwait(false);
            if (await DeleteTargetGroupsAsync(scenario, region, targetGroups, cancellationToken).ConfigureAwait(false))
            {
                // And one more, so the world has seen the deletion.
                _world.InvalidateConfiguration(region);
                await _world.TickAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (MotoCallException ex) when (ex.Status >= 500)
        {
            // A server error is moto's failure, not the scenario's.
            throw await BadMotoAnswerException.ServerErrorAsync(ex, _moto.Log, cancellationToken).ConfigureAwait(false);
        }
        catch (MotoCallException ex)
        {
            throw new ScenarioException($"{scenario.Name}.yaml: moto refused {ex.Service} {ex.Operation} while building the scenario: {ex.Code}: {ex.AwsMessage}", ex);
        }
    }

    private async Task<(Dictionary<string, string> Subnets, Dictionary<string, string> Groups, string VpcId)> CreateNetworkAsync(ScenarioDefinition scenario, string region,
        CancellationToken cancellationToken)
    {
        var vpc = await _moto.Ec2Async("CreateVpc", [new("CidrBlock", scenario.VpcCidr)], region, cancellationToken).ConfigureAwait(false);
        var vpcId = await RequiredAsync(vpc, "vpcId", "ec2", "CreateVpc", cancellationToken).ConfigureAwait(false);
        // moto's RunTask needs DNS hostnames on; real VPCs for Fargate have them on too.
        await _moto.Ec2Async("ModifyVpcAttribute", [new("VpcId", vpcId), new("EnableDnsHostnames.Value", "true")], region, cancellationToken).ConfigureAwait(false);

        var subnets = new Dictionary<string, string>();
        foreach (var subnet in scenario.Subnets)
        {
            var reply = await _moto.Ec2Async("CreateSubnet",
                [new("VpcId", vpcId), new("CidrBlock", subnet.Cidr), new("AvailabilityZone", subnet.AvailabilityZone), .. NameTag("subnet", subnet.Name)],
                region, cancellationToken).ConfigureAwait(false);
            subnets[subnet.Name] = await RequiredAsync(reply, "subnetId", "ec2", "CreateSubnet", cancellationToken).ConfigureAwait(false);
            if (subnet.UsedIpAddresses > 0)
            {
                // Addresses other workloads hold: one network interface with a primary and secondary addresses.
                await _moto.Ec2Async("CreateNetworkInterface",
                [
                    new("SubnetId", subnets[subnet.Name]), new("Description", $"addresses held by other workloads in {subnet.Name}"),
                    new("SecondaryPrivateIpAddressCount", Text(subnet.UsedIpAddresses - 1)),
                ], region, cancellationToken).ConfigureAwait(false);
            }
        }

        var groups = new Dictionary<string, string>();
        foreach (var group in scenario.SecurityGroups)
        {
            var reply = await _moto.Ec2Async("CreateSecurityGroup",
                [new("GroupName", group.Name), new("GroupDescription", group.Description), new("VpcId", vpcId), .. NameTag("security-group", group.Name)],
                region, cancellationToken).ConfigureAwait(false);
            groups[group.Name] = await RequiredAsync(reply, "groupId", "ec2", "CreateSecurityGroup", cancellationToken).ConfigureAwait(false);
        }

        foreach (var group in scenario.SecurityGroups)
        {
            if (group.Ingress.Count > 0)
            {
                await _moto.Ec2Async("AuthorizeSecurityGroupIngress", RuleParameters(groups[group.Name], group.Ingress, groups), region, cancellationToken).ConfigureAwait(false);
            }

            if (group.Egress is { } egress)
            {
                // Declared egress replaces EC2's default rule (all traffic to 0.0.0.0/0).
                await _moto.Ec2Async("RevokeSecurityGroupEgress", RuleParameters(groups[group.Name], [new IngressRuleDefinition("-1", -1, -1, "0.0.0.0/0", null)], groups),
                    region, cancellationToken).ConfigureAwait(false);
                if (egress.Count > 0)
                {
                    await _moto.Ec2Async("AuthorizeSecurityGroupEgress", RuleParameters(groups[group.Name], egress, groups), region, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await CreateRoutingAsync(scenario, region, vpcId, subnets, groups, cancellationToken).ConfigureAwait(false);
        return (subnets, groups, vpcId);
    }

    /// <summary>EC2's IpPermissions parameters for <paramref name="rules"/> of group <paramref name="groupId"/>.</summary>
    private static List<KeyValuePair<string, string>> RuleParameters(string groupId, IReadOnlyList<IngressRuleDefinition> rules, Dictionary<string, string> groups)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("GroupId", groupId) };
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var prefix = $"IpPermissions.{i + 1}.";
            parameters.Add(new(prefix + "IpProtocol", rule.Protocol));
            parameters.Add(new(prefix + "FromPort", Text(rule.FromPort)));
            parameters.Add(new(prefix + "ToPort", Text(rule.ToPort)));
            parameters.Add(rule.Cidr is not null ? new(prefix + "IpRanges.1.CidrIp", rule.Cidr) : new(prefix + "Groups.1.GroupId", groups[rule.SourceGroup!]));
        }

        return parameters;
    }

    /// <summary>
    /// The VPC's way out, in the order infrastructure code builds it: the internet gateway, NAT gateways (each with an
    /// Elastic IP), route tables with their routes and subnets, VPC endpoints, network ACLs.
    /// </summary>
    private async Task CreateRoutingAsync(ScenarioDefinition scenario, string region, string vpcId, Dictionary<string, string> subnets, Dictionary<string, string> groups,
        CancellationToken cancellationToken)
    {
        string? internetGateway = null;
        if (scenario.InternetGateway is { } gatewayName)
        {
            var reply = await _moto.Ec2Async("CreateInternetGateway", [.. NameTag("internet-gateway", gatewayName)], region, cancellationToken).ConfigureAwait(false);
            internetGateway = await RequiredAsync(reply, "internetGatewayId", "ec2", "CreateInternetGateway", cancellationToken).ConfigureAwait(false);
            await _moto.Ec2Async("AttachInternetGateway", [new("InternetGatewayId", internetGateway), new("VpcId", vpcId)], region, cancellationToken).ConfigureAwait(false);
        }

        var natGateways = new Dictionary<string, string>();
        var brokenNatGateways = new List<string>();
        foreach (var nat in scenario.NatGateways)
        {
            var address = await _moto.Ec2Async("AllocateAddress", [new("Domain", "vpc")], region, cancellationToken).ConfigureAwait(false);
            var allocation = await RequiredAsync(address, "allocationId", "ec2", "AllocateAddress", cancellationToken).ConfigureAwait(false);
            var reply = await _moto.Ec2Async("CreateNatGateway",
                [new("SubnetId", subnets[nat.Subnet]), new("AllocationId", allocation), .. NameTag("natgateway", nat.Name)], region, cancellationToken).ConfigureAwait(false);
            natGateways[nat.Name] = await RequiredAsync(reply, "natGatewayId", "ec2", "CreateNatGateway", cancellationToken).ConfigureAwait(false);
            if (nat.State != "available")
            {
                brokenNatGateways.Add(natGateways[nat.Name]);
            }
        }

        var routeTables = new Dictionary<string, string>();
        foreach (var table in scenario.RouteTables)
        {
            var reply = await _moto.Ec2Async("CreateRouteTable", [new("VpcId", vpcId), .. NameTag("route-table", table.Name)], region, cancellationToken).ConfigureAwait(false);
            var tableId = routeTables[table.Name] = await RequiredAsync(reply, "routeTableId", "ec2", "CreateRouteTable", cancellationToken).ConfigureAwait(false);
            foreach (var route in table.Routes)
            {
                await _moto.Ec2Async("CreateRoute",
                [
                    new("RouteTableId", tableId), new("DestinationCidrBlock", route.Destination),
                    route.NatGateway is { } nat ? new("NatGatewayId", natGateways[nat]) : new("GatewayId", internetGateway!),
                ], region, cancellationToken).ConfigureAwait(false);
            }

            foreach (var subnet in table.Subnets)
            {
                await _moto.Ec2Async("AssociateRouteTable", [new("RouteTableId", tableId), new("SubnetId", subnets[subnet])], region, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var endpoint in scenario.VpcEndpoints)
        {
            List<KeyValuePair<string, string>> parameters =
                [new("VpcId", vpcId), new("ServiceName", endpoint.Service), new("VpcEndpointType", endpoint.Type), .. NameTag("vpc-endpoint", endpoint.Name)];
            parameters.AddRange(endpoint.Subnets.Select((s, i) => new KeyValuePair<string, string>($"SubnetId.{i + 1}", subnets[s])));
            parameters.AddRange(endpoint.SecurityGroups.Select((g, i) => new KeyValuePair<string, string>($"SecurityGroupId.{i + 1}", groups[g])));
            parameters.AddRange(endpoint.RouteTables.Select((r, i) => new KeyValuePair<string, string>($"RouteTableId.{i + 1}", routeTables[r])));
            if (endpoint.Type == "Interface")
            {
                parameters.Add(new("PrivateDnsEnabled", "true"));
            }

            await _moto.Ec2Async("CreateVpcEndpoint", parameters, region, cancellationToken).ConfigureAwait(false);
        }

        foreach (var acl in scenario.NetworkAcls)
        {
            await CreateNetworkAclAsync(acl, region, vpcId, subnets, cancellationToken).ConfigureAwait(false);
        }

        // A failed or deleted NAT gateway is deleted in moto once the routes to it exist (moto then says "deleted", and
        // the world's egress sees a gateway that is not available); NatGatewaysSimulator shows a failed one as failed.
        foreach (var natId in brokenNatGateways)
        {
            await _moto.Ec2Async("DeleteNatGateway", [new("NatGatewayId", natId)], region, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Each flow log's delivery role in IAM (trusting vpc-flow-logs.amazonaws.com, allowed to write logs), then the flow
    /// log; last the roles marked <c>deleteRoleAfterLoad</c> are deleted, as if by hand, so the flow log names a role that
    /// no longer exists.
    /// </summary>
    private async Task CreateFlowLogsAsync(ScenarioDefinition scenario, string region, string vpcId, CancellationToken cancellationToken)
    {
        const string Trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"vpc-flow-logs.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        const string Delivery = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogGroup\",\"logs:CreateLogStream\"," +
                                "\"logs:PutLogEvents\",\"logs:DescribeLogGroups\",\"logs:DescribeLogStreams\"],\"Resource\":\"*\"}]}";
        foreach (var role in scenario.FlowLogs.Select(f => f.Role).Distinct(StringComparer.Ordinal))
        {
            await _moto.IamAsync("CreateRole", [new("RoleName", role), new("AssumeRolePolicyDocument", Trust)], cancellationToken).ConfigureAwait(false);
            await _moto.IamAsync("PutRolePolicy", [new("RoleName", role), new("PolicyName", "flow-logs-delivery"), new("PolicyDocument", Delivery)], cancellationToken)
                .ConfigureAwait(false);
        }

        foreach (var flowLog in scenario.FlowLogs)
        {
            await _moto.Ec2Async("CreateFlowLogs",
            [
                new("ResourceId.1", vpcId), new("ResourceType", "VPC"), new("TrafficType", flowLog.TrafficType), new("LogDestinationType", "cloud-watch-logs"),
                new("LogGroupName", flowLog.LogGroup), new("DeliverLogsPermissionArn", $"arn:aws:iam::{WorldContext.AccountId}:role/{flowLog.Role}"),
                .. NameTag("vpc-flow-log", flowLog.Name),
            ], region, cancellationToken).ConfigureAwait(false);
        }

        foreach (var role in scenario.FlowLogs.Where(f => f.DeleteRoleAfterLoad).Select(f => f.Role).Distinct(StringComparer.Ordinal))
        {
            await _moto.IamAsync("DeleteRolePolicy", [new("RoleName", role), new("PolicyName", "flow-logs-delivery")], cancellationToken).ConfigureAwait(false);
            await _moto.IamAsync("DeleteRole", [new("RoleName", role)], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Each database with endpoints (the Aurora clusters, then the DB instances): its DB subnet group, the cluster or
    /// instance (stopped when the scenario says so), and the RDS simulator told its security groups.
    /// </summary>
    private async Task CreateDatabasesAsync(ScenarioDefinition scenario, string region, Dictionary<string, string> subnets, Dictionary<string, string> groups,
        CancellationToken cancellationToken)
    {
        var rds = _world.Simulator<RdsSimulator>();
        foreach (var database in scenario.AuroraClusters.Concat<DatabaseServerDefinition>(scenario.DbInstances))
        {
            var subnetGroup = $"{database.Name}-subnets";
            await _moto.RdsAsync("CreateDBSubnetGroup",
            [
                new("DBSubnetGroupName", subnetGroup), new("DBSubnetGroupDescription", $"Subnets of {database.Name}"),
                .. database.Subnets.Select((s, i) => new KeyValuePair<string, string>($"SubnetIds.SubnetIdentifier.{i + 1}", subnets[s])),
            ], region, cancellationToken).ConfigureAwait(false);
            var groupIds = database.SecurityGroups.Select(g => groups[g]).ToList();
            var (create, stop, identifier, settings) = database switch
            {
                AuroraClusterDefinition cluster => ("CreateDBCluster", "StopDBCluster", "DBClusterIdentifier", new KeyValuePair<string, string>[]
                {
                    new("EngineMode", "provisioned"),
                    new("ServerlessV2ScalingConfiguration.MinCapacity", cluster.MinCapacity.ToString(CultureInfo.InvariantCulture)),
                    new("ServerlessV2ScalingConfiguration.MaxCapacity", cluster.MaxCapacity.ToString(CultureInfo.InvariantCulture)),
                }),
                DbInstanceDefinition instance => ("CreateDBInstance", "StopDBInstance", "DBInstanceIdentifier", new KeyValuePair<string, string>[]
                {
                    new("DBInstanceClass", instance.InstanceClass), new("AllocatedStorage", "20"),
                }),
                _ => throw new InvalidOperationException($"{database.GetType().Name} is no database the loader knows."),
            };
            await _moto.RdsAsync(create,
            [
                new(identifier, database.Name), new("Engine", database.Engine), new("Port", Text(database.Port)),
                new("MasterUsername", "lightwave"), new("MasterUserPassword", "sandbox-master-password"), new("DBSubnetGroupName", subnetGroup),
                .. settings,
                .. groupIds.Select((g, i) => new KeyValuePair<string, string>($"VpcSecurityGroupIds.VpcSecurityGroupId.{i + 1}", g)),
            ], region, cancellationToken).ConfigureAwait(false);
            if (database.Stopped)
            {
                await _moto.RdsAsync(stop, [new(identifier, database.Name)], region, cancellationToken).ConfigureAwait(false);
            }

            rds.DatabaseCreated(region, database, groupIds);
        }
    }

    /// <summary>A network ACL with its entries, then each of its subnets moved to it from the ACL they had.</summary>
    private async Task CreateNetworkAclAsync(NetworkAclDefinition acl, string region, string vpcId, Dictionary<string, string> subnets, CancellationToken cancellationToken)
    {
        var reply = await _moto.Ec2Async("CreateNetworkAcl", [new("VpcId", vpcId), .. NameTag("network-acl", acl.Name)], region, cancellationToken).ConfigureAwait(false);
        var aclId = await RequiredAsync(reply, "networkAclId", "ec2", "CreateNetworkAcl", cancellationToken).ConfigureAwait(false);
        foreach (var entry in acl.Entries)
        {
            List<KeyValuePair<string, string>> parameters =
            [
                new("NetworkAclId", aclId), new("RuleNumber", Text(entry.Rule)), new("Protocol", entry.Protocol switch { "tcp" => "6", "udp" => "17", _ => "-1" }),
                new("RuleAction", entry.Allow ? "allow" : "deny"), new("Egress", entry.Egress ? "true" : "false"), new("CidrBlock", entry.Cidr),
            ];
            if (entry.FromPort >= 0)
            {
                parameters.Add(new("PortRange.From", Text(entry.FromPort)));
                parameters.Add(new("PortRange.To", Text(entry.ToPort)));
            }

            await _moto.Ec2Async("CreateNetworkAclEntry", parameters, region, cancellationToken).ConfigureAwait(false);
        }

        foreach (var subnet in acl.Subnets)
        {
            var current = await _moto.Ec2Async("DescribeNetworkAcls", [new("Filter.1.Name", "association.subnet-id"), new("Filter.1.Value.1", subnets[subnet])],
                region, cancellationToken).ConfigureAwait(false);
            var association = current.Descendants().Where(e => e.Name.LocalName == "item" && e.Text("subnetId") == subnets[subnet])
                .Select(e => e.Text("networkAclAssociationId")).FirstOrDefault(id => id is not null)
                ?? throw await BadMotoAnswerException.NotExpectedAsync("ec2", "DescribeNetworkAcls", 200, "text/xml", current.ToString(),
                    $"the network ACL association of {subnets[subnet]}", _moto.Log, cancellationToken).ConfigureAwait(false);
            await _moto.Ec2Async("ReplaceNetworkAclAssociation", [new("AssociationId", association), new("NetworkAclId", aclId)], region, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Dictionary<string, string>> CreateTargetGroupsAsync(ScenarioDefinition scenario, string region, CancellationToken cancellationToken)
    {
        var vpc = await _moto.Ec2Async("DescribeVpcs", [new("Filter.1.Name", "cidr"), new("Filter.1.Value.1", scenario.VpcCidr)], region, cancellationToken).ConfigureAwait(false);
        var vpcId = vpc.Find("vpcId")?.Value ?? "";
        var arns = new Dictionary<string, string>();
        foreach (var group in scenario.TargetGroups)
        {
            var check = group.HealthCheck;
            var reply = await _moto.ElbAsync("CreateTargetGroup",
            [
                new("Name", group.Name), new("Protocol", group.Protocol), new("Port", Text(group.Port)), new("VpcId", vpcId), new("TargetType", group.TargetType),
                new("HealthCheckProtocol", check.Protocol), new("HealthCheckPort", check.Port), new("HealthCheckPath", check.Path),
                new("HealthCheckIntervalSeconds", Text(check.IntervalSeconds)), new("HealthCheckTimeoutSeconds", Text(check.TimeoutSeconds)),
                new("HealthyThresholdCount", Text(check.HealthyThreshold)), new("UnhealthyThresholdCount", Text(check.UnhealthyThreshold)),
                new("Matcher.HttpCode", check.Matcher),
            ], region, cancellationToken).ConfigureAwait(false);
            var arn = await RequiredAsync(reply, "TargetGroupArn", "elasticloadbalancing", "CreateTargetGroup", cancellationToken).ConfigureAwait(false);
            arns[group.Name] = arn;
            await _moto.ElbAsync("ModifyTargetGroupAttributes",
                [new("TargetGroupArn", arn), new("Attributes.member.1.Key", "deregistration_delay.timeout_seconds"), new("Attributes.member.1.Value", Text(group.DeregistrationDelaySeconds))],
                region, cancellationToken).ConfigureAwait(false);
        }

        return arns;
    }

    private async Task CreateLoadBalancersAsync(ScenarioDefinition scenario, string region, Dictionary<string, string> subnets, Dictionary<string, string> groups,
        Dictionary<string, string> targetGroups, CancellationToken cancellationToken)
    {
        foreach (var lb in scenario.LoadBalancers)
        {
            var parameters = new List<KeyValuePair<string, string>> { new("Name", lb.Name), new("Scheme", lb.Scheme), new("Type", "application") };
            parameters.AddRange(lb.Subnets.Select((s, i) => new KeyValuePair<string, string>($"Subnets.member.{i + 1}", subnets[s])));
            parameters.AddRange(lb.SecurityGroups.Select((g, i) => new KeyValuePair<string, string>($"SecurityGroups.member.{i + 1}", groups[g])));
            var reply = await _moto.ElbAsync("CreateLoadBalancer", parameters, region, cancellationToken).ConfigureAwait(false);
            var arn = await RequiredAsync(reply, "LoadBalancerArn", "elasticloadbalancing", "CreateLoadBalancer", cancellationToken).ConfigureAwait(false);
            if (lb.IdleTimeoutSeconds is { } idleTimeout)
            {
                await _moto.ElbAsync("ModifyLoadBalancerAttributes",
                [
                    new("LoadBalancerArn", arn), new("Attributes.member.1.Key", "idle_timeout.timeout_seconds"), new("Attributes.member.1.Value", Text(idleTimeout)),
                ], region, cancellationToken).ConfigureAwait(false);
            }

            foreach (var listener in lb.Listeners)
            {
                var created = await _moto.ElbAsync("CreateListener",
                [
                    new("LoadBalancerArn", arn), new("Protocol", listener.Protocol), new("Port", Text(listener.Port)),
                    new("DefaultActions.member.1.Type", "forward"), new("DefaultActions.member.1.TargetGroupArn", targetGroups[listener.TargetGroup]),
                ], region, cancellationToken).ConfigureAwait(false);
                var listenerArn = await RequiredAsync(created, "ListenerArn", "elasticloadbalancing", "CreateListener", cancellationToken).ConfigureAwait(false);
                foreach (var rule in listener.Rules)
                {
                    var ruleParameters = new List<KeyValuePair<string, string>>
                    {
                        new("ListenerArn", listenerArn), new("Priority", Text(rule.Priority)), new("Conditions.member.1.Field", "path-pattern"),
                        new("Actions.member.1.Type", "forward"), new("Actions.member.1.TargetGroupArn", targetGroups[rule.TargetGroup]),
                    };
                    ruleParameters.AddRange(rule.PathPatterns.Select((p, i) => new KeyValuePair<string, string>($"Conditions.member.1.PathPatternConfig.Values.member.{i + 1}", p)));
                    await _moto.ElbAsync("CreateRule", ruleParameters, region, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Deletes the target groups marked <c>deleteAfterLoad</c>, now that the services naming them exist; true when there were any.</summary>
    private async Task<bool> DeleteTargetGroupsAsync(ScenarioDefinition scenario, string region, Dictionary<string, string> targetGroups, CancellationToken cancellationToken)
    {
        var doomed = scenario.TargetGroups.Where(t => t.DeleteAfterLoad).ToList();
        foreach (var group in doomed)
        {
            await _moto.ElbAsync("DeleteTargetGroup", [new("TargetGroupArn", targetGroups[group.Name])], region, cancellationToken).ConfigureAwait(false);
        }

        return doomed.Count > 0;
    }

    /// <summary>Creates the scenario's Secrets Manager secrets; returns each one's ARN by name.</summary>
    private async Task<Dictionary<string, string>> CreateSecretsAsync(ScenarioDefinition scenario, string region, CancellationToken cancellationToken)
    {
        var arns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in scenario.SecretsManager)
        {
            var reply = await _moto.SecretsManagerAsync("CreateSecret", new JsonObject { ["Name"] = name, ["SecretString"] = _world.Simulator<RdsSimulator>().ExpandEndpoints(region, value) }, region, cancellationToken)
                .ConfigureAwait(false);
            arns[name] = reply["ARN"]?.GetValue<string>() ?? throw await BadMotoAnswerException.NotExpectedAsync("secretsmanager", "CreateSecret", 200,
                "application/x-amz-json-1.1", reply.ToJsonString(), "an answer with ARN", _moto.Log, cancellationToken).ConfigureAwait(false);
        }

        return arns;
    }

    private async Task CreateEcsAsync(ScenarioDefinition scenario, string region, Dictionary<string, string> subnets, Dictionary<string, string> groups,
        Dictionary<string, string> targetGroups, Dictionary<string, string> secrets, CancellationToken cancellationToken)
    {
        foreach (var cluster in scenario.Services.Select(s => s.Cluster).Distinct())
        {
            await _moto.EcsAsync("CreateCluster", new JsonObject { ["clusterName"] = cluster }, region, cancellationToken).ConfigureAwait(false);
        }

        foreach (var taskDefinition in scenario.TaskDefinitions)
        {
            await _moto.EcsAsync("RegisterTaskDefinition", TaskDefinitionRequest(taskDefinition, region, secrets, text => _world.Simulator<RdsSimulator>().ExpandEndpoints(region, text)), region, cancellationToken).ConfigureAwait(false);
        }

        var ecs = _world.Simulator<EcsRuntimeSimulator>();
        foreach (var service in scenario.Services)
        {
            var request = ServiceRequest(service, subnets, groups, targetGroups);
            var first = service.PreviousTaskDefinition ?? service.TaskDefinition;
            request["taskDefinition"] = first;
            var reply = await _moto.EcsAsync("CreateService", request, region, cancellationToken).ConfigureAwait(false);
            var start = service.PreviousTaskDefinition is null ? service.Start : ServiceStart.Steady;
            await ecs.OnServiceCreatedAsync(request, reply, region, start, cancellationToken).ConfigureAwait(false);
            if (service.PreviousTaskDefinition is not null)
            {
                var update = new JsonObject { ["cluster"] = service.Cluster, ["service"] = service.Name, ["taskDefinition"] = service.TaskDefinition };
                var updated = await _moto.EcsAsync("UpdateService", update, region, cancellationToken).ConfigureAwait(false);
                await ecs.OnServiceUpdatedAsync(update, updated, region, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Builds the scenario's stacks with their past (history, create, updates, delete) through the CloudFormation simulator;
    /// a stack parameter may name the scenario's resources: <c>{subnet:NAME}</c>, <c>{securityGroup:NAME}</c>,
    /// <c>{targetGroup:NAME}</c>, <c>{vpc}</c>.
    /// </summary>
    private async Task CreateStacksAsync(ScenarioDefinition scenario, string region, Dictionary<string, string> subnets, Dictionary<string, string> groups,
        Dictionary<string, string> targetGroups, CancellationToken cancellationToken)
    {
        if (scenario.Stacks.All(s => s.Template is null))
        {
            return;
        }

        var vpc = await _moto.Ec2Async("DescribeVpcs", [new("Filter.1.Name", "cidr"), new("Filter.1.Value.1", scenario.VpcCidr)], region, cancellationToken).ConfigureAwait(false);
        var names = new Dictionary<string, string>(StringComparer.Ordinal) { ["vpc"] = vpc.Find("vpcId")?.Value ?? "" };
        foreach (var (kind, ids) in new[] { ("subnet", subnets), ("securityGroup", groups), ("targetGroup", targetGroups) })
        {
            foreach (var (name, id) in ids)
            {
                names[$"{kind}:{name}"] = id;
            }
        }

        string Expand(string value) => System.Text.RegularExpressions.Regex.Replace(value, @"\{(?<name>[A-Za-z]+(:[^}]+)?)\}", match =>
            names.TryGetValue(match.Groups["name"].Value, out var id)
                ? id
                : throw new ScenarioException($"{scenario.Name}.yaml: a stack parameter names '{match.Value}', which is not a subnet, security group or target group of the scenario (or {{vpc}})."));

        _world.InvalidateConfiguration(region);
        await _world.TickAsync(cancellationToken).ConfigureAwait(false);
        var cloudFormation = _world.Simulator<CloudFormationSimulator>();
        foreach (var stack in scenario.Stacks.Where(s => s.Template is not null))
        {
            await cloudFormation.ReplayAsync(stack, region, Expand, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <param name="expand">Puts the scenario's Aurora endpoints into environment values (<see cref="RdsSimulator.ExpandEndpoints"/>).</param>
    private static JsonObject TaskDefinitionRequest(TaskDefinitionDefinition definition, string region, IReadOnlyDictionary<string, string> secretArns, Func<string, string> expand)
    {
        // A secret named by its name: the ARN of the scenario's secret, else the (partial) ARN a secret of that name would have.
        string SecretSource(string valueFrom) =>
            valueFrom.StartsWith("arn:", StringComparison.Ordinal) ? valueFrom
            : secretArns.TryGetValue(valueFrom, out var arn) ? arn
            : $"arn:aws:secretsmanager:{region}:{WorldContext.AccountId}:secret:{valueFrom}";

        static JsonArray Pairs(IReadOnlyDictionary<string, string> values, string valueName) =>
            new(values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (JsonNode)new JsonObject { ["name"] = v.Key, [valueName] = v.Value }).ToArray());

        var containers = definition.Containers.Select(c =>
        {
            var container = new JsonObject
            {
                ["name"] = c.Name,
                ["image"] = c.Image,
                ["essential"] = c.Essential,
                ["portMappings"] = new JsonArray(c.Ports.Select(p => (JsonNode)new JsonObject { ["containerPort"] = p, ["hostPort"] = p, ["protocol"] = "tcp" }).ToArray()),
                ["environment"] = Pairs(c.Environment.ToDictionary(e => e.Key, e => expand(e.Value)), "value"),
                ["secrets"] = Pairs(c.Secrets.ToDictionary(s => s.Key, s => SecretSource(s.Value)), "valueFrom"),
            };
            // moto needs memory or memoryReservation on every container to run tasks.
            if (c.MemoryReservation is { } reservation)
            {
                container["memoryReservation"] = reservation;
            }

            if (c.Memory is not null || c.MemoryReservation is null)
            {
                container["memory"] = c.Memory ?? definition.Memory;
            }

            if (c.LogGroup is not null)
            {
                container["logConfiguration"] = new JsonObject
                {
                    ["logDriver"] = "awslogs",
                    ["options"] = new JsonObject { ["awslogs-group"] = c.LogGroup, ["awslogs-region"] = region, ["awslogs-stream-prefix"] = c.LogStreamPrefix },
                };
            }

            return (JsonNode)container;
        }).ToArray();
        return new JsonObject
        {
            ["family"] = definition.Family,
            ["networkMode"] = "awsvpc",
            ["requiresCompatibilities"] = new JsonArray("FARGATE"),
            ["cpu"] = Text(definition.Cpu),
            ["memory"] = Text(definition.Memory),
            ["containerDefinitions"] = new JsonArray(containers),
        };
    }

    private static JsonObject ServiceRequest(ServiceDefinition service, Dictionary<string, string> subnets, Dictionary<string, string> groups, Dictionary<string, string> targetGroups) => new()
    {
        ["cluster"] = service.Cluster,
        ["serviceName"] = service.Name,
        ["desiredCount"] = service.DesiredCount,
        ["launchType"] = service.LaunchType,
        ["networkConfiguration"] = new JsonObject
        {
            ["awsvpcConfiguration"] = new JsonObject
            {
                ["subnets"] = new JsonArray(service.Subnets.Select(s => (JsonNode)subnets[s]).ToArray()),
                ["securityGroups"] = new JsonArray(service.SecurityGroups.Select(g => (JsonNode)groups[g]).ToArray()),
                ["assignPublicIp"] = service.AssignPublicIp ? "ENABLED" : "DISABLED",
            },
        },
        ["loadBalancers"] = new JsonArray(service.LoadBalancers.Select(m => (JsonNode)new JsonObject
        {
            ["targetGroupArn"] = targetGroups[m.TargetGroup],
            ["containerName"] = m.ContainerName,
            ["containerPort"] = m.ContainerPort,
        }).ToArray()),
        ["deploymentConfiguration"] = new JsonObject
        {
            ["minimumHealthyPercent"] = service.MinimumHealthyPercent,
            ["maximumPercent"] = service.MaximumPercent,
            ["deploymentCircuitBreaker"] = new JsonObject { ["enable"] = service.CircuitBreakerEnabled, ["rollback"] = service.CircuitBreakerRollback },
        },
        ["healthCheckGracePeriodSeconds"] = service.HealthCheckGracePeriodSeconds,
    };

    /// <summary>The id or ARN a create call answered (with a success status); an answer without it is not the protocol's.</summary>
    private async Task<string> RequiredAsync(XElement reply, string field, string service, string action, CancellationToken cancellationToken) =>
        reply.Find(field)?.Value ?? throw await BadMotoAnswerException.NotExpectedAsync(service, action, 200, "text/xml", reply.ToString(),
            $"an answer with {field}", _moto.Log, cancellationToken).ConfigureAwait(false);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>EC2's TagSpecification for a Name tag, as infrastructure code names what it creates.</summary>
    private static KeyValuePair<string, string>[] NameTag(string resourceType, string name) =>
    [
        new("TagSpecification.1.ResourceType", resourceType),
        new("TagSpecification.1.Tag.1.Key", "Name"),
        new("TagSpecification.1.Tag.1.Value", name),
    ];
}
