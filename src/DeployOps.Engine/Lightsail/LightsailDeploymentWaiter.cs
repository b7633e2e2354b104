using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Lightsail;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.Lightsail;

/// <summary>How long to wait for a Lightsail deployment, and how often to look (whole seconds at the cmdlets).</summary>
public sealed record LightsailWaitSettings(TimeSpan Timeout, TimeSpan PollInterval)
{
    public static LightsailWaitSettings Default { get; } = new(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5));
}

/// <summary>How a wait for a Lightsail deployment ended.</summary>
public sealed record LightsailWaitResult(LightsailDeploymentOutcome Outcome, string Reason, string? LastStateDetail, IReadOnlyList<string> LogLines, DateTimeOffset? ActiveAt, TimeSpan Elapsed);

/// <summary>
/// Waits for a deployment through ACTIVATING (CREATING_DEPLOYMENT, EVALUATING_HEALTH_CHECK, ACTIVATING_DEPLOYMENT) with
/// progress: done when it is the service's current (ACTIVE) deployment; over at once when it turns FAILED, with the
/// container log lines of its window that say why and the last state detail seen. One GetContainerServices per poll;
/// the deployments are read only when the waited one is neither current nor next.
/// </summary>
public sealed class LightsailDeploymentWaiter
{
    /// <summary>How many log lines a failure carries at most.</summary>
    public const int FailureLogLines = 12;

    private static readonly Regex ExplainingLine = new(@"\b(ERROR|FATAL|CRITICAL|Error|Exception)\b|ECONNREFUSED|is required|not set|exited|failed", RegexOptions.Compiled);

    private static int _nextActivityId;

    private readonly AwsFacts _facts;

    public LightsailDeploymentWaiter(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>Waits for version <paramref name="version"/> of <paramref name="serviceName"/>; throws <see cref="OperationCanceledException"/> on Ctrl-C.</summary>
    public async Task<LightsailWaitResult> WaitAsync(string serviceName, int version, LightsailWaitSettings settings, CancellationToken cancellationToken)
    {
        var activity = Interlocked.Increment(ref _nextActivityId);
        var title = $"Waiting for deployment {version} of container service {serviceName}";
        var clock = Stopwatch.StartNew();
        string? lastDetail = null;
        while (true)
        {
            var service = await PollAsync(serviceName, cancellationToken).ConfigureAwait(false);
            if (service?.CurrentDeployment?.Version == version)
            {
                _facts.Observer.Progress(new OperationProgress(activity, title, "ACTIVE", 100, 0, Completed: true));
                return new LightsailWaitResult(LightsailDeploymentOutcome.Active, $"deployment {version} is ACTIVE", lastDetail, Array.Empty<string>(), DateTimeOffset.UtcNow, clock.Elapsed);
            }

            if (service is not null && service.NextDeployment?.Version != version && await EndedAsync(serviceName, version, cancellationToken).ConfigureAwait(false) is { } ended)
            {
                _facts.Observer.Progress(new OperationProgress(activity, title, ended.State, 100, 0, Completed: true));
                var failed = ended.State == LightsailDeploymentState.Failed;
                var lines = failed ? await FailureLinesAsync(serviceName, ended, cancellationToken).ConfigureAwait(false) : Array.Empty<string>();
                return new LightsailWaitResult(
                    failed ? LightsailDeploymentOutcome.Failed : LightsailDeploymentOutcome.Replaced,
                    failed ? "it did not pass its health checks or its containers exited" : $"it is {ended.State}: deployment {service.CurrentDeployment?.Version} is ACTIVE",
                    lastDetail, lines, null, clock.Elapsed);
            }

            lastDetail = service?.StateDetail?.ToString() ?? lastDetail;
            var remaining = settings.Timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                _facts.Observer.Progress(new OperationProgress(activity, title, "timed out", 100, 0, Completed: true));
                return new LightsailWaitResult(LightsailDeploymentOutcome.TimedOut, $"still ACTIVATING ({lastDetail ?? service?.State ?? "not read"})", lastDetail,
                    Array.Empty<string>(), null, clock.Elapsed);
            }

            var code = service?.StateDetail?.Code;
            var percent = code switch { "CREATING_DEPLOYMENT" => 20, "EVALUATING_HEALTH_CHECK" => 50, "ACTIVATING_DEPLOYMENT" => 80, _ => 10 };
            _facts.Observer.Progress(new OperationProgress(activity, title, $"ACTIVATING: {service?.State ?? "?"} {service?.StateDetail?.ToString() ?? ""}".TrimEnd(), percent, (int)remaining.TotalSeconds));
            await Task.Delay(settings.PollInterval < remaining ? settings.PollInterval : remaining, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One look at the service; a throttled or failed poll is skipped (null) and the wait goes on.</summary>
    private async Task<LightsailContainerService?> PollAsync(string serviceName, CancellationToken cancellationToken)
    {
        var service = await _facts.Lightsail.ServiceAsync(serviceName, cancellationToken).ConfigureAwait(false);
        if (service.Absent)
        {
            throw new DeployOpsException(_facts.Lightsail.NotFound(serviceName));
        }

        if (!service.IsRead)
        {
            _facts.Observer.Verbose($"Poll failed ({service.Gap}); trying again.");
        }

        return service.ValueOr(null);
    }

    /// <summary>The waited deployment when it is over without becoming current: FAILED, or INACTIVE (replaced); null while it still activates.</summary>
    private async Task<LightsailDeployment?> EndedAsync(string serviceName, int version, CancellationToken cancellationToken)
    {
        var deployments = await _facts.Lightsail.RequireDeploymentsAsync(serviceName, cancellationToken).ConfigureAwait(false);
        var waited = deployments.FirstOrDefault(d => d.Version == version);
        if (waited is null)
        {
            return new LightsailDeployment { Version = version, State = "no longer listed" };
        }

        return waited.State is LightsailDeploymentState.Failed or LightsailDeploymentState.Inactive ? waited : null;
    }

    /// <summary>The log lines of the failed deployment's window that explain it (errors, Lightsail's own lines), else its last lines.</summary>
    private async Task<IReadOnlyList<string>> FailureLinesAsync(string serviceName, LightsailDeployment deployment, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        foreach (var container in deployment.Containers.Keys)
        {
            var log = await _facts.Lightsail.LogAsync(new LightsailLogRequest(serviceName, container) { StartTime = deployment.CreatedAt }, cancellationToken).ConfigureAwait(false);
            if (log.IsRead)
            {
                lines.AddRange(log.Value.Lines.Select(l => l.Message));
            }
            else
            {
                _facts.Observer.Warning($"The log of container {container} could not be read: {log.Gap?.ToString() ?? "it does not exist"}.");
            }
        }

        var explaining = lines.Where(l => ExplainingLine.IsMatch(l) || l.StartsWith($"[deployment:{deployment.Version}]", StringComparison.Ordinal)).ToList();
        return (explaining.Count > 0 ? explaining : lines).Distinct().Reverse().Take(FailureLogLines).Reverse().ToList();
    }
}
