using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.MotoStacks;

/// <summary>
/// The scenario's <c>motoStacks</c>: CloudFormation stacks made in moto as the scenario loads (moto owns them and answers
/// every CloudFormation call). It holds the gates (custom resources) of in-progress stacks and opens them, through moto's
/// cfnresponse, when asked (<c>POST /_sandbox/motoStacks/release</c>) or every <c>openEverySeconds</c> of world time, so a
/// stack can take a given time to deploy. It adds <c>motoStacks</c> to the state.
/// </summary>
public sealed class MotoStacksSimulator : Simulator
{
    private readonly List<SeededStack> _stacks = [];
    private double _loadedAt;

    public MotoStacksSimulator(WorldContext world)
        : base(world)
    {
    }

    /// <summary>A stack the loader made, with its gates.</summary>
    public sealed record SeededStack(string Name, string Region, string StackId, MotoStackState State, IReadOnlyList<string> Gates, double? OpenEverySeconds)
    {
        public HashSet<string> Opened { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Takes the stacks the loader made.</summary>
    public void Seed(IEnumerable<SeededStack> stacks)
    {
        lock (Gate)
        {
            _stacks.AddRange(stacks);
        }
    }

    protected override void Forget(ScenarioDefinition? next)
    {
        _stacks.Clear();
        _loadedAt = World.Clock.Now;
    }

    /// <summary>Opens the gates whose time has come (<c>openEverySeconds</c>: gate k at k times it after the load).</summary>
    protected override void Step(double now)
    {
        foreach (var stack in _stacks.Where(s => s.OpenEverySeconds is not null))
        {
            for (var k = 0; k < stack.Gates.Count; k++)
            {
                var gate = stack.Gates[k];
                if (!stack.Opened.Contains(gate) && now - _loadedAt >= (k + 1) * stack.OpenEverySeconds!.Value)
                {
                    stack.Opened.Add(gate);
                    Effect(() => World.Moto.AnswerCustomResourceAsync(stack.Region, stack.StackId, gate, World.Stopping));
                }
            }
        }
    }

    public override void DescribeState(JsonObject state)
    {
        lock (Gate)
        {
            state["motoStacks"] = new JsonArray(_stacks.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.Name,
                ["stackId"] = s.StackId,
                ["state"] = s.State.ToString(),
                ["gates"] = new JsonArray(s.Gates.Select(g => (JsonNode)JsonValue.Create(g)!).ToArray()),
                ["opened"] = new JsonArray(s.Gates.Where(s.Opened.Contains).Select(g => (JsonNode)JsonValue.Create(g)!).ToArray()),
            }).ToArray());
        }
    }

    /// <summary><c>POST /_sandbox/motoStacks/release</c> <c>{"stack": "lightwave-dev-data", "gate": "Gate1"}</c> (no gate: the next one).</summary>
    public override IEnumerable<ControlRoute> ControlRoutes() =>
    [
        new("POST", "motoStacks/release", ReleaseAsync),
    ];

    private async Task<ControlAnswer> ReleaseAsync(JsonNode? body, CancellationToken cancellationToken)
    {
        var name = body?["stack"]?.ToString();
        var wanted = body?["gate"]?.ToString();
        SeededStack? stack;
        string? gate;
        lock (Gate)
        {
            stack = _stacks.FirstOrDefault(s => s.Name == name);
            gate = stack is null ? null : wanted ?? stack.Gates.FirstOrDefault(g => !stack.Opened.Contains(g));
            if (stack is null || gate is null || !stack.Gates.Contains(gate) || stack.Opened.Contains(gate))
            {
                var known = string.Join(", ", _stacks.Select(s => $"{s.Name} ({string.Join(" ", s.Gates.Where(g => !s.Opened.Contains(g)))})"));
                return ControlAnswer.Problem($"Expected {{\"stack\": \"<name>\", \"gate\": \"Gate1\"}} naming a stack of the scenario's motoStacks and one of its closed gates; "
                    + $"closed gates: {(known.Length == 0 ? "none" : known)}.");
            }

            stack.Opened.Add(gate);
        }

        await World.Moto.AnswerCustomResourceAsync(stack.Region, stack.StackId, gate, cancellationToken).ConfigureAwait(false);
        return ControlAnswer.Ok(new JsonObject { ["stack"] = stack.Name, ["opened"] = gate });
    }
}
