using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.CloudFormation;

/// <summary>
/// A scenario's stacks, with their past: the history of earlier incarnations (created, later deleted: events only, for
/// deployment history), then the stack's own create, updates and delete at the world times the scenario gives, replayed
/// through the same engine a live stack goes through. What ended before the load is settled in the world (an ECS service
/// created an hour ago runs steadily); what did not goes on live from the load.
/// </summary>
public sealed partial class CloudFormationSimulator
{
    /// <summary>Builds <paramref name="definition"/>'s stack and replays its past up to the world's now.</summary>
    public async Task ReplayAsync(StackDefinition definition, string region, Func<string, string> expand, CancellationToken cancellationToken)
    {
        var template = StackTemplate.Parse(_templates[definition.Template!]);
        var parameters = definition.Parameters.ToDictionary(p => p.Key, p => expand(p.Value), StringComparer.Ordinal);
        SimulatedStack stack;
        double now;
        lock (Gate)
        {
            now = World.Clock.Now;
            _replayEnd = now;
            var createdAt = now - definition.CreatedSecondsAgo;
            if (definition.History is { } history)
            {
                RecordHistory(definition, history, region, template, parameters, createdAt);
            }

            stack = NewStack(definition.Name, region, template, parameters, createdAt, definition.DisableRollback, "ROLLBACK", []);
            stack.Replaying = true;
            Begin(stack, OperationKind.Create, createdAt, UserInitiated, null);
        }

        try
        {
            foreach (var update in definition.Updates)
            {
                var at = now - update.SecondsAgo;
                await AdvanceReplayAsync(stack, at).ConfigureAwait(false);
                lock (Gate)
                {
                    if (!StackStatus.Updatable.Contains(stack.Status))
                    {
                        throw new ScenarioException($"stacks.{definition.Name}: the update {update.SecondsAgo / 60:0.#} minutes ago finds the stack {stack.Status}, which can not be updated; give the earlier operations time to finish.");
                    }

                    stack.BeforeUpdate = (stack.Template, stack.Parameters);
                    stack.Template = update.Template is null ? stack.Template : StackTemplate.Parse(_templates[update.Template]);
                    stack.Parameters = stack.Parameters.Concat(update.Parameters.Select(p => KeyValuePair.Create(p.Key, expand(p.Value))))
                        .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
                    Begin(stack, OperationKind.Update, at, UserInitiated, null);
                }
            }

            if (definition.DeletedSecondsAgo is { } deletedAgo)
            {
                var at = now - deletedAgo;
                await AdvanceReplayAsync(stack, at).ConfigureAwait(false);
                lock (Gate)
                {
                    if (stack.Operation is { Kind: OperationKind.Create } creating)
                    {
                        CancelRunning(stack, creating, at);
                        stack.Operation = null;
                    }

                    Begin(stack, OperationKind.Delete, at, UserInitiated, null);
                }
            }

            await AdvanceReplayAsync(stack, now).ConfigureAwait(false);
        }
        finally
        {
            lock (Gate)
            {
                stack.Replaying = false;
                _replayEnd = null;
            }
        }
    }

    /// <summary>
    /// Moves a replayed stack to <paramref name="until"/>: each step goes as far as the tasks waiting for an AWS call allow,
    /// then the calls are made, until none is waited for.
    /// </summary>
    private async Task AdvanceReplayAsync(SimulatedStack stack, double until)
    {
        while (true)
        {
            bool waiting;
            lock (Gate)
            {
                Advance(stack, until);
                waiting = stack.Operation?.Tasks.Values.Any(t => t.AwaitingEffect) == true;
            }

            await RunEffectsAsync().ConfigureAwait(false);
            if (!waiting)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The stack's earlier incarnations, oldest first, each created then deleted half its interval later, with each
    /// resource's time jittered around its usual (seeded): only events, nothing in the world. Under the lock.
    /// </summary>
    private void RecordHistory(StackDefinition definition, StackHistoryDefinition history, string region, StackTemplate template,
        IReadOnlyDictionary<string, string> parameters, double createdAt)
    {
        var random = new Random(history.Seed);
        for (var i = history.Deployments; i >= 1; i--)
        {
            var start = createdAt - (i * history.HoursApart * 3600);
            StackBehaviour Jittered(TaskAction action) => new(template.Resources.Values.ToDictionary(r => r.LogicalId, r => new ResourceBehaviour
            {
                Seconds = Jitter.Apply(definition.Resources.GetValueOrDefault(r.LogicalId)?.Seconds ?? Providers.UsualSeconds(r.Type, action), history.Jitter, random),
            }, StringComparer.Ordinal));

            var behaviour = Jittered(TaskAction.Create);
            var past = new SimulatedStack($"arn:aws:cloudformation:{region}:{WorldContext.AccountId}:stack/{definition.Name}/{Guid.NewGuid()}", definition.Name, region,
                template, parameters, start, behaviour, random)
            {
                RecordOnly = true,
            };
            _stacks[past.Id] = past;
            Begin(past, OperationKind.Create, start, UserInitiated, null);
            Advance(past, start + (history.HoursApart * 3600 / 2));
            past.Behaviour = Jittered(TaskAction.Delete);
            Begin(past, OperationKind.Delete, start + (history.HoursApart * 3600 / 2), UserInitiated, null);
            Advance(past, start + (history.HoursApart * 3600));
        }
    }
}
