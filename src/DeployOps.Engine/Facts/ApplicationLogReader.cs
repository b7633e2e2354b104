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
    public async Task<Fact<LogFinding?>> ExplainingLineAsync(EcsTask task, CancellationToken cancellationToken) =>
        (await LastLinesAsync(task, task.FailingContainer?.Name, 100, cancellationToken).ConfigureAwait(false))
            .Select(excerpt => excerpt is not null && Explaining(excerpt.Lines) is { } line ? new LogFinding(excerpt.LogGroup, excerpt.LogStream, line) : null);

    /// <summary>
    /// The last <paramref name="count"/> lines the task's container (<paramref name="containerName"/>, else its first)
    /// wrote, oldest first and redacted: one GetLogEvents. Null when the container logs elsewhere.
    /// </summary>
    public async Task<Fact<LogExcerpt?>> LastLinesAsync(EcsTask task, string? containerName, int count, CancellationToken cancellationToken)
    {
        var definition = await _facts.TaskDefinitions.ReadAsync(task.TaskDefinitionArn ?? "", cancellationToken).ConfigureAwait(false);
        if (!definition.IsRead)
        {
            return definition.Select(_ => (LogExcerpt?)null);
        }

        var container = definition.Value.ContainerDefinitions.FirstOrDefault(c => c.Name == containerName) ?? definition.Value.ContainerDefinitions.FirstOrDefault();
        if (StreamOf(container, task) is not { } stream)
        {
            return Fact<LogExcerpt?>.Of(null);
        }

        var events = await _facts.Policy.ReadAsync($"log stream {stream.Group}:{stream.Stream}",
            () => _facts.Session.Logs.GetLogEventsAsync(stream.Group, stream.Stream, false, count, cancellationToken)).ConfigureAwait(false);
        return events.Select(read => (LogExcerpt?)new LogExcerpt(stream.Group, stream.Stream,
            read.OrderBy(e => e.Timestamp).Select(e => _facts.Redactor.Redact(e.Message.TrimEnd())).ToList()));
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
    private static (string Group, string Stream)? StreamOf(EcsContainerDefinition? container, EcsTask task) =>
        container?.AwsLogs is { } logs && logs.StreamOf(container.Name, task.Arn) is { } stream ? (logs.Group, stream) : null;
}
