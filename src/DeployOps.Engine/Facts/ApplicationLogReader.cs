using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Health;

namespace DeployOps.Facts;

/// <summary>
/// Reads application logs: the awslogs stream a task's container wrote, found through its task definition's log
/// options. Every line it returns is redacted (<see cref="SecretRedactor"/>) with the values the task definition declares.
/// </summary>
public sealed class ApplicationLogReader
{
    // The runbook's known startup errors (SOP step 3B), then any exception line, then any error line.
    private static readonly Regex[] ExplainingPatterns =
    {
        new(@"ImproperlyConfigured|FATAL: database connection failed|ModuleNotFoundError|already in use|OutOfMemory|MemoryError", RegexOptions.Compiled),
        new(@"\b[\w.]*(Error|Exception)\b:", RegexOptions.Compiled),
        new(@"\b(ERROR|FATAL|CRITICAL)\b", RegexOptions.Compiled),
    };

    private readonly AwsFacts _facts;

    internal ApplicationLogReader(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>
    /// The line of the task's log that explains why it stopped (the last line matching the most specific pattern), or
    /// null when the container logs elsewhere or no line explains it.
    /// </summary>
    public async Task<Fact<LogFinding?>> ExplainingLineAsync(EcsTask task, CancellationToken cancellationToken)
    {
        var definition = await _facts.TaskDefinitions.ReadAsync(task.TaskDefinitionArn ?? "", cancellationToken).ConfigureAwait(false);
        if (!definition.IsRead)
        {
            return definition.Select(_ => (LogFinding?)null);
        }

        var container = definition.Value.ContainerDefinitions.FirstOrDefault(c => c.Name == task.FailingContainer?.Name) ?? definition.Value.ContainerDefinitions.FirstOrDefault();
        if (StreamOf(container, task) is not { } stream)
        {
            return Fact<LogFinding?>.Of(null);
        }

        var events = await _facts.Policy.ReadAsync($"log stream {stream.Group}:{stream.Stream}",
            () => _facts.Session.Logs.GetLogEventsAsync(stream.Group, stream.Stream, false, 100, cancellationToken)).ConfigureAwait(false);
        return events.Select(read => Explaining(read.Select(e => e.Message).ToList()) is { } line
            ? new LogFinding(stream.Group, stream.Stream, _facts.Redactor.Redact(line))
            : null);
    }

    /// <summary>
    /// The first lines of the stream a task's serving container (the essential one with a port, else the first) writes, oldest
    /// first and redacted: what a startup-sequence check reads. Null when the container logs elsewhere than awslogs.
    /// </summary>
    public async Task<Fact<IReadOnlyList<(DateTimeOffset Time, string Message)>?>> StartupLinesAsync(EcsTask task, CancellationToken cancellationToken)
    {
        var definition = await _facts.TaskDefinitions.ReadAsync(task.TaskDefinitionArn ?? "", cancellationToken).ConfigureAwait(false);
        if (!definition.IsRead)
        {
            return definition.Select(_ => (IReadOnlyList<(DateTimeOffset, string)>?)null);
        }

        var containers = definition.Value.ContainerDefinitions;
        var serving = containers.FirstOrDefault(c => c.Essential && c.PortMappings.Count > 0) ?? containers.FirstOrDefault();
        if (StreamOf(serving, task) is not { } stream)
        {
            return Fact<IReadOnlyList<(DateTimeOffset, string)>?>.Of(null);
        }

        var events = await _facts.Policy.ReadAsync($"log stream {stream.Group}:{stream.Stream}",
            () => _facts.Session.Logs.GetLogEventsAsync(stream.Group, stream.Stream, true, 1000, cancellationToken)).ConfigureAwait(false);
        return events.Select(read => (IReadOnlyList<(DateTimeOffset, string)>?)read
            .Select(e => (e.Timestamp ?? DateTimeOffset.MinValue, _facts.Redactor.Redact(e.Message))).ToList());
    }

    /// <summary>
    /// How long the task's application took to start: seconds from the task's <c>startedAt</c> to the first line of its
    /// log matching <paramref name="ready"/> (e.g. "Listening on port"); null when the log has no such line or is elsewhere.
    /// </summary>
    public async Task<Fact<double?>> StartupSecondsAsync(EcsTask task, Regex ready, CancellationToken cancellationToken)
    {
        var lines = await StartupLinesAsync(task, cancellationToken).ConfigureAwait(false);
        return lines.Select(read => task.StartedAt is { } started
            && read?.Where(line => ready.IsMatch(line.Message)).Select(line => (DateTimeOffset?)line.Time).FirstOrDefault() is { } at
                ? (double?)Math.Max(0, Math.Round((at - started).TotalSeconds, 1))
                : null);
    }

    /// <summary>The last line matching the most specific pattern, or null.</summary>
    public static string? Explaining(IReadOnlyList<string> lines)
    {
        foreach (var pattern in ExplainingPatterns)
        {
            var match = lines.LastOrDefault(l => pattern.IsMatch(l));
            if (match is not null)
            {
                return match.Trim();
            }
        }

        return null;
    }

    /// <summary>The awslogs group and stream a task's container writes to: <c>prefix/container/task-id</c>.</summary>
    private static (string Group, string Stream)? StreamOf(EcsContainerDefinition? container, EcsTask task)
    {
        var options = container?.LogConfiguration is { LogDriver: "awslogs" } log ? log.Options : null;
        if (options is null || !options.TryGetValue("awslogs-group", out var group))
        {
            return null;
        }

        options.TryGetValue("awslogs-stream-prefix", out var prefix);
        return (group, $"{prefix}/{container!.Name}/{AwsArn.LastSegment(task.Arn)}");
    }
}
