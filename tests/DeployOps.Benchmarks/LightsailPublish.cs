using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Facts;
using DeployOps.Lightsail;
using DeployOps.Operations;
using DeployOps.Storage;
using DeployOps.Testing;
using DeployOps.Verification;
using L = DeployOps.Testing.Lightwave.Lightsail;

namespace DeployOps.Benchmarks;

/// <summary>
/// Publish-LightsailDeployment's engine on runbook 003's stale configuration: from the command to a verified result, and
/// how long after the sandbox activated the deployment the publisher saw it ACTIVE (the issue's target: at most one poll,
/// 5 s at the default interval), with the AWS calls one publish makes.
/// </summary>
public static class LightsailPublish
{
    public static async Task RunAsync(int rounds)
    {
        await using var sandbox = await SandboxProcess.StartAsync(L.StaleConfig.Scenario);
        var options = new AwsSessionOptions { Region = L.Region, EndpointUrl = sandbox.Url.ToString(), Credential = new BasicAWSCredentials("sandbox", "sandbox") };
        var wait = LightsailWaitSettings.Default;
        var store = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "deployops-bench-" + Guid.NewGuid().ToString("n"));
        var totals = new List<double>();
        var lags = new List<double>();
        var activations = new List<double>();
        AwsCallCounter? calls = null;
        Console.WriteLine($"sandbox at {sandbox.Url}: {L.StaleConfig.Scenario}, {rounds} publishes of {L.Image(L.StaleConfig.FreshImage)}, poll interval {wait.PollInterval.TotalSeconds:0} s");
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                await sandbox.LoadScenarioAsync(L.StaleConfig.Scenario);
                using var session = AwsSession.Create(options);
                var facts = new AwsFacts(session, NullOperationObserver.Instance);
                var publisher = new LightsailPublisher(facts, new DeploymentJournal(new DeploymentStore(store)));
                var request = new LightsailPublishRequest
                {
                    ServiceName = L.Service,
                    Change = new LightsailSpecificationChange
                    {
                        Image = L.Image(L.StaleConfig.FreshImage),
                        SetEnvironment = new Dictionary<string, string> { ["AI_MAX_TOKENS_INPUT"] = "120000", ["AI_MAX_TOKENS_OUTPUT"] = "16000" },
                    },
                    RequiredEnvironment = new[] { "AI_MAX_TOKENS_*" },
                    Wait = wait,
                    Verification = new VerificationExpectations { ReadyPath = L.ReadinessPath, Origins = new[] { L.Origin } },
                };

                var clock = Stopwatch.StartNew();
                var outcomes = await publisher.ApplyAsync(await publisher.PlanAsync(request, default), request, default);
                clock.Stop();
                var result = (LightsailDeploymentResult)outcomes[0].Value!;
                if (result.Outcome != nameof(LightsailDeploymentOutcome.Verified) || result.ActiveAt is not { } seenActive)
                {
                    throw new InvalidOperationException($"Round {round + 1}: {result}");
                }

                var (created, activated) = await DeploymentTimesAsync(sandbox.Url, result.Version);
                totals.Add(clock.Elapsed.TotalSeconds);
                activations.Add((activated - created).TotalSeconds);
                lags.Add((seenActive - activated).TotalSeconds);
                calls = session.Calls;
            }
        }
        finally
        {
            if (System.IO.Directory.Exists(store))
            {
                System.IO.Directory.Delete(store, recursive: true);
            }
        }

        Console.WriteLine();
        Console.WriteLine("Publish-LightsailDeployment engine (plan, deploy, wait, verify), per publish:");
        Console.WriteLine($"  command to verified result: {Summary(totals)} s");
        Console.WriteLine($"  the sandbox's activation (deployment created to ACTIVE): {Summary(activations)} s");
        Console.WriteLine($"  seen ACTIVE after the sandbox activated it: {Summary(lags)} s (target: at most one poll, {wait.PollInterval.TotalSeconds:0} s)");
        Console.WriteLine($"  API calls (last publish): {calls!.TotalCalls}; HTTP attempts: {calls.TotalAttempts}");
        foreach (var (service, operation, count, _) in calls.Snapshot().OrderBy(c => c.Service, StringComparer.Ordinal).ThenBy(c => c.Operation, StringComparer.Ordinal))
        {
            Console.WriteLine($"    {service + " " + operation,-50} {count,3}");
        }
    }

    /// <summary>When the sandbox created the deployment and turned it ACTIVE (wall-clock timestamps from its state).</summary>
    private static async Task<(DateTimeOffset Created, DateTimeOffset Activated)> DeploymentTimesAsync(Uri url, int version)
    {
        using var http = new HttpClient();
        using var state = JsonDocument.Parse(await http.GetStringAsync(new Uri(url, "_sandbox/state")));
        var service = state.RootElement.GetProperty("lightsail").EnumerateArray().Single(s => s.GetProperty("serviceName").GetString() == L.Service);
        var deployment = service.GetProperty("deployments").EnumerateArray().Single(d => d.GetProperty("version").GetInt32() == version);
        return (deployment.GetProperty("createdAt").GetDateTimeOffset(), deployment.GetProperty("activatedAt").GetDateTimeOffset());
    }

    private static string Summary(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return $"median {sorted[sorted.Count / 2]:0.0}, min {sorted[0]:0.0}, max {sorted[^1]:0.0}";
    }
}
