using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;

namespace DeployOps.Sandbox.Scenarios;

/// <summary>
/// Reads scenario files: <c>&lt;name&gt;.yaml</c> in the scenarios folder, with <c>extends</c> to
/// build on another scenario. Every mistake is reported with the file, the line and what was expected.
/// </summary>
public static partial class ScenarioReader
{
    /// <summary>The scenarios folder shipped next to the sandbox executable.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "scenarios");

    public static IReadOnlyList<string> List(string directory) =>
        Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList()
            : [];

    public static ScenarioDefinition Read(string name, string directory)
    {
        if (!ScenarioName().IsMatch(name))
        {
            throw new ScenarioException($"'{name}' is not a scenario name; expected letters, digits and dashes, e.g. health-check-mismatch.");
        }

        var root = ReadWithExtends(name, directory, []);
        return Bind(name, root, directory);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex ScenarioName();

    private static ScenarioNode ReadWithExtends(string name, string directory, List<string> chain)
    {
        var file = Path.Combine(directory, name + ".yaml");
        if (!File.Exists(file))
        {
            var known = List(directory);
            throw new ScenarioException($"There is no scenario '{name}' ({file} does not exist). Known scenarios: {(known.Count == 0 ? "none" : string.Join(", ", known))}.");
        }

        if (chain.Contains(name))
        {
            throw new ScenarioException($"{name}.yaml: 'extends' goes round in a circle: {string.Join(" -> ", chain)} -> {name}.");
        }

        chain.Add(name);
        var node = ScenarioNode.Load(file);
        node.AsMap("a mapping at the top of the file");
        var extends = node["extends"];
        if (extends is null)
        {
            return node;
        }

        var parent = ReadWithExtends(extends.AsString("the name of the scenario this one builds on"), directory, chain);
        return ScenarioNode.Merge(parent, node.Without("extends"));
    }

    private static ScenarioDefinition Bind(string name, ScenarioNode root, string directory)
    {
        root.AllowOnly("description", "region", "applications", "network", "securityGroups", "targetGroups", "loadBalancers",
            "logGroups", "secretsManager", "taskDefinitions", "clusters", "timings", "stacks", "databases", "lightsail", "slack",
            "webAcls", "snsTopics", "alarms", "auroraClusters", "dbInstances");
        var subnets = ReadSubnets(root["network"]);
        var securityGroups = root["securityGroups"]?.AsMap().Select(e => ReadSecurityGroup(e.Key, e.Value)).ToList() ?? [];
        var targetGroups = root["targetGroups"]?.AsMap().Select(e => ReadTargetGroup(e.Key, e.Value)).ToList() ?? [];
        var taskDefinitions = ReadTaskDefinitions(root["taskDefinitions"]);
        var scenario = new ScenarioDefinition
        {
            Name = name,
            Description = root["description"]?.AsString().Trim() ?? "",
            Region = root["region"]?.AsString("an AWS region such as us-east-1") ?? "us-east-1",
            Applications = (root["applications"]?.AsMap() ?? []).ToDictionary(e => e.Key, e => ReadApplication(e.Key, e.Value)),
            VpcCidr = root["network"]?["vpcCidr"] is { } cidr ? ReadCidr(cidr) : "10.0.0.0/16",
            Subnets = subnets,
            InternetGateway = root["network"]?["internetGateway"]?.AsString("the name of the VPC's internet gateway"),
            NatGateways = ReadNatGateways(root["network"]?["natGateways"]),
            RouteTables = ReadRouteTables(root["network"]?["routeTables"]),
            VpcEndpoints = ReadVpcEndpoints(root["network"]?["vpcEndpoints"], root["region"]?.AsString() ?? "us-east-1"),
            NetworkAcls = ReadNetworkAcls(root["network"]?["networkAcls"]),
            SecurityGroups = securityGroups,
            TargetGroups = targetGroups,
            LoadBalancers = root["loadBalancers"]?.AsMap().Select(e => ReadLoadBalancer(e.Key, e.Value)).ToList() ?? [],
            LogGroups = root["logGroups"]?.AsList().Select(n => n.AsString("a log group name")).ToList() ?? [],
            SecretsManager = (root["secretsManager"]?.AsMap("a mapping of secret names to their values") ?? []).ToDictionary(e => e.Key, e => e.Value.AsString("the secret's value")),
            TaskDefinitions = taskDefinitions,
            Services = (root["clusters"]?.AsMap() ?? []).SelectMany(c => ReadCluster(c.Key, c.Value)).ToList(),
            Timings = ReadTimings(root["timings"]),
            Templates = ReadTemplates(directory),
            Stacks = root["stacks"]?.AsMap().Select(e => ReadStack(e.Key, e.Value)).ToList() ?? [],
            Databases = (root["databases"]?.AsMap() ?? []).ToDictionary(e => e.Key, e => ReadDatabase(e.Key, e.Value)),
            Slack = ReadSlack(root["slack"]),
            WebAcls = ReadWebAcls(root["webAcls"]),
            SnsTopics = ReadSnsTopics(root["snsTopics"]),
            Alarms = ReadAlarms(root["alarms"]),
            AuroraClusters = ReadAuroraClusters(root["auroraClusters"]),
            FlowLogs = ReadFlowLogs(root["network"]?["flowLogs"]),
            DbInstances = ReadDbInstances(root["dbInstances"]),
        };
        scenario = scenario with { Lightsail = LightsailScenarioReader.Read(root["lightsail"], scenario.Applications) };
        CheckReferences(scenario, root);
        CheckMonitoring(scenario, root);
        return scenario;
    }

    private static List<SubnetDefinition> ReadSubnets(ScenarioNode? network)
    {
        if (network is null)
        {
            return [];
        }

        network.AllowOnly("vpcCidr", "subnets", "internetGateway", "natGateways", "routeTables", "vpcEndpoints", "networkAcls", "flowLogs");
        return (network["subnets"]?.AsMap() ?? []).Select(e =>
        {
            e.Value.AllowOnly("cidr", "availabilityZone", "usedIpAddresses");
            return new SubnetDefinition(e.Key, ReadCidr(Required(e.Value, "cidr")), Required(e.Value, "availabilityZone").AsString("an availability zone such as us-east-1a"),
                e.Value["usedIpAddresses"]?.AsInt(0, 65531) ?? 0);
        }).ToList();
    }

    private static List<NatGatewayDefinition> ReadNatGateways(ScenarioNode? node) =>
        (node?.AsMap("a mapping of NAT gateway names to their settings") ?? []).Select(e =>
        {
            e.Value.AllowOnly("subnet", "state", "failureCode");
            return new NatGatewayDefinition(e.Key, Required(e.Value, "subnet").AsString("the name of the subnet the NAT gateway is in"),
                e.Value["state"]?.AsEnum(("available", "available"), ("failed", "failed"), ("deleted", "deleted")) ?? "available",
                e.Value["failureCode"]?.AsString("EC2's failure code, e.g. Gateway.NotAttached"));
        }).ToList();

    private static List<FlowLogDefinition> ReadFlowLogs(ScenarioNode? node) =>
        (node?.AsMap("a mapping of flow log names to their settings") ?? []).Select(e =>
        {
            e.Value.AllowOnly("logGroup", "role", "trafficType", "deleteRoleAfterLoad");
            return new FlowLogDefinition(e.Key, Required(e.Value, "logGroup").AsString("the CloudWatch Logs group the flow log delivers to"),
                Required(e.Value, "role").AsString("the name of the IAM role that delivers the logs"),
                e.Value["trafficType"]?.AsEnum(("ALL", "ALL"), ("ACCEPT", "ACCEPT"), ("REJECT", "REJECT")) ?? "ALL",
                e.Value["deleteRoleAfterLoad"]?.AsBool() ?? false);
        }).ToList();

    private static List<AuroraClusterDefinition> ReadAuroraClusters(ScenarioNode? node) =>
        (node?.AsMap("a mapping of Aurora cluster identifiers to their settings") ?? []).Select(e =>
        {
            var c = e.Value;
            c.AllowOnly([.. DatabaseServerKeys, "minCapacity", "maxCapacity"]);
            c["load"]?.AllowOnly("capacity", "cpuPercent", "connections");
            var defaults = ReadDatabaseServer(c, new AuroraClusterDefinition { Name = e.Key }, ("aurora-postgresql", "aurora-postgresql"), ("aurora-mysql", "aurora-mysql"));
            return defaults with
            {
                MinCapacity = c["minCapacity"]?.AsDouble(0, 256) ?? defaults.MinCapacity,
                MaxCapacity = c["maxCapacity"]?.AsDouble(0.5, 256) ?? defaults.MaxCapacity,
                Capacity = c["load"]?["capacity"]?.AsDouble(0, 256) ?? defaults.Capacity,
            };
        }).ToList();

    private static List<DbInstanceDefinition> ReadDbInstances(ScenarioNode? node) =>
        (node?.AsMap("a mapping of RDS DB instance identifiers to their settings") ?? []).Select(e =>
        {
            var c = e.Value;
            c.AllowOnly([.. DatabaseServerKeys, "instanceClass"]);
            c["load"]?.AllowOnly("cpuPercent", "connections");
            var defaults = ReadDatabaseServer(c, new DbInstanceDefinition { Name = e.Key, Engine = "postgres" }, ("postgres", "postgres"), ("mysql", "mysql"), ("mariadb", "mariadb"));
            return defaults with { InstanceClass = c["instanceClass"]?.AsString("a DB instance class such as db.t3.micro") ?? defaults.InstanceClass };
        }).ToList();

    /// <summary>The keys every database with an endpoint takes (<see cref="DatabaseServerDefinition"/>).</summary>
    private static readonly string[] DatabaseServerKeys = ["engine", "port", "subnets", "securityGroups", "status", "startMinutes", "load"];

    /// <summary>The settings every database with an endpoint shares, read over <paramref name="defaults"/>.</summary>
    private static T ReadDatabaseServer<T>(ScenarioNode c, T defaults, params (string Name, string Value)[] engines)
        where T : DatabaseServerDefinition
    {
        var load = c["load"];
        return (T)(defaults with
        {
            Engine = c["engine"]?.AsEnum(engines) ?? defaults.Engine,
            Port = c["port"]?.AsInt(1150, 65535) ?? defaults.Port,
            Subnets = Required(c, "subnets").AsList("a list of subnet names").Select(n => n.AsString("a subnet name")).ToList(),
            SecurityGroups = (c["securityGroups"]?.AsList("a list of security group names") ?? []).Select(n => n.AsString("a security group name")).ToList(),
            Stopped = (c["status"]?.AsEnum(("available", false), ("stopped", true))) ?? false,
            StartSeconds = (c["startMinutes"]?.AsDouble(0, 120) ?? defaults.StartSeconds / 60) * 60,
            CpuPercent = load?["cpuPercent"]?.AsDouble(0, 100) ?? defaults.CpuPercent,
            Connections = load?["connections"]?.AsDouble(0, 100000) ?? defaults.Connections,
        });
    }

    private static List<RouteTableDefinition> ReadRouteTables(ScenarioNode? node) =>
        (node?.AsMap("a mapping of route table names to their subnets and routes") ?? []).Select(e =>
        {
            e.Value.AllowOnly("subnets", "routes");
            var routes = (e.Value["routes"]?.AsList("a list of routes") ?? []).Select(route =>
            {
                route.AllowOnly("destination", "internetGateway", "natGateway");
                var internetGateway = route["internetGateway"]?.AsString("the name of the VPC's internet gateway");
                var natGateway = route["natGateway"]?.AsString("the name of a NAT gateway in this scenario");
                if ((internetGateway is null) == (natGateway is null))
                {
                    throw route.Expected("exactly one of internetGateway or natGateway");
                }

                return new RouteDefinition(ReadCidr(Required(route, "destination")), internetGateway, natGateway);
            }).ToList();
            return new RouteTableDefinition(e.Key, Names(e.Value["subnets"], "subnet"), routes);
        }).ToList();

    private static List<VpcEndpointDefinition> ReadVpcEndpoints(ScenarioNode? node, string region) =>
        (node?.AsMap("a mapping of VPC endpoint names to their settings") ?? []).Select(e =>
        {
            e.Value.AllowOnly("service", "type", "subnets", "securityGroups", "routeTables");
            var service = Required(e.Value, "service").AsString("an AWS service such as logs, ecr.api, s3 or com.amazonaws.us-east-1.logs");
            var type = e.Value["type"]?.AsEnum(("Interface", "Interface"), ("Gateway", "Gateway")) ?? (service is "s3" or "dynamodb" ? "Gateway" : "Interface");
            return new VpcEndpointDefinition(e.Key, service.StartsWith("com.amazonaws.", StringComparison.Ordinal) ? service : $"com.amazonaws.{region}.{service}", type,
                Names(e.Value["subnets"], "subnet"), Names(e.Value["securityGroups"], "security group"), Names(e.Value["routeTables"], "route table"));
        }).ToList();

    private static List<NetworkAclDefinition> ReadNetworkAcls(ScenarioNode? node) =>
        (node?.AsMap("a mapping of network ACL names to their subnets and entries") ?? []).Select(e =>
        {
            e.Value.AllowOnly("subnets", "entries");
            var entries = (e.Value["entries"]?.AsList("a list of network ACL entries") ?? []).Select(entry =>
            {
                entry.AllowOnly("rule", "direction", "protocol", "port", "fromPort", "toPort", "cidr", "action");
                var protocol = entry["protocol"]?.AsEnum(("tcp", "tcp"), ("udp", "udp"), ("all", "-1"), ("-1", "-1")) ?? "tcp";
                var (from, to) = ReadPorts(entry, protocol);
                return new NetworkAclEntryDefinition(
                    Required(entry, "rule").AsInt(1, 32766),
                    Required(entry, "direction").AsEnum(("egress", true), ("ingress", false)),
                    protocol,
                    from,
                    to,
                    ReadCidr(Required(entry, "cidr")),
                    Required(entry, "action").AsEnum(("allow", true), ("deny", false)));
            }).ToList();
            return new NetworkAclDefinition(e.Key, Names(e.Value["subnets"], "subnet"), entries);
        }).ToList();

    /// <summary>A rule's ports: <c>port</c>, or <c>fromPort</c> and <c>toPort</c>; -1 for every port of protocol -1.</summary>
    private static (int From, int To) ReadPorts(ScenarioNode rule, string protocol)
    {
        if (rule["port"] is { } port)
        {
            var value = port.AsInt(0, 65535);
            return (value, value);
        }

        if (protocol == "-1")
        {
            return (-1, -1);
        }

        var from = Required(rule, "fromPort").AsInt(0, 65535);
        return (from, Required(rule, "toPort").AsInt(from, 65535));
    }

    private static SecurityGroupDefinition ReadSecurityGroup(string name, ScenarioNode node)
    {
        node.AllowOnly("description", "ingress", "egress");
        var ingress = (node["ingress"]?.AsList() ?? []).Select(rule => ReadRule(rule, "sourceGroup")).ToList();
        var egress = node["egress"]?.AsList().Select(rule => ReadRule(rule, "destinationGroup")).ToList();
        return new SecurityGroupDefinition(name, node["description"]?.AsString() ?? name, ingress, egress);
    }

    /// <summary>One security group rule: its protocol and ports, and a CIDR block or the peer group named by <paramref name="groupKey"/>.</summary>
    private static IngressRuleDefinition ReadRule(ScenarioNode rule, string groupKey)
    {
        rule.AllowOnly("protocol", "port", "fromPort", "toPort", "cidr", groupKey);
        var protocol = rule["protocol"]?.AsEnum(("tcp", "tcp"), ("udp", "udp"), ("all", "-1"), ("-1", "-1")) ?? "tcp";
        var (from, to) = ReadPorts(rule, protocol);
        var cidr = rule["cidr"] is { } c ? ReadCidr(c) : null;
        var peer = rule[groupKey]?.AsString("the name of a security group in this scenario");
        if ((cidr is null) == (peer is null))
        {
            throw rule.Expected($"exactly one of cidr or {groupKey}");
        }

        return new IngressRuleDefinition(protocol, from, to, cidr, peer);
    }

    private static TargetGroupDefinition ReadTargetGroup(string name, ScenarioNode node)
    {
        node.AllowOnly("port", "protocol", "targetType", "deregistrationDelaySeconds", "healthCheck", "deleteAfterLoad");
        var check = node["healthCheck"];
        var healthCheck = new HealthCheckDefinition();
        if (check is not null)
        {
            check.AllowOnly("protocol", "port", "path", "matcher", "intervalSeconds", "timeoutSeconds", "healthyThreshold", "unhealthyThreshold");
            healthCheck = new HealthCheckDefinition
            {
                Protocol = check["protocol"]?.AsEnum(("HTTP", "HTTP"), ("HTTPS", "HTTPS")) ?? healthCheck.Protocol,
                Port = check["port"]?.AsString("traffic-port or a port number") ?? healthCheck.Port,
                Path = check["path"] is { } path ? ReadPath(path) : healthCheck.Path,
                Matcher = check["matcher"] is { } matcher ? ReadMatcher(matcher) : healthCheck.Matcher,
                IntervalSeconds = check["intervalSeconds"]?.AsInt(5, 300) ?? healthCheck.IntervalSeconds,
                TimeoutSeconds = check["timeoutSeconds"]?.AsInt(2, 120) ?? healthCheck.TimeoutSeconds,
                HealthyThreshold = check["healthyThreshold"]?.AsInt(2, 10) ?? healthCheck.HealthyThreshold,
                UnhealthyThreshold = check["unhealthyThreshold"]?.AsInt(2, 10) ?? healthCheck.UnhealthyThreshold,
            };
        }

        return new TargetGroupDefinition(
            name,
            Required(node, "port").AsInt(1, 65535),
            node["protocol"]?.AsEnum(("HTTP", "HTTP"), ("HTTPS", "HTTPS")) ?? "HTTP",
            node["targetType"]?.AsEnum(("ip", "ip"), ("instance", "instance")) ?? "ip",
            node["deregistrationDelaySeconds"]?.AsInt(0, 3600) ?? 300,
            healthCheck,
            node["deleteAfterLoad"]?.AsBool() ?? false);
    }

    private static LoadBalancerDefinition ReadLoadBalancer(string name, ScenarioNode node)
    {
        node.AllowOnly("scheme", "subnets", "securityGroups", "listeners", "idleTimeoutSeconds", "traffic");
        var listeners = (node["listeners"]?.AsList() ?? []).Select(l =>
        {
            l.AllowOnly("port", "protocol", "targetGroup", "rules");
            return new ListenerDefinition(Required(l, "port").AsInt(1, 65535), l["protocol"]?.AsEnum(("HTTP", "HTTP")) ?? "HTTP",
                Required(l, "targetGroup").AsString("the name of a target group in this scenario"))
            {
                Rules = (l["rules"]?.AsList() ?? []).Select(r =>
                {
                    r.AllowOnly("priority", "pathPatterns", "targetGroup");
                    return new ListenerRuleDefinition(Required(r, "priority").AsInt(1, 50000), Lines(Required(r, "pathPatterns")),
                        Required(r, "targetGroup").AsString("the name of a target group in this scenario"));
                }).ToList(),
            };
        }).ToList();
        return new LoadBalancerDefinition(name,
            node["scheme"]?.AsEnum(("internet-facing", "internet-facing"), ("internal", "internal")) ?? "internet-facing",
            Names(node["subnets"], "subnet"), Names(node["securityGroups"], "security group"), listeners)
        {
            IdleTimeoutSeconds = node["idleTimeoutSeconds"]?.AsInt(1, 4000),
            Traffic = (node["traffic"]?.AsList() ?? []).Select(t =>
            {
                t.AllowOnly("path", "perMinute");
                return new TrafficDefinition(Required(t, "path").AsString("a path such as /api/v1/orders/"), Required(t, "perMinute").AsDouble(0, 600));
            }).ToList(),
        };
    }

    private static List<TaskDefinitionDefinition> ReadTaskDefinitions(ScenarioNode? node)
    {
        var result = new List<TaskDefinitionDefinition>();
        foreach (var (family, revisions) in node?.AsMap("a mapping of task definition families to their revisions") ?? [])
        {
            var byRevision = new Dictionary<int, TaskDefinitionDefinition>();
            var expected = 1;
            foreach (var (revisionText, revisionNode) in revisions.AsMap("a mapping of revision numbers (1, 2, ...) to revisions"))
            {
                if (!int.TryParse(revisionText, out var revision) || revision != expected)
                {
                    throw ScenarioException.At(revisionNode.Position, $"{revisions.Path}: expected revision {expected} next (revisions are numbered 1, 2, 3, ... in order), found '{revisionText}'.");
                }

                expected++;
                revisionNode.AllowOnly("from", "cpu", "memory", "containers");
                var template = revisionNode["from"] is { } from
                    ? byRevision.GetValueOrDefault(from.AsInt(1, revision - 1)) ?? throw from.Expected("an earlier revision of this family")
                    : null;
                var containers = template?.Containers.ToDictionary(c => c.Name) ?? new Dictionary<string, ContainerDefinition>();
                foreach (var (containerName, containerNode) in revisionNode["containers"]?.AsMapWithRemovals() ?? [])
                {
                    if (containerNode.IsNull)
                    {
                        containers.Remove(containerName);
                        continue;
                    }

                    containers[containerName] = ReadContainer(containerName, containerNode, containers.GetValueOrDefault(containerName));
                }

                if (containers.Count == 0)
                {
                    throw ScenarioException.At(revisionNode.Position, $"{revisionNode.Path}: expected at least one container.");
                }

                byRevision[revision] = new TaskDefinitionDefinition(family, revision,
                    revisionNode["cpu"]?.AsInt(128, 16384) ?? template?.Cpu ?? 256,
                    revisionNode["memory"]?.AsInt(128, 122880) ?? template?.Memory ?? 512,
                    containers.Values.ToList());
                result.Add(byRevision[revision]);
            }
        }

        return result;
    }

    private static ContainerDefinition ReadContainer(string name, ScenarioNode node, ContainerDefinition? template)
    {
        node.AllowOnly("image", "essential", "memory", "memoryReservation", "ports", "environment", "secrets", "logGroup", "logStreamPrefix");
        return new ContainerDefinition
        {
            Name = name,
            Image = node["image"]?.AsString("a container image such as lightwave/backend:1.4.2") ?? template?.Image ?? throw node.Expected("an 'image' for the container"),
            Essential = node["essential"]?.AsBool() ?? template?.Essential ?? true,
            Memory = node["memory"]?.AsInt(6, 122880) ?? template?.Memory,
            MemoryReservation = node["memoryReservation"]?.AsInt(6, 122880) ?? template?.MemoryReservation,
            Ports = node["ports"]?.AsList("a list of container ports").Select(p => p.AsInt(1, 65535)).ToList() ?? template?.Ports ?? [],
            Environment = MergeStrings(template?.Environment, node["environment"]),
            Secrets = MergeStrings(template?.Secrets, node["secrets"]),
            LogGroup = node["logGroup"]?.AsString("a log group name") ?? template?.LogGroup,
            LogStreamPrefix = node["logStreamPrefix"]?.AsString() ?? template?.LogStreamPrefix ?? "ecs",
        };
    }

    /// <summary>Name/value pairs laid over a template's: a null value removes the name.</summary>
    internal static Dictionary<string, string> MergeStrings(IReadOnlyDictionary<string, string>? template, ScenarioNode? node)
    {
        var result = template?.ToDictionary(e => e.Key, e => e.Value) ?? new Dictionary<string, string>();
        foreach (var (key, value) in node?.AsMapWithRemovals("a mapping of names to values") ?? [])
        {
            if (value.IsNull)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = value.AsString();
            }
        }

        return result;
    }

    private static IEnumerable<ServiceDefinition> ReadCluster(string cluster, ScenarioNode node)
    {
        node.AllowOnly("services");
        foreach (var (name, service) in node["services"]?.AsMap() ?? [])
        {
            service.AllowOnly("taskDefinition", "previousTaskDefinition", "desiredCount", "launchType", "subnets", "securityGroups",
                "assignPublicIp", "loadBalancers", "deploymentConfiguration", "healthCheckGracePeriodSeconds", "start");
            var deployment = service["deploymentConfiguration"];
            deployment?.AllowOnly("minimumHealthyPercent", "maximumPercent", "circuitBreaker");
            var breaker = deployment?["circuitBreaker"];
            breaker?.AllowOnly("enable", "rollback");
            yield return new ServiceDefinition
            {
                Name = name,
                Cluster = cluster,
                TaskDefinition = Required(service, "taskDefinition").AsString("family:revision"),
                PreviousTaskDefinition = service["previousTaskDefinition"]?.AsString("family:revision"),
                DesiredCount = service["desiredCount"]?.AsInt(0, 1000) ?? 1,
                LaunchType = service["launchType"]?.AsEnum(("FARGATE", "FARGATE"), ("EC2", "EC2")) ?? "FARGATE",
                Subnets = Names(service["subnets"], "subnet"),
                SecurityGroups = Names(service["securityGroups"], "security group"),
                AssignPublicIp = service["assignPublicIp"]?.AsBool() ?? false,
                LoadBalancers = (service["loadBalancers"]?.AsList() ?? []).Select(m =>
                {
                    m.AllowOnly("targetGroup", "containerName", "containerPort");
                    return new LoadBalancerMappingDefinition(Required(m, "targetGroup").AsString(), Required(m, "containerName").AsString(),
                        Required(m, "containerPort").AsInt(1, 65535));
                }).ToList(),
                MinimumHealthyPercent = deployment?["minimumHealthyPercent"]?.AsInt(0, 100) ?? 100,
                MaximumPercent = deployment?["maximumPercent"]?.AsInt(100, 200) ?? 200,
                CircuitBreakerEnabled = breaker?["enable"]?.AsBool() ?? false,
                CircuitBreakerRollback = breaker?["rollback"]?.AsBool() ?? false,
                HealthCheckGracePeriodSeconds = service["healthCheckGracePeriodSeconds"]?.AsInt(0, 2147483647) ?? 0,
                Start = service["start"]?.AsEnum(("steady", ServiceStart.Steady), ("deploy", ServiceStart.Deploy)) ?? ServiceStart.Steady,
            };
        }
    }

    private static AppProfile ReadApplication(string image, ScenarioNode node)
    {
        node.AllowOnly("port", "startup", "requiredEnvironment", "routes", "defaultStatus", "cors", "failure", "slowSeconds", "resetConnection", "keepAliveSeconds");
        var startup = node["startup"];
        startup?.AllowOnly("delaySeconds", "logs", "listeningLog");
        var failure = node["failure"];
        failure?.AllowOnly("kind", "afterSeconds", "exitCode", "logs");
        var cors = node["cors"];
        cors?.AllowOnly("allowOrigins");
        return new AppProfile
        {
            Image = image,
            Port = node["port"]?.AsInt(1, 65535) ?? 8000,
            StartupDelaySeconds = startup?["delaySeconds"]?.AsDouble(0, 3600) ?? 5,
            StartupLogs = Lines(startup?["logs"]),
            ListeningLog = startup?["listeningLog"]?.AsString() ?? "Listening on port {port}",
            RequiredEnvironment = (node["requiredEnvironment"]?.AsMap() ?? []).ToDictionary(e => e.Key, e => (IReadOnlyList<string>)Lines(e.Value)),
            Routes = (node["routes"]?.AsMap() ?? []).ToDictionary(e => ReadPath(e.Value, e.Key), e => ReadRoute(e.Value)),
            DefaultStatus = node["defaultStatus"]?.AsInt(100, 599) ?? 404,
            CorsAllowOrigins = Lines(cors?["allowOrigins"]),
            SlowSeconds = node["slowSeconds"]?.AsDouble(0, 4000) ?? 0,
            ResetConnection = node["resetConnection"]?.AsBool() ?? false,
            KeepAliveSeconds = node["keepAliveSeconds"]?.AsDouble(0, 4000),
            Failure = failure is null ? new AppFailure() : new AppFailure
            {
                Kind = Required(failure, "kind").AsEnum(("none", AppFailureKind.None), ("crash", AppFailureKind.Crash),
                    ("out-of-memory", AppFailureKind.OutOfMemory), ("image-pull", AppFailureKind.ImagePull)),
                AfterSeconds = failure["afterSeconds"]?.AsDouble(0, 86400) ?? 2,
                ExitCode = failure["exitCode"]?.AsInt(0, 255) ?? 1,
                Logs = Lines(failure["logs"]),
            },
        };
    }

    private static AppRoute ReadRoute(ScenarioNode node)
    {
        node.AllowOnly("status", "body", "contentType", "headers", "slowSeconds", "resetConnection");
        return new AppRoute(
            Required(node, "status").AsInt(100, 599),
            node["body"]?.AsString() ?? "",
            node["contentType"]?.AsString() ?? "application/json",
            (node["headers"]?.AsMap() ?? []).ToDictionary(e => e.Key, e => e.Value.AsString()))
        {
            SlowSeconds = node["slowSeconds"]?.AsDouble(0, 4000),
            ResetConnection = node["resetConnection"]?.AsBool(),
        };
    }

    private static WorldTimings ReadTimings(ScenarioNode? node)
    {
        var defaults = new WorldTimings();
        if (node is null)
        {
            return defaults;
        }

        node.AllowOnly("provisioningSeconds", "pullSeconds", "stopSeconds", "stoppedRetentionSeconds", "schedulerIntervalSeconds");
        return new WorldTimings
        {
            ProvisioningSeconds = node["provisioningSeconds"]?.AsDouble(0, 3600) ?? defaults.ProvisioningSeconds,
            PullSeconds = node["pullSeconds"]?.AsDouble(0, 3600) ?? defaults.PullSeconds,
            StopSeconds = node["stopSeconds"]?.AsDouble(0, 3600) ?? defaults.StopSeconds,
            StoppedRetentionSeconds = node["stoppedRetentionSeconds"]?.AsDouble(0, 86400) ?? defaults.StoppedRetentionSeconds,
            SchedulerIntervalSeconds = node["schedulerIntervalSeconds"]?.AsDouble(1, 300) ?? defaults.SchedulerIntervalSeconds,
        };
    }

    private static SlackDefinition ReadSlack(ScenarioNode? node)
    {
        var defaults = new SlackDefinition();
        if (node is null)
        {
            return defaults;
        }

        node.AllowOnly("botToken", "webhook", "webhookChannel", "channels", "outages", "rateLimits");
        var channels = node["channels"]?.AsMap("a mapping of channel ids to channels").Select(e =>
        {
            e.Value.AllowOnly("name", "archived");
            return new SlackChannelDefinition(e.Key, e.Value["name"]?.AsString("a channel name") ?? e.Key, e.Value["archived"]?.AsBool() ?? false);
        }).ToList() ?? defaults.Channels;
        var slack = new SlackDefinition
        {
            BotToken = node["botToken"]?.AsString("a bot token such as xoxb-...") ?? defaults.BotToken,
            Webhook = node["webhook"]?.AsString("the webhook's path after /services/, e.g. T000/B000/secret") ?? defaults.Webhook,
            WebhookChannel = node["webhookChannel"]?.AsString("a channel id") ?? defaults.WebhookChannel,
            Channels = channels,
            Outages = ReadWindows(node["outages"], "status"),
            RateLimits = ReadWindows(node["rateLimits"], "retryAfterSeconds"),
        };
        if (slack.Channels.All(c => c.Id != slack.WebhookChannel))
        {
            throw ScenarioException.At((node["webhookChannel"] ?? node).Position,
                $"{node.Path}.webhookChannel: '{slack.WebhookChannel}' is not a channel of slack.channels (known: {string.Join(", ", slack.Channels.Select(c => c.Id))}).");
        }

        return slack;
    }

    /// <summary>Windows of world seconds after the scenario loaded: <c>{ fromSeconds, toSeconds }</c> plus an outage's status or a rate limit's Retry-After.</summary>
    private static List<SlackWindow> ReadWindows(ScenarioNode? node, string extra) =>
        node?.AsList("a list of windows such as { fromSeconds: 600, toSeconds: 1200 }").Select(window =>
        {
            window.AllowOnly("fromSeconds", "toSeconds", extra);
            var from = Required(window, "fromSeconds").AsDouble(0, 864000);
            var to = Required(window, "toSeconds").AsDouble(from, 864000);
            return extra == "status"
                ? new SlackWindow(from, to, window["status"]?.AsInt(500, 599) ?? 503, 0)
                : new SlackWindow(from, to, 429, window["retryAfterSeconds"]?.AsInt(1, 3600) ?? 30);
        }).ToList() ?? [];

    /// <summary>Every name a resource uses must be defined in the scenario; the error points at the use.</summary>
    private static void CheckReferences(ScenarioDefinition scenario, ScenarioNode root)
    {
        var subnets = scenario.Subnets.Select(s => s.Name).ToHashSet();
        var groups = scenario.SecurityGroups.Select(g => g.Name).ToHashSet();
        var targetGroups = scenario.TargetGroups.Select(t => t.Name).ToHashSet();
        var taskDefinitions = scenario.TaskDefinitions.Select(t => $"{t.Family}:{t.Revision}").ToHashSet();

        void Check(ScenarioNode? node, IEnumerable<string> used, HashSet<string> known, string kind)
        {
            foreach (var name in used.Where(n => !known.Contains(n)))
            {
                var position = node?.Position ?? root.Position;
                throw ScenarioException.At(position, $"{node?.Path ?? kind}: '{name}' is not a {kind} defined in this scenario (known: {(known.Count == 0 ? "none" : string.Join(", ", known.Order()))}).");
            }
        }

        foreach (var group in scenario.SecurityGroups)
        {
            Check(root["securityGroups"]?[group.Name], group.Ingress.Concat(group.Egress ?? []).Where(r => r.SourceGroup is not null).Select(r => r.SourceGroup!), groups, "security group");
        }

        CheckNetworkReferences(scenario, root, subnets, groups, Check);

        var deletedAfterLoad = scenario.TargetGroups.Where(t => t.DeleteAfterLoad).Select(t => t.Name).ToHashSet();
        foreach (var lb in scenario.LoadBalancers)
        {
            var node = root["loadBalancers"]?[lb.Name];
            Check(node?["subnets"], lb.Subnets, subnets, "subnet");
            Check(node?["securityGroups"], lb.SecurityGroups, groups, "security group");
            Check(node?["listeners"], lb.Listeners.Select(l => l.TargetGroup).Concat(lb.Listeners.SelectMany(l => l.Rules.Select(r => r.TargetGroup))), targetGroups, "target group");
            if (lb.Listeners.FirstOrDefault(l => deletedAfterLoad.Contains(l.TargetGroup)) is { } listener)
            {
                // moto, like AWS, refuses to delete a target group a listener forwards to.
                throw ScenarioException.At(node!["listeners"]!.Position,
                    $"{node["listeners"]!.Path}: target group '{listener.TargetGroup}' has deleteAfterLoad: true, so no listener may forward to it (a target group in use cannot be deleted).");
            }
        }

        foreach (var service in scenario.Services)
        {
            var node = root["clusters"]?[service.Cluster]?["services"]?[service.Name];
            Check(node?["subnets"], service.Subnets, subnets, "subnet");
            Check(node?["securityGroups"], service.SecurityGroups, groups, "security group");
            Check(node?["loadBalancers"], service.LoadBalancers.Select(m => m.TargetGroup), targetGroups, "target group");
            Check(node?["taskDefinition"], [service.TaskDefinition], taskDefinitions, "task definition revision");
            Check(node?["previousTaskDefinition"], service.PreviousTaskDefinition is null ? [] : [service.PreviousTaskDefinition], taskDefinitions, "task definition revision");
        }

        foreach (var (key, server) in scenario.AuroraClusters.Select(c => ("auroraClusters", (DatabaseServerDefinition)c)).Concat(scenario.DbInstances.Select(i => ("dbInstances", (DatabaseServerDefinition)i))))
        {
            var node = root[key]?[server.Name];
            Check(node?["subnets"], server.Subnets, subnets, "subnet");
            Check(node?["securityGroups"], server.SecurityGroups, groups, "security group");
        }

        CheckStacks(scenario, root);
    }

    /// <summary>The names the routing of the VPC uses: subnets, the internet gateway, NAT gateways, route tables, security groups.</summary>
    private static void CheckNetworkReferences(ScenarioDefinition scenario, ScenarioNode root, HashSet<string> subnets, HashSet<string> groups,
        Action<ScenarioNode?, IEnumerable<string>, HashSet<string>, string> check)
    {
        var network = root["network"];
        var gateways = scenario.InternetGateway is null ? new HashSet<string>() : [scenario.InternetGateway];
        var natGateways = scenario.NatGateways.Select(n => n.Name).ToHashSet();
        var routeTables = scenario.RouteTables.Select(r => r.Name).ToHashSet();
        foreach (var nat in scenario.NatGateways)
        {
            check(network?["natGateways"]?[nat.Name]?["subnet"], [nat.Subnet], subnets, "subnet");
        }

        foreach (var table in scenario.RouteTables)
        {
            var node = network?["routeTables"]?[table.Name];
            check(node?["subnets"], table.Subnets, subnets, "subnet");
            check(node?["routes"], table.Routes.Where(r => r.InternetGateway is not null).Select(r => r.InternetGateway!), gateways, "internet gateway");
            check(node?["routes"], table.Routes.Where(r => r.NatGateway is not null).Select(r => r.NatGateway!), natGateways, "NAT gateway");
        }

        foreach (var endpoint in scenario.VpcEndpoints)
        {
            var node = network?["vpcEndpoints"]?[endpoint.Name];
            check(node?["subnets"], endpoint.Subnets, subnets, "subnet");
            check(node?["securityGroups"], endpoint.SecurityGroups, groups, "security group");
            check(node?["routeTables"], endpoint.RouteTables, routeTables, "route table");
        }

        foreach (var acl in scenario.NetworkAcls)
        {
            check(network?["networkAcls"]?[acl.Name]?["subnets"], acl.Subnets, subnets, "subnet");
        }
    }

    internal static ScenarioNode Required(ScenarioNode node, string key) =>
        node[key] is { IsNull: false } value ? value : throw ScenarioException.At(node.Position, $"{node.Path}: expected a value for '{key}'.");

    private static List<string> Names(ScenarioNode? node, string kind) =>
        node?.AsList($"a list of {kind} names").Select(n => n.AsString($"a {kind} name")).ToList() ?? [];

    /// <summary>A list of lines, or a single line written as plain text.</summary>
    internal static List<string> Lines(ScenarioNode? node) =>
        node?.Scalar is { } single ? [single] : node?.AsList("a list of lines").Select(n => n.AsString()).ToList() ?? [];

    private static string ReadCidr(ScenarioNode node)
    {
        var text = node.AsString("an IPv4 CIDR block such as 10.0.1.0/24");
        var slash = text.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(text[..slash], out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork ||
            !int.TryParse(text[(slash + 1)..], out var bits) || bits is < 0 or > 32)
        {
            throw node.Expected("an IPv4 CIDR block such as 10.0.1.0/24");
        }

        return text;
    }

    internal static string ReadPath(ScenarioNode node, string? text = null)
    {
        var path = text ?? node.AsString("a URL path starting with /");
        if (!path.StartsWith('/'))
        {
            throw ScenarioException.At(node.Position, $"{node.Path}: expected a URL path starting with /, found '{path}'.");
        }

        return path;
    }

    internal static string ReadMatcher(ScenarioNode node)
    {
        var matcher = node.AsString("HTTP codes such as 200, 200,302 or 200-299");
        if (!MatcherPattern().IsMatch(matcher))
        {
            throw node.Expected("HTTP codes such as 200, 200,302 or 200-299");
        }

        return matcher;
    }

    [GeneratedRegex(@"^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$")]
    private static partial Regex MatcherPattern();
}
