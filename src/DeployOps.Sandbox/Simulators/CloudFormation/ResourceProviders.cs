using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.Simulators.Rds;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.CloudFormation;

/// <summary>What an AWS call a provider made gave back: the physical id (when the service chose it) and attributes.</summary>
internal sealed record ProvisionResult(string? PhysicalId, IReadOnlyDictionary<string, JsonNode>? Attributes = null, string? DeploymentId = null);

/// <summary>
/// One task's dealings with the world: the resource, the properties it applies, when it started and how long its type
/// takes, and the means to make AWS calls (as effects, outside the simulator's lock) whose answer the task waits for.
/// </summary>
internal sealed class ProvisionContext
{
    public ProvisionContext(CloudFormationSimulator simulator, SimulatedStack stack, StackResource resource, ResourceTask task, double at, double seconds, bool settled)
    {
        Simulator = simulator;
        Stack = stack;
        Resource = resource;
        Task = task;
        At = at;
        Seconds = seconds;
        Settled = settled;
    }

    public CloudFormationSimulator Simulator { get; }

    public SimulatedStack Stack { get; }

    public StackResource Resource { get; }

    public ResourceTask Task { get; }

    public double At { get; }

    public double Seconds { get; }

    /// <summary>True when the task ends before the end of a replayed past: the world is put where it would be by then.</summary>
    public bool Settled { get; }

    public string Region => Stack.Region;

    /// <summary>The properties the task applies (for a deletion: those of the physical resource deleted).</summary>
    public JsonObject Properties => Task.Physical?.Properties ?? Task.Properties ?? Resource.Properties ?? [];

    /// <summary>The physical resource the task acts on (for a deletion of a superseded one: that one).</summary>
    public string? PhysicalId => Task.Physical?.PhysicalId ?? Resource.PhysicalId;

    public bool Creates => Task.Action is TaskAction.Create or TaskAction.Replace;

    public bool Deletes => Task.Action is TaskAction.Delete or TaskAction.RemovePhysical;

    /// <summary>False for a scenario's past incarnations: nothing is made in moto or the world.</summary>
    public bool InWorld => !Stack.RecordOnly;

    public void EndsAfterSeconds() => Task.DueAt = At + Seconds;

    /// <summary>A property as text, or null.</summary>
    public string? Text(string name) => Properties[name] is { } value ? StackTemplate.Text(value) : null;

    /// <summary>A name CloudFormation makes for a resource the template leaves unnamed: stack-LogicalId-RANDOM.</summary>
    public string GeneratedName(int suffixLength = 12, int maxLength = 255)
    {
        var name = $"{Stack.Name}-{Resource.LogicalId}-{Stack.NewSuffix(suffixLength)}";
        return name.Length <= maxLength ? name : name[..(maxLength - suffixLength - 1)] + "-" + name[^suffixLength..];
    }

    /// <summary>Sets the physical id (and attributes) the provider knows without asking AWS.</summary>
    public void Assign(string physicalId, IReadOnlyDictionary<string, JsonNode>? attributes = null)
    {
        Resource.PhysicalId = physicalId;
        foreach (var (name, value) in attributes ?? new Dictionary<string, JsonNode>())
        {
            Resource.Attributes[name] = value;
        }
    }

    /// <summary>
    /// Queues an AWS call (in the world only). When it returns the physical id, the task waits for it: nothing after the
    /// task's start happens before. A refused call fails the resource with the handler's message, as CloudFormation does.
    /// </summary>
    public void Call(Func<CancellationToken, Task<ProvisionResult?>> call, bool assignsPhysicalId)
    {
        if (!InWorld)
        {
            return;
        }

        var (task, resource) = (Task, Resource);
        task.AwaitingEffect = assignsPhysicalId;
        Simulator.QueueEffect(async () =>
        {
            ProvisionResult? result = null;
            string? failure = null;
            try
            {
                result = await call(Simulator.Stopping).ConfigureAwait(false);
            }
            catch (MotoCallException ex)
            {
                failure = HandlerMessage(ex.AwsMessage, ex.Code);
            }

            Simulator.Locked(() =>
            {
                task.AwaitingEffect = false;
                if (task.State != TaskState.Running)
                {
                    return;
                }

                if (failure is not null)
                {
                    task.EffectFailure = failure;
                    return;
                }

                if (result?.PhysicalId is { } id)
                {
                    resource.PhysicalId = id;
                }

                foreach (var (name, value) in result?.Attributes ?? new Dictionary<string, JsonNode>())
                {
                    resource.Attributes[name] = value;
                }

                resource.DeploymentId = result?.DeploymentId ?? resource.DeploymentId;
            });
        });
    }

    /// <summary>CloudFormation's status reason for a resource handler's failure.</summary>
    public static string HandlerMessage(string message, string code)
    {
        var handlerCode = code.Contains("NotFound", StringComparison.OrdinalIgnoreCase) ? "NotFound"
            : code.Contains("AlreadyExists", StringComparison.OrdinalIgnoreCase) || code.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) ? "AlreadyExists"
            : code.StartsWith("Invalid", StringComparison.Ordinal) || code.Contains("Validation", StringComparison.Ordinal) ? "InvalidRequest"
            : "GeneralServiceException";
        return $"Resource handler returned message: \"{message}\" (RequestToken: {Guid.NewGuid()}, HandlerErrorCode: {handlerCode})";
    }
}

/// <summary>
/// How one resource type is made, changed and deleted, and how long that usually takes (world seconds). A type without a
/// provider of its own is simulated: a physical id of CloudFormation's shape, and the time its type takes.
/// </summary>
internal class ResourceProvider
{
    public ResourceProvider(double createSeconds, double updateSeconds, double deleteSeconds)
    {
        (CreateSeconds, UpdateSeconds, DeleteSeconds) = (createSeconds, updateSeconds, deleteSeconds);
    }

    public double CreateSeconds { get; }

    public double UpdateSeconds { get; }

    public double DeleteSeconds { get; }

    public double Seconds(TaskAction action) => action switch
    {
        TaskAction.Create or TaskAction.Replace => CreateSeconds,
        TaskAction.Delete or TaskAction.RemovePhysical => DeleteSeconds,
        TaskAction.Skip => 0,
        _ => UpdateSeconds,
    };

    /// <summary>True when changing <paramref name="before"/> to <paramref name="after"/> makes a new physical resource.</summary>
    public virtual bool NeedsReplacement(JsonObject? before, JsonObject? after) => false;

    /// <summary>Starts the task: the physical id, the AWS calls, and how its end is known (by default, its type's time).</summary>
    public virtual void Start(ProvisionContext context)
    {
        if (context.Creates)
        {
            var id = PhysicalId(context);
            context.Assign(id, Attributes(context, id));
        }

        context.EndsAfterSeconds();
    }

    /// <summary>The physical id of a simulated resource: its name property, or one CloudFormation would make.</summary>
    protected virtual string PhysicalId(ProvisionContext context) => context.GeneratedName();

    protected virtual IReadOnlyDictionary<string, JsonNode>? Attributes(ProvisionContext context, string physicalId) => null;
}

/// <summary>A simulated type whose physical id is a name property (or a generated name) and whose Arn follows a pattern.</summary>
internal sealed class NamedResourceProvider : ResourceProvider
{
    private readonly string _nameProperty;
    private readonly Func<string, string, string> _arn;
    private readonly bool _lowercase;
    private readonly int _maxLength;
    private readonly bool _idIsArn;

    /// <param name="arn">(region, name) to the resource's ARN.</param>
    /// <param name="idIsArn">True when the physical id is the ARN (SNS topics).</param>
    public NamedResourceProvider((double Create, double Update, double Delete) seconds, string nameProperty, Func<string, string, string> arn,
        bool lowercase = false, int maxLength = 255, bool idIsArn = false)
        : base(seconds.Create, seconds.Update, seconds.Delete)
    {
        (_nameProperty, _arn, _lowercase, _maxLength, _idIsArn) = (nameProperty, arn, lowercase, maxLength, idIsArn);
    }

    private string Name(ProvisionContext context)
    {
        var name = context.Text(_nameProperty) ?? context.GeneratedName(12, _maxLength);
        return _lowercase ? name.ToLowerInvariant() : name;
    }

    protected override string PhysicalId(ProvisionContext context) => _idIsArn ? _arn(context.Region, Name(context)) : Name(context);

    protected override IReadOnlyDictionary<string, JsonNode>? Attributes(ProvisionContext context, string physicalId) =>
        new Dictionary<string, JsonNode> { ["Arn"] = _arn(context.Region, _idIsArn ? physicalId[(physicalId.LastIndexOf(':') + 1)..] : physicalId) };
}

/// <summary>The providers by resource type, with each type's usual durations in world seconds.</summary>
internal static class Providers
{
    private static readonly string Account = WorldContext.AccountId;

    private static readonly ResourceProvider Simulated = new(10, 8, 5);

    private static readonly Dictionary<string, ResourceProvider> ByType = new(StringComparer.Ordinal)
    {
        ["AWS::RDS::DBInstance"] = new DbInstanceProvider(),
        ["AWS::RDS::DBSubnetGroup"] = new DbSubnetGroupProvider(),
        ["AWS::EC2::SecurityGroup"] = new SecurityGroupProvider(),
        ["AWS::Logs::LogGroup"] = new LogGroupProvider(),
        ["AWS::ECS::Cluster"] = new EcsClusterProvider(),
        ["AWS::ECS::TaskDefinition"] = new TaskDefinitionProvider(),
        ["AWS::ECS::Service"] = new EcsServiceProvider(),
        ["AWS::CloudFormation::CustomResource"] = new CustomResourceProvider(),
        ["AWS::S3::Bucket"] = new NamedResourceProvider((22, 5, 3), "BucketName", (_, name) => $"arn:aws:s3:::{name}", lowercase: true, maxLength: 63),
        ["AWS::SNS::Topic"] = new NamedResourceProvider((12, 5, 3), "TopicName", (region, name) => $"arn:aws:sns:{region}:{Account}:{name}", idIsArn: true),
        ["AWS::IAM::Role"] = new NamedResourceProvider((16, 8, 6), "RoleName", (_, name) => $"arn:aws:iam::{Account}:role/{name}", maxLength: 64),
        ["AWS::Lambda::Function"] = new NamedResourceProvider((9, 6, 4), "FunctionName", (region, name) => $"arn:aws:lambda:{region}:{Account}:function:{name}", maxLength: 64),
    };

    /// <summary>The provider of <paramref name="type"/>: its own, the custom resource one for <c>Custom::</c> types, else a simulated one.</summary>
    public static ResourceProvider For(string type) =>
        ByType.GetValueOrDefault(type) ?? (type.StartsWith("Custom::", StringComparison.Ordinal) ? ByType["AWS::CloudFormation::CustomResource"] : Simulated);

    /// <summary>The usual world seconds of a type's action (what a scenario's history jitters around).</summary>
    public static double UsualSeconds(string type, TaskAction action) => For(type).Seconds(action);

    /// <summary>A CloudFormation property map in the JSON API's member names (PascalCase to camelCase, all the way down).</summary>
    public static JsonNode? CamelCase(JsonNode? node) => node switch
    {
        JsonObject map => new JsonObject(map.Select(p => new KeyValuePair<string, JsonNode?>(char.ToLowerInvariant(p.Key[0]) + p.Key[1..], p.Key == "Options" ? p.Value?.DeepClone() : CamelCase(p.Value)))),
        JsonArray list => new JsonArray(list.Select(CamelCase).ToArray()),
        _ => node?.DeepClone(),
    };

    /// <summary>Form fields of a query-protocol list: <c>Name.member.1</c>, ... (or the model's member name).</summary>
    public static IEnumerable<KeyValuePair<string, string>> FormList(string name, JsonNode? values, string member = "member") =>
        (values as JsonArray ?? []).Select((v, i) => new KeyValuePair<string, string>($"{name}.{member}.{i + 1}", StackTemplate.Text(v)));
}

/// <summary>AWS::RDS::DBInstance: created in moto, and its life (creating for world minutes, stuck, failing) from the RDS simulator.</summary>
internal sealed class DbInstanceProvider : ResourceProvider
{
    public DbInstanceProvider()
        : base(900, 600, DatabaseLife.DeleteSeconds)
    {
    }

    public override void Start(ProvisionContext context)
    {
        var rds = context.Simulator.Rds;
        var identifier = context.Creates ? (context.Text("DBInstanceIdentifier") ?? context.GeneratedName(13, 63)).ToLowerInvariant() : context.PhysicalId!;
        if (context.Creates)
        {
            var port = context.Text("Port") ?? (context.Text("Engine")?.Contains("postgres", StringComparison.Ordinal) == true ? "5432" : "3306");
            context.Assign(identifier, new Dictionary<string, JsonNode>
            {
                ["Endpoint.Address"] = $"{identifier}.c9akciq32xyz.{context.Region}.rds.amazonaws.com",
                ["Endpoint.Port"] = port,
                ["DBInstanceArn"] = $"arn:aws:rds:{context.Region}:{WorldContext.AccountId}:db:{identifier}",
            });
            if (!context.InWorld)
            {
                context.EndsAfterSeconds();
                return;
            }

            rds.InstanceCreated(context.Region, identifier, context.At);
            var (doneAt, failure) = rds.CreationOutcome(context.Region, identifier);
            context.Task.DueAt = doneAt;
            context.Task.FailureAt = failure is null ? null : ProvisionContext.HandlerMessage(failure, "GeneralServiceException");
            var form = new List<KeyValuePair<string, string>>
            {
                new("DBInstanceIdentifier", identifier),
                new("DBInstanceClass", context.Text("DBInstanceClass") ?? "db.t3.micro"),
                new("Engine", context.Text("Engine") ?? "postgres"),
                new("MasterUsername", context.Text("MasterUsername") ?? "admin"),
                new("MasterUserPassword", context.Text("MasterUserPassword") ?? "sandbox-password"),
                new("AllocatedStorage", context.Text("AllocatedStorage") ?? "20"),
            };
            foreach (var (property, field) in new[] { ("DBSubnetGroupName", "DBSubnetGroupName"), ("DBName", "DBName"), ("EngineVersion", "EngineVersion"), ("Port", "Port") })
            {
                if (context.Text(property) is { } value)
                {
                    form.Add(new(field, value));
                }
            }

            form.AddRange(Providers.FormList("VpcSecurityGroupIds", context.Properties["VPCSecurityGroups"], "VpcSecurityGroupId"));
            context.Call(async token =>
            {
                await context.Simulator.Moto.RdsAsync("CreateDBInstance", form, context.Region, token).ConfigureAwait(false);
                return null;
            }, assignsPhysicalId: false);
            return;
        }

        if (context.Deletes)
        {
            if (context.InWorld)
            {
                rds.InstanceDeleted(context.Region, identifier, context.At);
            }

            context.EndsAfterSeconds();
            return;
        }

        // An update or its revert: the instance is modifying for the update's time.
        if (context.InWorld)
        {
            rds.InstanceModified(context.Region, identifier, context.At, context.Seconds, "DB instance class");
        }

        context.EndsAfterSeconds();
    }
}

/// <summary>AWS::RDS::DBSubnetGroup, in moto.</summary>
internal sealed class DbSubnetGroupProvider : ResourceProvider
{
    public DbSubnetGroupProvider()
        : base(4, 3, 2)
    {
    }

    public override void Start(ProvisionContext context)
    {
        context.EndsAfterSeconds();
        if (context.Creates)
        {
            var name = (context.Text("DBSubnetGroupName") ?? context.GeneratedName(13, 255)).ToLowerInvariant();
            context.Assign(name);
            var form = new List<KeyValuePair<string, string>>
            {
                new("DBSubnetGroupName", name),
                new("DBSubnetGroupDescription", context.Text("DBSubnetGroupDescription") ?? name),
            };
            form.AddRange(Providers.FormList("SubnetIds", context.Properties["SubnetIds"], "SubnetIdentifier"));
            context.Call(async token =>
            {
                await context.Simulator.Moto.RdsAsync("CreateDBSubnetGroup", form, context.Region, token).ConfigureAwait(false);
                return null;
            }, assignsPhysicalId: false);
        }
        else if (context.Deletes && context.PhysicalId is { } physical)
        {
            context.Call(async token =>
            {
                await context.Simulator.Moto.RdsAsync("DeleteDBSubnetGroup", [new("DBSubnetGroupName", physical)], context.Region, token).ConfigureAwait(false);
                return null;
            }, assignsPhysicalId: false);
        }
    }
}

/// <summary>AWS::EC2::SecurityGroup, in moto (its id is moto's).</summary>
internal sealed class SecurityGroupProvider : ResourceProvider
{
    public SecurityGroupProvider()
        : base(6, 4, 3)
    {
    }

    public override void Start(ProvisionContext context)
    {
        context.EndsAfterSeconds();
        var moto = context.Simulator.Moto;
        if (context.Creates)
        {
            if (!context.InWorld)
            {
                context.Assign("sg-" + context.Stack.NewSuffix(17).ToLowerInvariant());
                return;
            }

            var properties = context.Properties;
            var name = context.Text("GroupName") ?? context.GeneratedName();
            context.Call(async token =>
            {
                var created = await moto.Ec2Async("CreateSecurityGroup",
                    [new("GroupName", name), new("GroupDescription", StackTemplate.Text(properties["GroupDescription"]) is { Length: > 0 } d ? d : name), new("VpcId", StackTemplate.Text(properties["VpcId"]))],
                    context.Region, token).ConfigureAwait(false);
                var id = created.Find("groupId")?.Value ?? "";
                var rules = (properties["SecurityGroupIngress"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                if (rules.Count > 0)
                {
                    var form = new List<KeyValuePair<string, string>> { new("GroupId", id) };
                    for (var i = 0; i < rules.Count; i++)
                    {
                        var prefix = $"IpPermissions.{i + 1}.";
                        form.Add(new(prefix + "IpProtocol", StackTemplate.Text(rules[i]["IpProtocol"])));
                        form.Add(new(prefix + "FromPort", StackTemplate.Text(rules[i]["FromPort"])));
                        form.Add(new(prefix + "ToPort", StackTemplate.Text(rules[i]["ToPort"])));
                        form.Add(rules[i]["CidrIp"] is { } cidr ? new(prefix + "IpRanges.1.CidrIp", StackTemplate.Text(cidr)) : new(prefix + "Groups.1.GroupId", StackTemplate.Text(rules[i]["SourceSecurityGroupId"])));
                    }

                    await moto.Ec2Async("AuthorizeSecurityGroupIngress", form, context.Region, token).ConfigureAwait(false);
                }

                context.Simulator.InvalidateConfiguration(context.Region);
                return new ProvisionResult(id, new Dictionary<string, JsonNode> { ["GroupId"] = id, ["VpcId"] = StackTemplate.Text(properties["VpcId"]) });
            }, assignsPhysicalId: true);
        }
        else if (context.Deletes && context.PhysicalId is { } physical)
        {
            context.Call(async token =>
            {
                await moto.Ec2Async("DeleteSecurityGroup", [new("GroupId", physical)], context.Region, token).ConfigureAwait(false);
                context.Simulator.InvalidateConfiguration(context.Region);
                return null;
            }, assignsPhysicalId: false);
        }
    }
}

/// <summary>AWS::Logs::LogGroup, in moto.</summary>
internal sealed class LogGroupProvider : ResourceProvider
{
    public LogGroupProvider()
        : base(2, 2, 2)
    {
    }

    public override void Start(ProvisionContext context)
    {
        context.EndsAfterSeconds();
        if (context.Creates)
        {
            var name = context.Text("LogGroupName") ?? context.GeneratedName();
            context.Assign(name, new Dictionary<string, JsonNode> { ["Arn"] = $"arn:aws:logs:{context.Region}:{WorldContext.AccountId}:log-group:{name}:*" });
            context.Call(token => LogsCallAsync(context, "CreateLogGroup", name, token), assignsPhysicalId: false);
        }
        else if (context.Deletes && context.PhysicalId is { } physical)
        {
            context.Call(token => LogsCallAsync(context, "DeleteLogGroup", physical, token), assignsPhysicalId: false);
        }
    }

    private static async Task<ProvisionResult?> LogsCallAsync(ProvisionContext context, string operation, string name, CancellationToken token)
    {
        await context.Simulator.Moto.LogsAsync(operation, new JsonObject { ["logGroupName"] = name }, context.Region, token).ConfigureAwait(false);
        context.Simulator.InvalidateConfiguration(context.Region);
        return null;
    }
}

/// <summary>AWS::ECS::Cluster, in moto.</summary>
internal sealed class EcsClusterProvider : ResourceProvider
{
    public EcsClusterProvider()
        : base(5, 3, 5)
    {
    }

    public override void Start(ProvisionContext context)
    {
        context.EndsAfterSeconds();
        var name = context.Creates ? context.Text("ClusterName") ?? context.GeneratedName() : context.PhysicalId!;
        if (context.Creates)
        {
            context.Assign(name, new Dictionary<string, JsonNode> { ["Arn"] = $"arn:aws:ecs:{context.Region}:{WorldContext.AccountId}:cluster/{name}" });
        }

        var operation = context.Creates ? "CreateCluster" : context.Deletes ? "DeleteCluster" : null;
        if (operation is not null)
        {
            context.Call(async token =>
            {
                await context.Simulator.Moto.EcsAsync(operation, new JsonObject { [context.Creates ? "clusterName" : "cluster"] = name }, context.Region, token).ConfigureAwait(false);
                return null;
            }, assignsPhysicalId: false);
        }
    }
}

/// <summary>AWS::ECS::TaskDefinition: registered in moto; any change registers a new revision (a replacement).</summary>
internal sealed class TaskDefinitionProvider : ResourceProvider
{
    public TaskDefinitionProvider()
        : base(3, 3, 2)
    {
    }

    public override bool NeedsReplacement(JsonObject? before, JsonObject? after) => !JsonNode.DeepEquals(before, after);

    public override void Start(ProvisionContext context)
    {
        context.EndsAfterSeconds();
        if (context.Creates)
        {
            if (!context.InWorld)
            {
                context.Assign($"arn:aws:ecs:{context.Region}:{WorldContext.AccountId}:task-definition/{context.Text("Family") ?? context.Resource.LogicalId}:{context.Stack.Random.Next(1, 40)}");
                return;
            }

            var request = (JsonObject)Providers.CamelCase(context.Properties)!;
            context.Call(async token =>
            {
                var reply = await context.Simulator.Moto.EcsAsync("RegisterTaskDefinition", request, context.Region, token).ConfigureAwait(false);
                return new ProvisionResult(reply["taskDefinition"]?["taskDefinitionArn"]?.GetValue<string>());
            }, assignsPhysicalId: true);
        }
        else if (context.Deletes && context.PhysicalId is { } arn)
        {
            context.Call(async token =>
            {
                await context.Simulator.Moto.EcsAsync("DeregisterTaskDefinition", new JsonObject { ["taskDefinition"] = arn }, context.Region, token).ConfigureAwait(false);
                return null;
            }, assignsPhysicalId: false);
        }
    }
}

/// <summary>
/// AWS::ECS::Service: alive in the world's ECS runtime. A create or update is done when the deployment it started is
/// COMPLETED (steady), and fails when it turns FAILED (the circuit breaker), as CloudFormation waits for stabilization.
/// A create the scenario's past settled before the load starts steady; an update always waits for its deployment.
/// </summary>
internal sealed class EcsServiceProvider : ResourceProvider
{
    public EcsServiceProvider()
        : base(150, 150, 120)
    {
    }

    public override void Start(ProvisionContext context)
    {
        if (!context.InWorld)
        {
            if (context.Creates)
            {
                var cluster = AwsName(context.Text("Cluster") ?? "default");
                context.Assign($"arn:aws:ecs:{context.Region}:{WorldContext.AccountId}:service/{cluster}/{context.Text("ServiceName") ?? context.GeneratedName()}");
            }

            context.EndsAfterSeconds();
            return;
        }

        var simulator = context.Simulator;
        if (context.Deletes)
        {
            context.EndsAfterSeconds();
            var (cluster, service) = (AwsName(context.Text("Cluster") ?? "default"), context.PhysicalId!);
            context.Call(async token =>
            {
                await simulator.CallEcsAsync("UpdateService", new JsonObject { ["cluster"] = cluster, ["service"] = service, ["desiredCount"] = 0 }, context.Region, token).ConfigureAwait(false);
                await simulator.CallEcsAsync("DeleteService", new JsonObject { ["cluster"] = cluster, ["service"] = service, ["force"] = true }, context.Region, token).ConfigureAwait(false);
                return null;
            }, assignsPhysicalId: false);
            return;
        }

        var request = (JsonObject)Providers.CamelCase(context.Properties)!;
        var ecs = simulator.Ecs;
        if (context.Creates)
        {
            request["serviceName"] ??= context.GeneratedName();
            var start = context.Settled ? ServiceStart.Steady : ServiceStart.Deploy;
            context.Call(async token =>
            {
                var reply = await simulator.Moto.EcsAsync("CreateService", request, context.Region, token).ConfigureAwait(false);
                reply = await ecs.OnServiceCreatedAsync(request, reply, context.Region, start, token).ConfigureAwait(false);
                var service = reply["service"]!;
                return new ProvisionResult(service["serviceArn"]!.GetValue<string>(),
                    new Dictionary<string, JsonNode> { ["Name"] = service["serviceName"]!.GetValue<string>() }, service["deployments"]?[0]?["id"]?.GetValue<string>());
            }, assignsPhysicalId: true);
        }
        else
        {
            var update = new JsonObject
            {
                ["cluster"] = request["cluster"]?.DeepClone(),
                ["service"] = context.PhysicalId,
                ["taskDefinition"] = request["taskDefinition"]?.DeepClone(),
                ["desiredCount"] = request["desiredCount"]?.DeepClone(),
            };
            context.Call(async token =>
            {
                var reply = await simulator.Moto.EcsAsync("UpdateService", update, context.Region, token).ConfigureAwait(false);
                reply = await ecs.OnServiceUpdatedAsync(update, reply, context.Region, token).ConfigureAwait(false);
                return new ProvisionResult(null, null, reply["service"]?["deployments"]?[0]?["id"]?.GetValue<string>());
            }, assignsPhysicalId: true);
        }

        if (context.Settled && context.Creates)
        {
            // Created steady in the past: done when its type's time is up. An update always waits for its deployment.
            context.EndsAfterSeconds();
            return;
        }

        var resource = context.Resource;
        context.Task.Check = now =>
        {
            if (resource.PhysicalId is not { } arn || resource.DeploymentId is not { } deployment)
            {
                return null;
            }

            return ecs.Rollout(arn, deployment) switch
            {
                null => new TaskOutcome(now, ProvisionContext.HandlerMessage($"Service {AwsName(arn)} was deleted.", "NotFound")),
                ("COMPLETED", _) => new TaskOutcome(now, null),
                ("FAILED", _) => new TaskOutcome(now, "Resource handler returned message: \"Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'.\" " +
                                                      $"(RequestToken: {Guid.NewGuid()}, HandlerErrorCode: GeneralServiceException)"),
                _ => null,
            };
        };
    }

    private static string AwsName(string nameOrArn) => nameOrArn[(nameOrArn.LastIndexOf('/') + 1)..];
}

/// <summary>
/// A custom resource (<c>Custom::*</c>): CloudFormation asks its ServiceToken function and waits for the answer. The
/// function's log lines (the scenario's <c>logs</c>) go to <c>/aws/lambda/NAME</c>; a function that never answers holds
/// the resource in progress (CloudFormation waits an hour).
/// </summary>
internal sealed class CustomResourceProvider : ResourceProvider
{
    public CustomResourceProvider()
        : base(30, 30, 20)
    {
    }

    public override void Start(ProvisionContext context)
    {
        context.EndsAfterSeconds();
        if (context.Creates)
        {
            context.Assign(context.GeneratedName(13));
        }

        var lines = context.Stack.Behaviour.For(context.Resource.LogicalId).FunctionLogs;
        if (!context.InWorld || context.Text("ServiceToken") is not { } token || lines.Count == 0)
        {
            return;
        }

        var function = token[(token.LastIndexOf(':') + 1)..];
        var group = $"/aws/lambda/{function}";
        var requestId = Guid.NewGuid().ToString();
        var date = context.Simulator.Clock.Timestamp(context.At);
        var stream = $"{date:yyyy'/'MM'/'dd}/[$LATEST]{Guid.NewGuid():N}";
        var all = new List<string> { $"START RequestId: {requestId} Version: $LATEST" };
        all.AddRange(lines.Select(l => l.Replace("{requestId}", requestId, StringComparison.Ordinal)));
        var stamped = all.Select((line, i) => (Line: line, At: context.Simulator.Clock.Timestamp(context.At + i))).ToList();
        var region = context.Region;
        var simulator = context.Simulator;
        context.Call(async cancellation =>
        {
            try
            {
                await simulator.Moto.LogsAsync("CreateLogGroup", new JsonObject { ["logGroupName"] = group }, region, cancellation).ConfigureAwait(false);
            }
            catch (MotoCallException ex) when (ex.Code == "ResourceAlreadyExistsException")
            {
            }

            // Only once the group exists: the logs simulator drops lines it cannot put (as the awslogs driver would), and
            // its flush may come before this call (a scenario loaded over another).
            foreach (var (line, at) in stamped)
            {
                simulator.Logs.Write(region, group, stream, line, at);
            }

            return null;
        }, assignsPhysicalId: false);
    }
}

/// <summary>Seconds as CloudFormation's history jitters them (a scenario's past incarnations).</summary>
internal static class Jitter
{
    public static double Apply(double seconds, double jitter, Random random) =>
        Math.Max(1, Math.Round(seconds * (1 + jitter * (2 * random.NextDouble() - 1)), 1, MidpointRounding.AwayFromZero));
}
