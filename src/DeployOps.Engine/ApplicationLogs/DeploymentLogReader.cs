using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.Lightsail;
using DeployOps.Aws.Logs;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.ApplicationLogs;

/// <summary>
/// Get-DeploymentLog: a service's (or some tasks') log lines, found from the task definition's awslogs options, so
/// nobody names a log group. A service's lines are every stream of its containers' <c>prefix/container/</c> (tasks ECS no
/// longer lists included); given tasks' are their own streams. Reads are FilterLogEvents (one per log group, 100 streams a
/// call); a follow polls the same way, looking back a little each time for lines CloudWatch ingests late, and writes each
/// line once.
/// </summary>
public sealed class DeploymentLogReader
{
    private const int StreamsPerCall = 100;

    /// <summary>How many polls a follow of a service goes before it looks for new task definitions (a deployment to a new revision).</summary>
    private const int PollsPerSourceRefresh = 10;

    private readonly AwsFacts _facts;

    public DeploymentLogReader(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>
    /// Where lines are read from: one log group and container, and either a stream prefix (every task) or the streams of
    /// given tasks; or (no <see cref="Logs"/>) one container of a Lightsail container service.
    /// </summary>
    private sealed record LogSource(string Cluster, string Group, string Container, EcsAwsLogs? Logs, string? Service, string? StreamPrefix, IReadOnlyList<string> Streams)
    {
        public bool IsLightsail => Logs is null;
    }

    /// <summary>
    /// The lines of the window, oldest first (the last <see cref="DeploymentLogRequest.Tail"/> when set). Throws
    /// <see cref="DeployOpsException"/> for bad parameters, a service, task or container that does not exist, or a container
    /// that does not log to CloudWatch Logs.
    /// </summary>
    public async Task<IReadOnlyList<DeploymentLogLine>> ReadAsync(DeploymentLogRequest request, CancellationToken cancellationToken)
    {
        var window = Validate(request, follow: false);
        var sources = await SourcesAsync(request, cancellationToken).ConfigureAwait(false);
        var lines = await ReadWindowAsync(request, sources, window.Start, window.End, cancellationToken).ConfigureAwait(false);
        return request.Tail is { } tail ? lines.Skip(Math.Max(0, lines.Count - tail)).ToList() : lines;
    }

    /// <summary>
    /// Writes the window's lines (the last <see cref="DeploymentLogRequest.Tail"/> when set), then every new line as it
    /// arrives, through <paramref name="emit"/>, until <paramref name="cancellationToken"/> is cancelled (Ctrl-C): within one
    /// poll of CloudWatch having it, in order, none twice. Reports progress each poll.
    /// </summary>
    public async Task FollowAsync(DeploymentLogRequest request, Action<DeploymentLogLine> emit, CancellationToken cancellationToken)
    {
        var window = Validate(request, follow: true);
        var sources = await SourcesAsync(request, cancellationToken).ConfigureAwait(false);
        var seen = new Dictionary<(string Group, string Stream, string Id), DateTimeOffset>();
        var first = await ReadWindowAsync(request, sources, window.Start, null, cancellationToken).ConfigureAwait(false);
        var cursor = window.Start;
        var written = 0;
        foreach (var line in request.Tail is { } tail ? first.Skip(Math.Max(0, first.Count - tail)) : first)
        {
            emit(line);
            written++;
        }

        foreach (var line in first)
        {
            seen[Key(line)] = line.Time;
            cursor = line.Time > cursor ? line.Time : cursor;
        }

        var activity = $"Following the log of {request.LightsailService ?? request.Service ?? string.Join(", ", request.Tasks.Select(AwsArn.LastSegment))}";
        for (var poll = 1; ; poll++)
        {
            _facts.Observer.Progress(new OperationProgress(1, activity,
                $"{written} line(s){(written == 0 ? "" : $", the last at {cursor.ToUniversalTime():HH:mm:ss}")}; looking every {request.PollInterval.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s (Ctrl-C stops)", -1, -1));
            await Task.Delay(request.PollInterval, cancellationToken).ConfigureAwait(false);
            if (request.Tasks.Count == 0 && request.LightsailService is null && poll % PollsPerSourceRefresh == 0)
            {
                sources = await SourcesAsync(request, cancellationToken).ConfigureAwait(false);
            }

            var from = cursor - request.FollowLookBack > window.Start ? cursor - request.FollowLookBack : window.Start;
            foreach (var line in await ReadWindowAsync(request, sources, from, null, cancellationToken).ConfigureAwait(false))
            {
                if (seen.ContainsKey(Key(line)))
                {
                    continue;
                }

                seen[Key(line)] = line.Time;
                cursor = line.Time > cursor ? line.Time : cursor;
                emit(line);
                written++;
            }

            // Only lines a later poll can meet again need remembering.
            foreach (var old in seen.Where(s => s.Value < cursor - request.FollowLookBack).Select(s => s.Key).ToList())
            {
                seen.Remove(old);
            }
        }
    }

    private static (string, string, string) Key(DeploymentLogLine line) => (line.LogGroup, line.Stream, line.EventId);

    private static TimeWindow Validate(DeploymentLogRequest request, bool follow)
    {
        if (follow && request.EndTime is not null)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidTimeWindow, DeployOpsErrorKind.InvalidArgument,
                "-Follow reads until Ctrl-C, so it takes no -EndTime.", request.EndTime));
        }

        if (request.LightsailService is not null)
        {
            return request.Window(DateTimeOffset.UtcNow);
        }

        if (string.IsNullOrWhiteSpace(request.Cluster))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.MissingCluster, DeployOpsErrorKind.InvalidArgument,
                $"No cluster to read logs from (the cluster name is '{request.Cluster}'): give -Cluster, or -Environment with a settings file that names one.", request.Cluster));
        }

        if (string.IsNullOrWhiteSpace(request.Service) && request.Tasks.Count == 0)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.MissingService, DeployOpsErrorKind.InvalidArgument,
                "Whose log? Give -Service (every task of it), -Task (those tasks), or both.", request.Service));
        }

        return request.Window(DateTimeOffset.UtcNow);
    }

    // ------------------------------------------------------------------ where the lines are

    private async Task<IReadOnlyList<LogSource>> SourcesAsync(DeploymentLogRequest request, CancellationToken cancellationToken)
    {
        if (request.LightsailService is { } lightsailService)
        {
            return await LightsailSourcesAsync(lightsailService, request.Container, cancellationToken).ConfigureAwait(false);
        }

        var cluster = AwsArn.LastSegment(request.Cluster);
        if (request.Tasks.Count > 0)
        {
            var described = await _facts.Tasks.DescribeAsync(request.Cluster, request.Tasks, "the tasks", cancellationToken).ConfigureAwait(false);
            if (!described.IsRead)
            {
                throw new DeployOpsException(described.Absent
                    ? ErrorTranslator.NotFound(ErrorIds.ClusterNotFound, $"Cluster '{cluster}' does not exist in region '{_facts.Session.Region.Name}'.", cluster)
                    : new DeployOpsError(ErrorIds.AwsRequestFailed, DeployOpsErrorKind.Other, described.Gap!.ToString(), cluster));
            }

            var tasks = described.Value.Where(t => request.Service is null || t.ServiceName == AwsArn.LastSegment(request.Service)).ToList();
            if (request.Tasks.FirstOrDefault(requested => !tasks.Any(t => t.Arn == requested || AwsArn.LastSegment(t.Arn) == AwsArn.LastSegment(requested))) is { } missing)
            {
                throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.TaskNotFound,
                    $"Task '{missing}' is not a task {(request.Service is null ? "" : $"of service '{request.Service}' ")}in cluster '{cluster}': ECS lists stopped tasks for about an hour. " +
                    $"For older lines give -Service alone: its log is found from the task definition.", missing));
            }

            var sources = new List<LogSource>();
            foreach (var byDefinition in tasks.GroupBy(t => t.TaskDefinitionArn ?? ""))
            {
                var definition = await _facts.TaskDefinitions.RequireAsync(byDefinition.Key, cancellationToken).ConfigureAwait(false);
                sources.AddRange(Logging(definition, request.Container).Select(c => new LogSource(cluster, c.Logs.Group, c.Container.Name, c.Logs, byDefinition.First().ServiceName, null,
                    byDefinition.Select(t => c.Logs.StreamOf(c.Container.Name, t.Arn)!).ToList())));
            }

            return sources;
        }

        var service = await _facts.Services.RequireAsync(request.Cluster, request.Service!, cancellationToken).ConfigureAwait(false);
        var definitions = service.Deployments.Select(d => d.TaskDefinition).Append(service.TaskDefinition)
            .Where(arn => arn is not null).Select(arn => arn!).Distinct(StringComparer.Ordinal).ToList();
        var containers = new List<(EcsContainerDefinition Container, EcsAwsLogs Logs)>();
        foreach (var arn in definitions)
        {
            containers.AddRange(Logging(await _facts.TaskDefinitions.RequireAsync(arn, cancellationToken).ConfigureAwait(false), request.Container));
        }

        return containers.Select(c => new LogSource(cluster, c.Logs.Group, c.Container.Name, c.Logs, service.Name, c.Logs.StreamPrefixOf(c.Container.Name), Array.Empty<string>()))
            .GroupBy(s => (s.Group, s.StreamPrefix)).Select(g => g.First()).ToList();
    }

    /// <summary>The containers of a Lightsail service's ACTIVE deployment (or the one named), each its own log.</summary>
    private async Task<IReadOnlyList<LogSource>> LightsailSourcesAsync(string serviceName, string? containerName, CancellationToken cancellationToken)
    {
        var service = await _facts.Lightsail.RequireServiceAsync(serviceName, cancellationToken).ConfigureAwait(false);
        var containers = service.CurrentDeployment?.Containers.Keys.ToList() ?? new List<string>();
        if (containerName is not null && !containers.Contains(containerName, StringComparer.Ordinal))
        {
            throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.ContainerNotFound,
                $"The ACTIVE deployment of container service {service.Name} has no container '{containerName}'; its containers: {(containers.Count == 0 ? "none" : string.Join(", ", containers))}.",
                containerName));
        }

        return (containerName is null ? containers : new List<string> { containerName })
            .Select(container => new LogSource("", $"lightsail:{service.Name}", container, null, service.Name, null, Array.Empty<string>())).ToList();
    }

    /// <summary>The containers of <paramref name="definition"/> (or the one named) that log to CloudWatch Logs with a stream prefix.</summary>
    private static IReadOnlyList<(EcsContainerDefinition Container, EcsAwsLogs Logs)> Logging(EcsTaskDefinition definition, string? containerName)
    {
        var name = $"{definition.Family}:{definition.Revision}";
        var containers = definition.ContainerDefinitions.Where(c => containerName is null || c.Name == containerName).ToList();
        if (containers.Count == 0)
        {
            throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.ContainerNotFound,
                $"Task definition {name} has no container '{containerName}'; its containers: {string.Join(", ", definition.ContainerDefinitions.Select(c => c.Name))}.", containerName!));
        }

        var logging = containers.Where(c => c.AwsLogs?.StreamPrefix is not null).Select(c => (c, c.AwsLogs!)).ToList();
        return logging.Count > 0
            ? logging
            : throw new DeployOpsException(new DeployOpsError(ErrorIds.NoAwsLogs, DeployOpsErrorKind.InvalidArgument,
                $"No container of task definition {name}{(containerName is null ? "" : $" named '{containerName}'")} logs to CloudWatch Logs with the awslogs driver and a stream prefix " +
                "(logConfiguration awslogs-group and awslogs-stream-prefix), so there is no log to read here.", name));
    }

    // ------------------------------------------------------------------ reading

    private async Task<IReadOnlyList<DeploymentLogLine>> ReadWindowAsync(
        DeploymentLogRequest request, IReadOnlyList<LogSource> sources, DateTimeOffset start, DateTimeOffset? end, CancellationToken cancellationToken)
    {
        var lightsail = await Task.WhenAll(sources.Where(s => s.IsLightsail).Select(source => ReadLightsailAsync(request, source, start, end, cancellationToken))).ConfigureAwait(false);
        var calls = sources.Where(s => !s.IsLightsail).SelectMany(source => source.StreamPrefix is not null
            ? new[] { (Source: source, Filter: new LogsFilterRequest(source.Group) { LogStreamNamePrefix = source.StreamPrefix }) }
            : source.Streams.Select((stream, index) => (stream, index)).GroupBy(x => x.index / StreamsPerCall)
                .Select(batch => (Source: source, Filter: new LogsFilterRequest(source.Group) { LogStreamNames = batch.Select(x => x.stream).ToList() })));
        var read = await Task.WhenAll(calls.Select(async call =>
        {
            var result = await _facts.Session.Logs.FilterLogEventsAsync(call.Filter with
            {
                FilterPattern = string.IsNullOrWhiteSpace(request.Pattern) ? null : request.Pattern,
                StartTime = start,
                EndTime = end,
                MaxEvents = DeploymentLogRequest.MaxLines,
            }, cancellationToken).ConfigureAwait(false);
            if (result.Truncated)
            {
                _facts.Observer.Warning($"More than {DeploymentLogRequest.MaxLines} lines in {call.Source.Group} since {start.ToUniversalTime():u}: only the first {DeploymentLogRequest.MaxLines} are read. Narrow it with -Since, -Pattern or -Task.");
            }

            return result.Events.Select(e => Line(call.Source, e));
        })).ConfigureAwait(false);
        return read.SelectMany(lines => lines).Concat(lightsail.SelectMany(lines => lines))
            .OrderBy(l => l.Time).ThenBy(l => l.Stream, StringComparer.Ordinal).ThenBy(l => l.EventId.Length).ThenBy(l => l.EventId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>One Lightsail container's lines of the window (GetContainerLog, across pages; already redacted).</summary>
    private async Task<IEnumerable<DeploymentLogLine>> ReadLightsailAsync(
        DeploymentLogRequest request, LogSource source, DateTimeOffset start, DateTimeOffset? end, CancellationToken cancellationToken)
    {
        var read = await _facts.Session.Client<LightsailClient>().GetContainerLogAsync(new LightsailLogRequest(source.Service!, source.Container)
        {
            StartTime = start,
            EndTime = end,
            FilterPattern = string.IsNullOrWhiteSpace(request.Pattern) ? null : request.Pattern,
            MaxEvents = DeploymentLogRequest.MaxLines,
        }, cancellationToken).ConfigureAwait(false);
        if (read.Truncated)
        {
            _facts.Observer.Warning($"More than {DeploymentLogRequest.MaxLines} lines of container {source.Container} since {start.ToUniversalTime():u}: only the first {DeploymentLogRequest.MaxLines} are read. Narrow it with -Since or -Pattern.");
        }

        return read.Items.Select(e => Line(source, null, source.Container, e.CreatedAt, $"{e.CreatedAt?.ToUnixTimeMilliseconds()}:{e.Message}", e.Message));
    }

    private DeploymentLogLine Line(LogSource source, LogEvent logEvent)
    {
        var stream = logEvent.LogStreamName ?? "";
        return Line(source, source.Logs!.TaskIdOf(source.Container, stream), stream, logEvent.Timestamp,
            logEvent.EventId ?? $"{logEvent.Timestamp?.ToUnixTimeMilliseconds()}:{logEvent.Message}", logEvent.Message);
    }

    /// <summary>One line, its secrets taken out.</summary>
    private DeploymentLogLine Line(LogSource source, string? task, string stream, DateTimeOffset? time, string eventId, string text)
    {
        var message = text.TrimEnd('\r', '\n');
        var redacted = _facts.Redactor.Redact(message);
        return new DeploymentLogLine
        {
            Time = time ?? DateTimeOffset.MinValue,
            Cluster = source.Cluster,
            Service = source.Service,
            Task = task,
            Container = source.Container,
            LogGroup = source.Group,
            Stream = stream,
            Message = redacted,
            Redacted = !string.Equals(redacted, message, StringComparison.Ordinal),
            EventId = eventId,
        };
    }
}
