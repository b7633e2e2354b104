using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Facts;
using DeployOps.Monitoring;
using DeployOps.Notifications;
using DeployOps.Operations;
using DeployOps.Storage;
using DeployOps.Testing;

namespace DeployOps.Benchmarks;

/// <summary>
/// Issue 10's monitor target: a deployment of 30 world minutes (scenario <c>slack-outage</c>: six gates, one every 5
/// world minutes) with Slack down from world minute 10 to 20, and the monitor (this program started again,
/// <c>monitor-run</c>) killed during the outage and restarted once. Figures: notifications lost 0, sent twice 0.
/// Lost: a notification the monitors queued (or that a delivered summary stands for) that Slack never accepted.
/// </summary>
public static class MonitorOutage
{
    public const string RunVerb = "monitor-run";
    private const string CorrelationId = "deploy-bench-slack-outage";

    /// <summary>World seconds per wall second: the sandbox's default clock speed.</summary>
    private const double WorldSpeed = 30;

    public static async Task RunAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "deployops-bench-monitor-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            await using var sandbox = await SandboxProcess.StartAsync(Lightwave.SlackOutage.Scenario);
            using var http = new HttpClient();
            var state = JsonNode.Parse(await http.GetStringAsync(new Uri(sandbox.Url, "_sandbox/state")))!;
            var apiUrl = state["slack"]!["apiUrl"]!.GetValue<string>();
            var clock = Stopwatch.StartNew();

            // Killed in the middle of the outage (world minute 15).
            var first = Start(sandbox.Url, folder, apiUrl);
            var killAt = TimeSpan.FromSeconds((Lightwave.SlackOutage.OutageFromSeconds + Lightwave.SlackOutage.OutageToSeconds) / 2.0 / WorldSpeed);
            var firstExited = first.WaitForExitAsync();
            var waitedOut = await Task.WhenAny(firstExited, Task.Delay(killAt - clock.Elapsed)) != firstExited;
            var killedAt = clock.Elapsed;
            if (waitedOut)
            {
                first.Kill(entireProcessTree: true);
                await first.WaitForExitAsync();
            }

            first.Dispose();
            var second = Start(sandbox.Url, folder, apiUrl);
            await second.WaitForExitAsync();
            var secondExit = second.ExitCode;
            second.Dispose();
            var elapsed = clock.Elapsed;

            var accepted = JsonNode.Parse(await http.GetStringAsync(new Uri(sandbox.Url, "_sandbox/slack/messages")))!;
            var acceptedKeys = accepted["messages"]!.AsArray().SelectMany(m => m!["keys"]!.AsArray().Select(k => k!.GetValue<string>())).ToHashSet(StringComparer.Ordinal);
            var outbox = new NotificationOutbox(new DeploymentStore(folder));
            var items = outbox.Items(Enum.GetValues<OutboxState>());
            var queued = items.Where(i => i.MergedKeys.Count == 0).ToList();
            var lost = queued.Count(i => !acceptedKeys.Contains(i.IdempotencyKey));
            var answers = accepted["answers"]!.AsObject();
            Console.WriteLine($"monitor-outage: {Lightwave.SlackOutage.Gates * Lightwave.SlackOutage.GateEverySeconds / 60} world minutes of deployment, Slack answering 503 from world minute {Lightwave.SlackOutage.OutageFromSeconds / 60} to {Lightwave.SlackOutage.OutageToSeconds / 60}");
            Console.WriteLine($"  monitor killed:        {(waitedOut ? $"yes, at {killedAt.TotalSeconds:0.0} s wall, then restarted" : "no (it finished before the kill)")}; the restarted one exited {secondExit}");
            Console.WriteLine($"  notifications queued:  {queued.Count} ({string.Join(", ", queued.GroupBy(i => i.Kind).Select(g => $"{g.Count()} {g.Key}"))})");
            Console.WriteLine($"  messages Slack took:   {accepted["messages"]!.AsArray().Count} ({items.Count(i => i.MergedKeys.Count > 0)} of them progress summaries merged after the outage)");
            Console.WriteLine($"  notifications lost:    {lost}");
            Console.WriteLine($"  sent twice:            {accepted["duplicates"]!.AsArray().Count}");
            Console.WriteLine($"  dead letter:           {items.Count(i => i.State == nameof(OutboxState.DeadLetter))}");
            Console.WriteLine($"  Slack answers:         {string.Join(", ", answers.Select(a => $"{a.Key.Split('{')[0].Trim()} x{a.Value}"))}");
            Console.WriteLine($"  wall time:             {elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The child: <c>monitor-run &lt;endpoint&gt; &lt;store folder&gt; &lt;Slack API URL&gt;</c>; follows the stack to its end.</summary>
    public static async Task<int> MonitorAsync(string endpointUrl, string folder, string apiUrl)
    {
        var options = new AwsSessionOptions { Region = Lightwave.Region, EndpointUrl = endpointUrl, Credential = new BasicAWSCredentials("sandbox", "sandbox") };
        using var session = AwsSession.Create(options);
        using var slack = new SlackClient(TimeSpan.FromSeconds(30));
        var store = new DeploymentStore(folder);
        var destination = SlackDestination.BotToken(Lightwave.Slack.BotToken, Lightwave.Slack.DeploymentsChannel, new Uri(apiUrl));
        var dispatcher = new NotificationDispatcher(new NotificationOutbox(store), new[] { destination }, slack, NullOperationObserver.Instance);
        var request = new MonitorRequest
        {
            StackName = Lightwave.SlackOutage.Stack,
            CorrelationId = CorrelationId,
            Settings = new MonitorSettings { ProgressInterval = TimeSpan.FromSeconds(5), StuckAfter = TimeSpan.FromSeconds(30) },
            PollInterval = TimeSpan.FromSeconds(1),
            DrainTimeout = TimeSpan.FromMinutes(2),
        };
        var monitor = new DeploymentMonitor(new AwsFacts(session, NullOperationObserver.Instance), store, request, dispatcher, destination);
        await monitor.StartAsync(CancellationToken.None);
        Console.WriteLine($"  monitor process {Environment.ProcessId}: {(monitor.Resumed ? "resumed from its checkpoint" : "started")}");
        while (true)
        {
            var poll = await monitor.PollAsync(CancellationToken.None);
            if (poll.Finished)
            {
                await monitor.FinishAsync(poll.Outcome ?? "Completed", CancellationToken.None);
                Console.WriteLine($"  monitor process {Environment.ProcessId}: deployment ended {poll.Outcome} (stack {poll.StackStatus})");
                return 0;
            }

            await Task.Delay(request.PollInterval);
        }
    }

    private static Process Start(Uri endpointUrl, string folder, string apiUrl)
    {
        var info = SelfStart.Info();
        foreach (var argument in new[] { RunVerb, endpointUrl.ToString(), folder, apiUrl })
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("The monitor process did not start.");
    }
}
