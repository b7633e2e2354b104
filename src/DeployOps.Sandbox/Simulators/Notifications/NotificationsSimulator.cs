using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.Notifications;

/// <summary>
/// What moto's SNS and CloudWatch alarms lack for "missing alarm notifications" and "false positive alarms": SNS
/// subscriptions left pending confirmation (moto confirms every one; here an email or HTTP(S) subscription stays
/// <c>PendingConfirmation</c> until its endpoint's owner confirms it, <c>POST /_sandbox/sns/confirm</c>), and each alarm's
/// history of state changes (moto keeps none it answers: DescribeAlarmHistory comes from here), seeded by a scenario's
/// <c>flaps</c> and grown by every SetAlarmState. moto keeps the topics, subscriptions and alarms themselves.
/// </summary>
public sealed partial class NotificationsSimulator : Simulator
{
    /// <summary>The protocols whose endpoint must confirm a subscription before SNS delivers to it.</summary>
    private static readonly HashSet<string> ConfirmedByEndpoint = new(StringComparer.Ordinal) { "email", "email-json", "http", "https" };

    private readonly HashSet<(string Region, string Topic, string Protocol, string Endpoint)> _pending = [];
    private readonly List<StateChange> _history = [];
    private readonly Dictionary<(string Region, string Alarm), string> _states = new();

    public NotificationsSimulator(WorldContext world)
        : base(world)
    {
    }

    /// <summary>A change of an alarm's state at world time <paramref name="At"/>.</summary>
    private sealed record StateChange(string Region, string Alarm, double At, string OldState, string NewState, string Reason);

    protected override void Forget(ScenarioDefinition? next)
    {
        _pending.Clear();
        _history.Clear();
        _states.Clear();
        if (next is null)
        {
            return;
        }

        foreach (var topic in next.SnsTopics)
        {
            foreach (var subscription in topic.Subscriptions.Where(s => s.PendingConfirmation))
            {
                _pending.Add((next.Region, topic.Name, subscription.Protocol, subscription.Endpoint));
            }
        }

        var now = World.Clock.Now;
        foreach (var alarm in next.Alarms)
        {
            var span = alarm.FlapMinutes * 60;
            var state = "OK";
            for (var i = 0; i < alarm.Flaps; i++)
            {
                var raised = now - span + (i + 0.25) * span / alarm.Flaps;
                Change(next.Region, alarm.Name, raised, "ALARM", "Threshold Crossed: 1 datapoint was greater than the threshold.", ref state);
                Change(next.Region, alarm.Name, raised + Math.Min(120, span / alarm.Flaps / 2), "OK", "Threshold Crossed: 1 datapoint was not greater than the threshold.", ref state);
            }

            if (alarm.State != state)
            {
                Change(next.Region, alarm.Name, now - 1, alarm.State, "Set by the scenario", ref state);
            }

            _states[(next.Region, alarm.Name)] = state;
        }
    }

    /// <summary>Records a change of state at world time <paramref name="at"/>; under the lock.</summary>
    private void Change(string region, string alarm, double at, string newState, string reason, ref string state)
    {
        _history.Add(new StateChange(region, alarm, at, state, newState, reason));
        state = newState;
    }

    /// <summary>A client set an alarm's state (SetAlarmState accepted by moto): its history records the change.</summary>
    private void StateSet(string region, string alarm, string newState, string reason)
    {
        lock (Gate)
        {
            var state = _states.GetValueOrDefault((region, alarm), "OK");
            if (state != newState)
            {
                Change(region, alarm, World.Clock.Now, newState, reason, ref state);
                _states[(region, alarm)] = state;
            }
        }
    }

    /// <summary>True when the subscription waits for its endpoint's confirmation.</summary>
    private bool IsPending(string region, string topicArn, string protocol, string endpoint)
    {
        lock (Gate)
        {
            return _pending.Contains((region, TopicName(topicArn), protocol, endpoint));
        }
    }

    private static string TopicName(string topicArn) => topicArn[(topicArn.LastIndexOf(':') + 1)..];

    /// <summary>Adds <c>notifications</c>: the subscriptions pending confirmation and how many state changes each alarm has.</summary>
    public override void DescribeState(JsonObject state)
    {
        lock (Gate)
        {
            state["notifications"] = new JsonObject
            {
                ["pendingConfirmation"] = new JsonArray(_pending.OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Endpoint, StringComparer.Ordinal)
                    .Select(p => (JsonNode)new JsonObject { ["topic"] = p.Topic, ["protocol"] = p.Protocol, ["endpoint"] = p.Endpoint }).ToArray()),
                ["alarmHistory"] = new JsonArray(_history.GroupBy(h => h.Alarm).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => (JsonNode)new JsonObject { ["alarm"] = g.Key, ["stateChanges"] = g.Count() }).ToArray()),
            };
        }
    }
}
