using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Front;
using DeployOps.Sandbox.Moto;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.Simulators.EcsRuntime;
using DeployOps.Sandbox.Simulators.Logs;
using DeployOps.Sandbox.Simulators.Rds;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.CloudFormation;

/// <summary>
/// CloudFormation, which moto finishes synchronously (and whose CancelUpdateStack it answers with a 500): the simulator
/// owns every stack, its status, resources and events, and answers the CloudFormation API itself. Operations move on the
/// world clock (<see cref="Advance"/>); the resources are made through moto and the world (<see cref="Providers"/>): an
/// ECS service a stack creates runs in the ECS runtime, and is done when its deployment is steady; an RDS instance lives
/// in the RDS simulator. Timestamps are on the world timeline (<see cref="WorldTimeline"/>). It calls the ECS runtime,
/// the RDS simulator and the logs simulator while holding its own lock: it is first in the lock order.
/// </summary>
public sealed partial class CloudFormationSimulator : Simulator
{
    private const string Service = "cloudformation";
    private const string EcsTarget = "AmazonEC2ContainerServiceV20141113";

    private readonly Dictionary<string, SimulatedStack> _stacks = new(StringComparer.Ordinal);
    private readonly Random _random = new();
    private AwsRoutes? _routes;
    private IReadOnlyDictionary<string, string> _templates = new Dictionary<string, string>();
    private IReadOnlyDictionary<string, StackBehaviour> _behaviours = new Dictionary<string, StackBehaviour>();

    // Set while the scenario loader replays stacks' past: a task that ends before it is settled in the world.
    private double? _replayEnd;

    public CloudFormationSimulator(WorldContext world, EcsRuntimeSimulator ecs, RdsSimulator rds, TaskLogsSimulator logs)
        : base(world)
    {
        Ecs = ecs;
        Rds = rds;
        Logs = logs;
    }

    internal EcsRuntimeSimulator Ecs { get; }

    internal RdsSimulator Rds { get; }

    internal TaskLogsSimulator Logs { get; }

    internal MotoClient Moto => World.Moto;

    internal WorldClock Clock => World.Clock;

    internal CancellationToken Stopping => World.Stopping;

    /// <summary>Queues an AWS call of a provider; under the lock.</summary>
    internal void QueueEffect(Func<Task> effect) => Effect(effect);

    /// <summary>Runs <paramref name="action"/> under the lock (a provider's AWS call came back).</summary>
    internal void Locked(Action action)
    {
        lock (Gate)
        {
            action();
        }
    }

    internal void InvalidateConfiguration(string region) => World.Configuration.Invalidate(region);

    /// <summary>
    /// Calls ECS through the sandbox's own routes, as CloudFormation calls the service's API: the ECS runtime hears of it
    /// as of any client's call (a service scaled down and deleted stops its tasks).
    /// </summary>
    internal async Task<JsonObject> CallEcsAsync(string operation, JsonObject body, string region, CancellationToken cancellationToken)
    {
        var routes = _routes ?? throw new InvalidOperationException("The CloudFormation simulator is not registered.");
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Authorization", $"AWS4-HMAC-SHA256 Credential=cloudformation/{DateTime.UtcNow:yyyyMMdd}/{region}/ecs/aws4_request, SignedHeaders=host, Signature=0"),
            new("X-Amz-Target", EcsTarget + "." + operation),
            new("Content-Type", "application/x-amz-json-1.1"),
        };
        var request = AwsRequest.Parse("POST", "/", "", headers, Encoding.UTF8.GetBytes(body.ToJsonString()));
        var response = await routes.DispatchAsync(request, cancellationToken).ConfigureAwait(false);
        routes.NotifyWrite(request);
        JsonObject? json;
        try
        {
            json = response.Body.Length == 0 ? [] : JsonNode.Parse(response.Body) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }

        if (!response.IsSuccess)
        {
            var type = json?["__type"]?.ToString() ?? "ServerException";
            throw new MotoCallException("ecs", operation, response.Status, type[(type.LastIndexOf('#') + 1)..], json?["message"]?.ToString() ?? response.BodyText);
        }

        return json ?? [];
    }

    /// <summary>Moves every stack that is not being replayed to the world's now.</summary>
    protected override void Step(double now)
    {
        foreach (var stack in _stacks.Values.Where(s => s.Operation is not null && !s.Replaying).ToList())
        {
            Advance(stack, now);
        }
    }

    /// <summary>Forgets every stack, and takes the templates and resource behaviours of the <paramref name="next"/> scenario.</summary>
    protected override void Forget(ScenarioDefinition? next)
    {
        _stacks.Clear();
        _replayEnd = null;
        if (next is not null)
        {
            _templates = next.Templates;
            _behaviours = next.Stacks.ToDictionary(s => s.Name, s => new StackBehaviour(s.Resources), StringComparer.Ordinal);
        }
    }

    /// <summary>Adds <c>stacks</c>: each stack's name, id, status, the API operations it accepted and its resources' statuses.</summary>
    public override void DescribeState(JsonObject state)
    {
        lock (Gate)
        {
            state["stacks"] = new JsonArray(_stacks.Values.Where(s => !s.RecordOnly).OrderBy(s => s.CreatedAt).Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.Name,
                ["stackId"] = s.Id,
                ["region"] = s.Region,
                ["status"] = s.Status,
                ["operationsAccepted"] = s.OperationsAccepted,
                ["resources"] = new JsonObject(s.Resources.Values.OrderBy(r => r.LogicalId, StringComparer.Ordinal)
                    .Select(r => new KeyValuePair<string, JsonNode?>(r.LogicalId, r.Status))),
            }).ToArray());
        }
    }

    /// <summary>A new stack (not yet started); under the lock.</summary>
    private SimulatedStack NewStack(string name, string region, StackTemplate template, IReadOnlyDictionary<string, string> parameters, double at,
        bool disableRollback, string onFailure, IReadOnlyList<KeyValuePair<string, string>> tags, bool recordOnly = false, Random? random = null)
    {
        var id = $"arn:aws:cloudformation:{region}:{WorldContext.AccountId}:stack/{name}/{Guid.NewGuid()}";
        var stack = new SimulatedStack(id, name, region, template, parameters, at, _behaviours.GetValueOrDefault(name) ?? StackBehaviour.None, random ?? _random)
        {
            DisableRollback = disableRollback,
            OnFailure = onFailure,
            Tags = tags,
            RecordOnly = recordOnly,
        };
        _stacks[id] = stack;
        return stack;
    }

    /// <summary>The live (not deleted) stack named <paramref name="nameOrId"/>, or any stack with that id; null when none.</summary>
    private SimulatedStack? Find(string region, string nameOrId) =>
        _stacks.GetValueOrDefault(nameOrId) is { } byId && byId.Region == region
            ? byId
            : _stacks.Values.Where(s => s.Region == region && s.Name == nameOrId && !s.IsDeleted).MaxBy(s => s.CreatedAt);
}
