using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;

namespace DeployOps.Sandbox.World;

/// <summary>
/// Writes task log lines to CloudWatch Logs in moto, in the group and stream the task
/// definition's awslogs options name. Lines are buffered and sent in batches each world tick.
/// </summary>
public sealed class LogSink
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Region, string Group, string Stream), List<(long Timestamp, string Message)>> _pending = new();
    private readonly HashSet<(string Region, string Group, string Stream)> _createdStreams = new();

    public void Write(string region, string group, string stream, string message, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue((region, group, stream), out var lines))
            {
                _pending[(region, group, stream)] = lines = new List<(long, string)>();
            }

            lines.Add((at.ToUnixTimeMilliseconds(), message));
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _pending.Clear();
            _createdStreams.Clear();
        }
    }

    /// <summary>Sends everything buffered. A group that does not exist drops its lines, as the awslogs driver would fail.</summary>
    public async Task FlushAsync(MotoClient moto, CancellationToken cancellationToken)
    {
        List<KeyValuePair<(string Region, string Group, string Stream), List<(long Timestamp, string Message)>>> batches;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            batches = _pending.ToList();
            _pending.Clear();
        }

        foreach (var ((region, group, stream), lines) in batches)
        {
            try
            {
                bool isNew;
                lock (_gate)
                {
                    isNew = _createdStreams.Add((region, group, stream));
                }

                if (isNew)
                {
                    await CreateStreamAsync(moto, region, group, stream, cancellationToken).ConfigureAwait(false);
                }

                var events = new JsonArray(lines.OrderBy(l => l.Timestamp)
                    .Select(l => (JsonNode)new JsonObject { ["timestamp"] = l.Timestamp, ["message"] = l.Message }).ToArray());
                await moto.LogsAsync("PutLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream, ["logEvents"] = events },
                    region, cancellationToken).ConfigureAwait(false);
            }
            catch (MotoCallException ex) when (ex.Code == "ResourceNotFoundException")
            {
                lock (_gate)
                {
                    _createdStreams.Remove((region, group, stream));
                }
            }
        }
    }

    private static async Task CreateStreamAsync(MotoClient moto, string region, string group, string stream, CancellationToken cancellationToken)
    {
        try
        {
            await moto.LogsAsync("CreateLogStream", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream }, region, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (MotoCallException ex) when (ex.Code == "ResourceAlreadyExistsException")
        {
        }
    }
}
