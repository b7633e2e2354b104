using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Errors;
using DeployOps.Health;
using DeployOps.Operations;
using DeployOps.Sandbox;
using DeployOps.Sandbox.Faults;

namespace DeployOps.Benchmarks;

/// <summary>
/// Diagnoses under faults on every AWS service (30% throttling, 5% 5xx), spread over every shipped scenario. Each
/// scenario is loaded and left to settle without faults (its settled verdicts are printed as the correct ones); then
/// the world clock slows to real time and each diagnosis (one Get-DeploymentHealth run of one cluster, its own session,
/// the default 3 attempts per call) runs with faults on, between two fault-free diagnoses. A verdict is correct when
/// it equals the fault-free verdict before or after its run (a scenario that never settles, such as out-of-memory's
/// crash loop, still changes now and then), incomplete when the report says it has a gap, wrong when it is complete
/// and equals neither (or says Healthy when neither does), and an error when an error came instead of a report.
/// </summary>
public static class FaultedDiagnoses
{
    private const double ThrottleRate = 0.3;
    private const double ServerErrorRate = 0.05;

    /// <summary>How long the fault-free verdicts must stay the same before they count as settled.</summary>
    private static readonly TimeSpan SettledFor = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan SettleLimit = TimeSpan.FromMinutes(4);

    /// <summary>Runs <paramref name="diagnoses"/> diagnoses over every shipped scenario, or only over <paramref name="only"/> when named.</summary>
    public static async Task RunAsync(int diagnoses, int seed, string? only)
    {
        Console.WriteLine(Figures.MachineLoad);
        await using var sandbox = await SandboxProcess.StartAsync("healthy");
        var scenarios = only is null ? await sandbox.ScenariosAsync() : [only];
        Console.WriteLine($"sandbox at {sandbox.Url}; {diagnoses} diagnoses over {scenarios.Count} scenarios; faults on every service: {Faults("<seed>")}");
        Console.WriteLine($"each diagnosis has its own fault seed ({seed} + 100 x scenario + diagnosis); the world clock runs at speed 1 while faults are on, {SandboxOptions.DefaultSpeed} otherwise");
        using (var session = SandboxSession.Create(sandbox.Url))
        {
            Console.WriteLine($"engine: {session.MaxAttempts} attempts per call (the standard retry mode's default), real backoff delays");
        }

        Console.WriteLine();
        Console.WriteLine($"{"scenario",-22} {"verdicts",8} {"correct",7} {"incomplete",10} {"wrong",5} {"errors",6} {"moved",5} {"attempts",8} {"throttled",9} {"5xx",4}  settled verdict (without faults)");
        var total = new Tally();
        var notes = new List<string>();
        for (var i = 0; i < scenarios.Count; i++)
        {
            var scenario = scenarios[i];
            var runs = diagnoses / scenarios.Count + (i < diagnoses % scenarios.Count ? 1 : 0);
            await sandbox.LoadScenarioAsync(scenario); // also clears the faults
            var clusters = await ClustersAsync(sandbox.Url);
            var (settledVerdicts, settled) = await SettleAsync(sandbox.Url, clusters);
            if (!settled)
            {
                notes.Add($"{scenario}: the fault-free verdicts did not stay the same for {SettledFor.TotalSeconds:0} s within {SettleLimit.TotalMinutes:0} min (the last ones are shown)");
            }

            await sandbox.SetClockSpeedAsync(1);
            var tally = new Tally();
            var before = settledVerdicts;
            for (var run = 0; run < runs; run++)
            {
                var cluster = clusters[run % clusters.Count];
                await sandbox.SetFaultsAsync(Faults((seed + 100 * i + run).ToString(CultureInfo.InvariantCulture)));
                var outcome = await DiagnoseUnderFaultsAsync(sandbox.Url, cluster);
                var struck = await sandbox.InjectedFaultsAsync();
                await sandbox.ClearFaultsAsync();
                var after = await DiagnoseAsync(sandbox.Url, clusters);

                tally.Attempts += outcome.Attempts;
                tally.Throttled += struck.Count(f => string.Equals((string?)f!["kind"], nameof(FaultKind.Throttle), StringComparison.OrdinalIgnoreCase));
                tally.ServerErrors += struck.Count(f => string.Equals((string?)f!["kind"], nameof(FaultKind.Error), StringComparison.OrdinalIgnoreCase));
                Judge(scenario, cluster, outcome, before, after, tally, notes);
                before = after;
            }

            await sandbox.SetClockSpeedAsync(SandboxOptions.DefaultSpeed);
            PrintRow(scenario, tally, Describe(settledVerdicts));
            total.Add(tally);
        }

        PrintRow("total", total, "");
        Console.WriteLine($"diagnoses: {diagnoses}; a verdict is one service's report (or the error in its place); moved: verdicts whose service changed between the fault-free diagnoses around the run");
        Console.WriteLine($"errors by kind: {(total.ErrorIds.Count == 0 ? "none" : string.Join(", ", total.ErrorIds.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} x{e.Value}")))}");
        foreach (var note in notes)
        {
            Console.WriteLine("note: " + note);
        }

        Console.WriteLine(Figures.MachineLoad);
    }

    private static string Faults(string seed) =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"seed": {{seed}}, "rules": [{"service": "*", "kind": "throttle", "rate": {{ThrottleRate}}}, {"service": "*", "kind": "error", "status": 500, "rate": {{ServerErrorRate}}}]}""");

    private static void PrintRow(string scenario, Tally t, string reference) =>
        Console.WriteLine($"{scenario,-22} {t.Verdicts,8} {t.Correct,7} {t.Incomplete,10} {t.Wrong,5} {t.Errors,6} {t.Moved,5} {t.Attempts,8} {t.Throttled,9} {t.ServerErrors,4}  {reference}");

    /// <summary>A service's verdict: its report's status and category, or the error in its place.</summary>
    private sealed record Verdict(string Key, bool Complete, bool Healthy)
    {
        public static Verdict Of(ItemOutcome<DeploymentHealthReport> outcome) => outcome.Value is { } report
            ? new Verdict($"{report.Status}/{report.Category}", report.Complete, report.Status == nameof(HealthStatus.Healthy))
            : Error(outcome.Error!.ErrorId);

        public static Verdict Error(string errorId) => new("error " + errorId, Complete: true, Healthy: false);

        public bool IsError => Key.StartsWith("error ", StringComparison.Ordinal);

        public override string ToString() => Complete ? Key : Key + " (incomplete)";
    }

    private sealed class Tally
    {
        public int Correct;
        public int Incomplete;
        public int Wrong;
        public int Errors;
        public int Moved;
        public int Attempts;
        public int Throttled;
        public int ServerErrors;

        public Dictionary<string, int> ErrorIds { get; } = new(StringComparer.Ordinal);

        public int Verdicts => Correct + Incomplete + Wrong + Errors;

        public void CountError(string key, int count = 1)
        {
            Errors += count;
            ErrorIds[key] = ErrorIds.GetValueOrDefault(key) + count;
        }

        public void Add(Tally other)
        {
            Correct += other.Correct;
            Incomplete += other.Incomplete;
            Wrong += other.Wrong;
            Moved += other.Moved;
            Attempts += other.Attempts;
            Throttled += other.Throttled;
            ServerErrors += other.ServerErrors;
            foreach (var (id, count) in other.ErrorIds)
            {
                CountError(id, count);
            }
        }
    }

    private static string Describe(IReadOnlyDictionary<(string Cluster, string Service), Verdict> verdicts) =>
        string.Join(", ", verdicts.OrderBy(v => v.Key).Select(v => $"{v.Key.Service} {v.Value}"));

    private static async Task<IReadOnlyList<string>> ClustersAsync(Uri sandbox)
    {
        using var session = SandboxSession.Create(sandbox);
        return (await session.Ecs.ListClustersAsync()).Select(AwsArn.LastSegment).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every service's verdict, one fault-free Get-DeploymentHealth run per cluster.</summary>
    private static async Task<Dictionary<(string Cluster, string Service), Verdict>> DiagnoseAsync(Uri sandbox, IReadOnlyList<string> clusters)
    {
        var verdicts = new Dictionary<(string, string), Verdict>();
        foreach (var cluster in clusters)
        {
            using var session = SandboxSession.Create(sandbox);
            foreach (var outcome in await new DeploymentHealthInspector(session, NullOperationObserver.Instance).InspectAsync(new HealthInspectionRequest { Cluster = cluster }, default))
            {
                verdicts[(cluster, ServiceOf(outcome))] = Verdict.Of(outcome);
            }
        }

        return verdicts;
    }

    private static string ServiceOf(ItemOutcome<DeploymentHealthReport> outcome) => outcome.Value?.Service ?? outcome.Error!.Target?.ToString() ?? "";

    /// <summary>Diagnoses without faults until every verdict is complete and has stayed the same for <see cref="SettledFor"/>.</summary>
    private static async Task<(Dictionary<(string Cluster, string Service), Verdict> Verdicts, bool Settled)> SettleAsync(Uri sandbox, IReadOnlyList<string> clusters)
    {
        var clock = Stopwatch.StartNew();
        var stableSince = TimeSpan.Zero;
        Dictionary<(string, string), Verdict>? last = null;
        while (clock.Elapsed < SettleLimit)
        {
            var now = await DiagnoseAsync(sandbox, clusters);
            if (last is null || !Same(now, last) || now.Values.Any(v => !v.Complete))
            {
                stableSince = clock.Elapsed;
            }
            else if (clock.Elapsed - stableSince >= SettledFor)
            {
                return (now, true);
            }

            last = now;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return (last!, false);
    }

    private static bool Same(IReadOnlyDictionary<(string, string), Verdict> one, IReadOnlyDictionary<(string, string), Verdict> other) =>
        one.Count == other.Count && one.All(v => other.GetValueOrDefault(v.Key) == v.Value);

    /// <summary>One run's outcomes, or the error that stopped it (nothing could work), and the HTTP attempts it made.</summary>
    private sealed record FaultedRun(IReadOnlyList<ItemOutcome<DeploymentHealthReport>> Outcomes, DeployOpsError? Stopped, int Attempts);

    /// <summary>One Get-DeploymentHealth run of <paramref name="cluster"/>, its own session, while faults are on.</summary>
    private static async Task<FaultedRun> DiagnoseUnderFaultsAsync(Uri sandbox, string cluster)
    {
        using var session = SandboxSession.Create(sandbox);
        try
        {
            var outcomes = await new DeploymentHealthInspector(session, NullOperationObserver.Instance).InspectAsync(new HealthInspectionRequest { Cluster = cluster }, default);
            return new FaultedRun(outcomes, null, session.Calls.TotalAttempts);
        }
        catch (DeployOpsException ex)
        {
            return new FaultedRun([], ex.Error, session.Calls.TotalAttempts);
        }
    }

    /// <summary>Tallies each service of <paramref name="cluster"/> the fault-free diagnoses around the run know.</summary>
    private static void Judge(
        string scenario, string cluster, FaultedRun run,
        IReadOnlyDictionary<(string Cluster, string Service), Verdict> before, IReadOnlyDictionary<(string Cluster, string Service), Verdict> after,
        Tally tally, List<string> notes)
    {
        var reports = run.Outcomes.Select(o => o.Value).OfType<DeploymentHealthReport>().ToDictionary(r => r.Service, StringComparer.Ordinal);
        var byService = run.Outcomes.ToDictionary(ServiceOf, Verdict.Of);
        // A cluster that could not be listed is one error outcome in place of every service; a stopped run, the same.
        var inPlaceOfAll = run.Stopped is { } stopped ? Verdict.Error(stopped.ErrorId)
            : run.Outcomes.Count == 1 && run.Outcomes[0].Error is not null ? Verdict.Of(run.Outcomes[0]) : null;
        foreach (var key in before.Keys.Union(after.Keys).Where(k => k.Cluster == cluster))
        {
            var correct = new[] { before.GetValueOrDefault(key), after.GetValueOrDefault(key) }.OfType<Verdict>().Distinct().ToList();
            tally.Moved += correct.Count > 1 ? 1 : 0;
            var got = byService.GetValueOrDefault(key.Service) ?? inPlaceOfAll;
            if (got is null || (got.IsError && !correct.Contains(got)))
            {
                tally.CountError(got?.Key ?? "no outcome");
            }
            else if (got.Healthy && !correct.Any(c => c.Healthy))
            {
                tally.Wrong++;
                notes.Add(Wrong(scenario, key.Service, got, correct, reports));
            }
            else if (!got.Complete)
            {
                tally.Incomplete++;
            }
            else if (correct.Contains(got))
            {
                tally.Correct++;
            }
            else
            {
                tally.Wrong++;
                notes.Add(Wrong(scenario, key.Service, got, correct, reports));
            }
        }
    }

    /// <summary>A wrong verdict, with the report's checks that did not pass, so it can be traced.</summary>
    private static string Wrong(string scenario, string service, Verdict got, IEnumerable<Verdict> correct, IReadOnlyDictionary<string, DeploymentHealthReport> reports) =>
        $"{scenario} {service}: wrong verdict {got}, the fault-free ones around it: {string.Join(" / ", correct)}; its checks: " +
        string.Join("; ", reports[service].Checks.Where(c => c.Outcome is not (nameof(CheckOutcome.Pass) or nameof(CheckOutcome.Skipped))));
}
