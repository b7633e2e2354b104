using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.Logs;

/// <summary>
/// Writes task log lines to CloudWatch Logs in moto, in the group and stream the task definition's awslogs options
/// name. Lines are buffered under the lock and sent in batches, as an effect, each world tick. It answers no AWS
/// operation itself: clients read the lines from moto.
/// </summary>
public sealed class TaskLogsSimulator : Simulator
{
    private readonly Dictionary<(string Region, string Group, string Stream), List<(long Timestamp, string Message)>> _pending = new();

    // Only the flush effects touch it, outside the lock; two ticks' flushes may overlap, and CreateLogStream tolerates that.
    private readonly ConcurrentDictionary<(string Region, string Group, string Stream), bool> _createdStreams = new();

    public TaskLogsSimulator(WorldContext world)
        : base(world)
    {
    }

    /// <summary>Buffers one line for the next flush.</summary>
    public void Write(string region, string group, string stream, string message, DateTimeOffset at)
    {
        lock (Gate)
        {
            if (!_pending.TryGetValue((region, group, stream), out var lines))
            {
                _pending[(region, group, stream)] = lines = [];
            }

            lines.Add((at.ToUnixTimeMilliseconds(), message));
        }
    }

    protected override void Step(double now)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var batches = _pending.ToList();
        _pending.Clear();
        Effect(() => FlushAsync(batches));
    }

    protected override void Forget(ScenarioDefinition? next)
    {
        _pending.Clear();
        _createdStreams.Clear();
    }

    /// <summary>Sends the batches. A group that does not exist drops its lines, as the awslogs driver would fail.</summary>
    private async Task FlushAsync(List<KeyValuePair<(string Region, string Group, string Stream), List<(long Timestamp, string Message)>>> batches)
    {
        foreach (var (key, lines) in batches)
        {
            var (region, group, stream) = key;
            try
            {
                if (_createdStreams.TryAdd(key, true))
                {
                    await CreateStreamAsync(region, group, stream).ConfigureAwait(false);
                }

                var events = new JsonArray(lines.OrderBy(l => l.Timestamp)
                    .Select(l => (JsonNode)new JsonObject { ["timestamp"] = l.Timestamp, ["message"] = l.Message }).ToArray());
                await World.Moto.LogsAsync("PutLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream, ["logEvents"] = events },
                    region, World.Stopping).ConfigureAwait(false);
            }
            catch (MotoCallException ex) when (ex.Code == "ResourceNotFoundException")
            {
                _createdStreams.TryRemove(key, out _);
            }
        }
    }

    private async Task CreateStreamAsync(string region, string group, string stream)
    {
        try
        {
            await World.Moto.LogsAsync("CreateLogStream", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream }, region, World.Stopping)
                .ConfigureAwait(false);
        }
        catch (MotoCallException ex) when (ex.Code == "ResourceAlreadyExistsException")
        {
        }
    }
}
