using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using DeployOps.Aws.Ecs;

namespace DeployOps.TaskFailures;

/// <summary>Why one task stopped, as the classifier reads ECS's own words.</summary>
/// <param name="Cause">The cause.</param>
/// <param name="Container">The container that explains it (the one that exited or could not start), if any.</param>
/// <param name="ExitCode">That container's exit code, if it exited.</param>
/// <param name="Reason">ECS's text that decided it: the task's stoppedReason, with the container's reason when it says more.</param>
/// <param name="Subject">What it is about, when ECS names it: the image, the secret or parameter ARN, the target group ARN.</param>
public sealed record TaskFailureClassification(TaskFailureCause Cause, string? Container, int? ExitCode, string Reason, string? Subject)
{
    /// <summary>The coarser family of <see cref="Cause"/>.</summary>
    public TaskFailureFamily Family => TaskFailureClassifier.FamilyOf(Cause);

    /// <summary>False for stops ECS or a person asked for (scale-in, a deployment replacing the task, StopTask).</summary>
    public bool IsFailure => Cause != TaskFailureCause.NotAFailure;

    /// <summary>What the exit code means (1 application error, 137 SIGKILL, 139 segfault, 143 SIGTERM...), or null.</summary>
    public string? ExitCodeMeaning => ExitCode is { } code ? ExitCodes.Meaning(code) : null;

    /// <summary>"ApplicationExit: container backend exited 1 (application error)", "SecretNotFound: arn:aws:...".</summary>
    public string Summary =>
        Cause + (ExitCode is { } code ? $": container {Container} exited {code} ({ExitCodeMeaning})" : Subject is not null ? $": {Subject}" : "");
}

/// <summary>
/// Tells stopped tasks' causes apart from ECS's <c>stopCode</c>, <c>stoppedReason</c>, the containers' <c>reason</c> and
/// <c>exitCode</c>, and service events that say a task could not be placed. Pure: the same words always give the same
/// cause. Get-EcsTaskFailure groups by it; Get-DeploymentHealth names category B's sub-cause with it.
/// </summary>
public static class TaskFailureClassifier
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled;

    // The task never reached the endpoint: a timeout or a refused route on the way there.
    private static readonly Regex NoRoute = new(
        @"i/o timeout|context deadline exceeded|context canceled|request canceled|dial tcp|timeout exceeded while awaiting headers|connection timed out|" +
        @"network is unreachable|no route to host|TLS handshake timeout|send request failed", Options);

    private static readonly Regex AccessDenied = new(
        @"AccessDenied|not authorized to perform|\b403\b|forbidden|\b401\b|unauthorized|pull access denied|\bdenied:|no basic auth credentials|" +
        @"authorization token has expired|kms:Decrypt|KMS\.\w+Exception", Options);

    private static readonly Regex ImageMissing = new(
        @":\s*not found|manifest unknown|manifest for \S+ not found|repository does not exist|RepositoryNotFoundException|ImageNotFoundException|name unknown", Options);

    private static readonly Regex SecretMissing = new(
        @"ResourceNotFoundException|ParameterNotFound|can't find the specified secret|InvalidParameters|invalid ssm parameters|does not exist|not found", Options);

    private static readonly Regex ImagePull = new(@"CannotPullContainerError|pull image manifest|registry auth from|ecr registry auth|api\.ecr\.|\.dkr\.ecr\.", Options);

    private static readonly Regex SecretRead = new(@"retrieve secret|secrets? from (asm|ssm)|secrets manager|GetSecretValue|GetParameters|\bssm\b|parameter", Options);

    private static readonly Regex Logger = new(@"failed to validate logger args|log group does not exist|Cloudwatch log stream", Options);

    private static readonly Regex SubnetIps = new(@"InsufficientFreeAddressesInSubnet|insufficient free (ip )?addresses|no (free|available) (ip )?addresses|free IP address", Options);

    private static readonly Regex NoCpu = new(@"RESOURCE:CPU|insufficient CPU", Options);

    private static readonly Regex NoMemory = new(@"RESOURCE:MEMORY|insufficient memory", Options);

    private static readonly Regex NoCapacity = new(@"Capacity is unavailable|no container instance met all of its requirements|unable to place a task|RESOURCE:", Options);

    private static readonly Regex ElbHealth = new(@"failed ELB health checks", Options);

    private static readonly Regex ContainerHealth = new(@"failed container health checks", Options);

    private static readonly Regex TargetGroupArn = new(@"\(target-group (?<arn>arn:[^\s)]+)\)", Options);

    private static readonly Regex SecretArn = new(@"arn:aws[\w-]*:(secretsmanager|ssm):[^\s,""']+", Options);

    /// <summary>Why <paramref name="task"/> stopped.</summary>
    public static TaskFailureClassification Classify(EcsTask task)
    {
        var container = task.FailingContainer;
        var stopped = task.StoppedReason ?? "";
        var reasons = task.Containers.Where(c => c.Reason is not null && c.Reason != stopped).Select(c => c.Reason!).ToList();
        var text = string.Join(" ", new[] { stopped }.Concat(reasons));
        var reason = reasons.Count == 0 ? stopped : stopped.Length == 0 ? string.Join("; ", reasons) : $"{stopped}; {string.Join("; ", reasons)}";
        TaskFailureClassification Of(TaskFailureCause cause, string? subject = null, bool withExit = false) =>
            new(cause, container?.Name, withExit ? container?.ExitCode : null, reason, subject);

        if (task.StopCode is EcsStopCode.ServiceSchedulerInitiated or EcsStopCode.UserInitiated or EcsStopCode.SpotInterruption or EcsStopCode.TerminationNotice)
        {
            return ElbHealth.IsMatch(text) ? Of(TaskFailureCause.ElbHealthCheckFailed, TargetGroupArn.Match(text) is { Success: true } m ? m.Groups["arn"].Value : null)
                : ContainerHealth.IsMatch(text) ? Of(TaskFailureCause.ContainerHealthCheckFailed)
                : Of(TaskFailureCause.NotAFailure);
        }

        if (task.Containers.Any(c => c.Reason?.IndexOf("OutOfMemory", StringComparison.OrdinalIgnoreCase) >= 0))
        {
            var killed = task.Containers.First(c => c.Reason?.IndexOf("OutOfMemory", StringComparison.OrdinalIgnoreCase) >= 0);
            return new TaskFailureClassification(TaskFailureCause.OutOfMemory, killed.Name, killed.ExitCode, reason, null);
        }

        if (ClassifyText(text, container?.Image) is { } fromText)
        {
            return fromText with { Container = container?.Name, Reason = reason };
        }

        if (container?.Reason?.StartsWith("CannotStartContainerError", StringComparison.OrdinalIgnoreCase) == true)
        {
            return Of(TaskFailureCause.ContainerStartFailed);
        }

        return task.StopCode == EcsStopCode.EssentialContainerExited && container?.ExitCode is not null
            ? Of(TaskFailureCause.ApplicationExit, withExit: true)
            : Of(TaskFailureCause.Unknown, withExit: container?.ExitCode is not null);
    }

    /// <summary>
    /// A service event that says a task could not be placed or launched (no free IP, no CPU or memory, no capacity, an
    /// error launching it), or null for every other event.
    /// </summary>
    public static TaskFailureClassification? ClassifyEvent(EcsServiceEvent serviceEvent)
    {
        var message = serviceEvent.Message;
        if (message.IndexOf("unable to place a task", StringComparison.OrdinalIgnoreCase) < 0 &&
            message.IndexOf("failed to launch a task", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return null;
        }

        return (ClassifyText(message, null) ?? new TaskFailureClassification(TaskFailureCause.Unknown, null, null, message, null)) with { Reason = message };
    }

    /// <summary>The cause ECS's words name, or null when they name none of the known ones.</summary>
    private static TaskFailureClassification? ClassifyText(string text, string? image)
    {
        TaskFailureClassification Of(TaskFailureCause cause, string? subject) => new(cause, null, null, text, subject);

        if (Logger.IsMatch(text))
        {
            return Of(TaskFailureCause.LogGroupNotFound, null);
        }

        if (ImagePull.IsMatch(text))
        {
            return Of(NoRoute.IsMatch(text) ? TaskFailureCause.ImageNoNetworkRoute
                : AccessDenied.IsMatch(text) ? TaskFailureCause.ImageAccessDenied
                : ImageMissing.IsMatch(text) ? TaskFailureCause.ImageNotFound
                : TaskFailureCause.ImagePullFailed, image);
        }

        // "unable to pull secrets or registry auth" opens every ResourceInitializationError; what follows tells them apart.
        var afterPrefix = text.Replace("unable to pull secrets or registry auth", "");
        if (text.IndexOf("ResourceInitializationError", StringComparison.OrdinalIgnoreCase) >= 0 && SecretRead.IsMatch(afterPrefix))
        {
            var subject = SecretArn.Match(text) is { Success: true } arn ? arn.Value.TrimEnd('.', ':') : null;
            return Of(NoRoute.IsMatch(text) ? TaskFailureCause.SecretNoNetworkRoute
                : AccessDenied.IsMatch(text) ? TaskFailureCause.SecretAccessDenied
                : SecretMissing.IsMatch(text) ? TaskFailureCause.SecretNotFound
                : TaskFailureCause.SecretRetrievalFailed, subject);
        }

        return SubnetIps.IsMatch(text) ? Of(TaskFailureCause.SubnetIpExhausted, null)
            : NoCpu.IsMatch(text) ? Of(TaskFailureCause.InsufficientCpu, null)
            : NoMemory.IsMatch(text) ? Of(TaskFailureCause.InsufficientMemory, null)
            : NoCapacity.IsMatch(text) ? Of(TaskFailureCause.InsufficientCapacity, null)
            : ElbHealth.IsMatch(text) ? Of(TaskFailureCause.ElbHealthCheckFailed, TargetGroupArn.Match(text) is { Success: true } m ? m.Groups["arn"].Value : null)
            : ContainerHealth.IsMatch(text) ? Of(TaskFailureCause.ContainerHealthCheckFailed, null)
            : null;
    }

    /// <summary>The family of a cause.</summary>
    public static TaskFailureFamily FamilyOf(TaskFailureCause cause) => cause switch
    {
        TaskFailureCause.ApplicationExit or TaskFailureCause.ContainerStartFailed => TaskFailureFamily.ApplicationExit,
        TaskFailureCause.OutOfMemory => TaskFailureFamily.OutOfMemory,
        TaskFailureCause.ImageNotFound or TaskFailureCause.ImageAccessDenied or TaskFailureCause.ImageNoNetworkRoute or TaskFailureCause.ImagePullFailed => TaskFailureFamily.ImagePull,
        TaskFailureCause.SecretNotFound or TaskFailureCause.SecretAccessDenied or TaskFailureCause.SecretNoNetworkRoute or TaskFailureCause.SecretRetrievalFailed => TaskFailureFamily.Secret,
        TaskFailureCause.LogGroupNotFound => TaskFailureFamily.Logging,
        TaskFailureCause.SubnetIpExhausted or TaskFailureCause.InsufficientCpu or TaskFailureCause.InsufficientMemory or TaskFailureCause.InsufficientCapacity => TaskFailureFamily.Placement,
        TaskFailureCause.ElbHealthCheckFailed or TaskFailureCause.ContainerHealthCheckFailed => TaskFailureFamily.HealthCheck,
        TaskFailureCause.StartupIncomplete => TaskFailureFamily.Startup,
        TaskFailureCause.NotAFailure => TaskFailureFamily.NotAFailure,
        _ => TaskFailureFamily.Unknown,
    };

    /// <summary>
    /// The cause most of <paramref name="tasks"/> failed with (ties: the most recent), or null when none failed. What
    /// Get-DeploymentHealth names as category B's sub-cause.
    /// </summary>
    public static TaskFailureClassification? Dominant(IEnumerable<EcsTask> tasks) =>
        tasks.Select(task => (Task: task, Classification: Classify(task)))
            .Where(x => x.Classification.IsFailure)
            .GroupBy(x => (x.Classification.Cause, x.Classification.ExitCode))
            .OrderByDescending(g => g.Count())
            .ThenByDescending(g => g.Max(x => x.Task.StopTime ?? DateTimeOffset.MinValue))
            .Select(g => g.OrderByDescending(x => x.Task.StopTime ?? DateTimeOffset.MinValue).First().Classification)
            .FirstOrDefault();
}

/// <summary>What a container's exit code means.</summary>
public static class ExitCodes
{
    /// <summary>"application error" for 1, "SIGKILL: killed (...)" for 137, "segmentation fault (SIGSEGV)" for 139...</summary>
    public static string Meaning(int exitCode) => exitCode switch
    {
        0 => "exited normally, but a service's essential container must keep running",
        1 => "application error",
        2 => "misuse of a shell builtin or invalid arguments",
        126 => "the command cannot be executed (permissions, or not an executable)",
        127 => "command not found (check the entryPoint and command)",
        134 => "SIGABRT: the process aborted",
        137 => "SIGKILL: killed (out of memory, or it did not stop within the stop timeout)",
        139 => "SIGSEGV: segmentation fault",
        143 => "SIGTERM: terminated (ECS stopped it, or it exited on SIGTERM)",
        255 => "fatal error (exit status out of range)",
        > 128 and < 160 => $"killed by signal {exitCode - 128}",
        _ => "an exit code the application defines",
    };
}
