using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.CloudFormation;

/// <summary>
/// The simulator's control-API entry: <c>POST /_sandbox/stacks/release</c> <c>{"stack": "lightwave-dev-data", "resource":
/// "Gate1"}</c> lets a resource the scenario declares stuck finish now (its function finally answers), so a test holds a
/// stack in progress exactly as long as it needs. A resource with <c>seconds</c> finishes on world time by itself.
/// </summary>
public sealed partial class CloudFormationSimulator
{
    public override IEnumerable<ControlRoute> ControlRoutes() =>
    [
        new("POST", "stacks/release", Release),
    ];

    private ControlAnswer Release(JsonNode? body)
    {
        var name = body?["stack"]?.ToString();
        var logicalId = body?["resource"]?.ToString();
        lock (Gate)
        {
            var stack = _stacks.Values.Where(s => s.Name == name && !s.IsDeleted && !s.RecordOnly).MaxBy(s => s.CreatedAt);
            var task = stack is null ? null : Held(stack).FirstOrDefault(t => t.LogicalId == logicalId);
            if (task is null)
            {
                var held = _stacks.Values.Where(s => !s.IsDeleted && !s.RecordOnly)
                    .SelectMany(s => Held(s).Select(t => $"{s.Name} {t.LogicalId}")).ToList();
                return ControlAnswer.Problem("Expected {\"stack\": \"<name>\", \"resource\": \"<logical id>\"} naming a resource held in progress "
                    + $"(declared stuck); held now: {(held.Count == 0 ? "none" : string.Join(", ", held))}.");
            }

            task.DueAt = World.Clock.Now;
            return ControlAnswer.Ok(new JsonObject { ["stack"] = stack!.Name, ["released"] = task.LogicalId });
        }
    }

    /// <summary>The tasks of the stack's operation that only a release ends.</summary>
    private static IEnumerable<ResourceTask> Held(SimulatedStack stack) =>
        stack.Operation?.Tasks.Values.Where(t => t is { State: TaskState.Running, DueAt: null, Check: null }) ?? Enumerable.Empty<ResourceTask>();
}
