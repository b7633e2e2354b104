using System;
using System.Threading.Tasks;

namespace DeployOps.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/DeployOps.Benchmarks -- &lt;benchmark&gt;</c>. Each benchmark
/// prints its figures; none asserts a threshold (targets are read by people, not by CI).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.Length == 0 ? "" : args[0])
        {
            case "health-diagnosis":
                await HealthDiagnosis.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20, rounds: 5);
                return 0;
            case "sandbox-timings":
                await SandboxTimings.RunAsync();
                return 0;
            case "sandbox-resources":
                await SandboxResources.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20);
                return 0;
            // Issue 7's benchmarks.
            case "sweep":
                await Sweep.RunAsync(services: Number(args, 1, 200), clusters: Number(args, 2, 4), cliServices: Number(args, 3, 8), rounds: 5);
                return 0;
            case "faults":
                await FaultedDiagnoses.RunAsync(diagnoses: Number(args, 1, 100), seed: Number(args, 2, 7), only: args.Length > 3 ? args[3] : null);
                return 0;
            case "lost-answers":
                await LostAnswers.RunAsync(runs: Number(args, 1, 100), rate: 0.3, seed: Number(args, 2, 5));
                return 0;
            case "import":
                await ModuleImport.RunAsync(runs: Number(args, 1, 10));
                return 0;
            // Issue 10's benchmarks.
            case "estimate-accuracy":
                await DeploymentEstimateAccuracy.RunAsync();
                return 0;
            // Issue 11's benchmarks.
            case "lightsail-publish":
                await LightsailPublish.RunAsync(Number(args, 1, 5));
                return 0;
            // Issue 8's benchmarks.
            case "rollback":
                await RollbackTiming.RunAsync(Number(args, 1, 3));
                return 0;
            case "task-failure":
                await TaskFailureAnalysis.RunAsync(Number(args, 1, 100), rounds: 5);
                return 0;
            // Issue 10's coordination benchmarks.
            case "registry-concurrency":
                await RegistryConcurrency.RunAsync(Number(args, 1, 8), Number(args, 2, 200));
                return 0;
            case RegistryConcurrency.WriterVerb:
                return await RegistryConcurrency.WriteAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
            case "monitor-outage":
                await MonitorOutage.RunAsync();
                return 0;
            case MonitorOutage.RunVerb:
                return await MonitorOutage.MonitorAsync(args[1], args[2], args[3]);
            // Issue 9a's benchmark.
            case "load-balancer":
                await LoadBalancerDiagnosis.RunAsync(Number(args, 1, 5));
                return 0;
            default:
                Console.Error.WriteLine("Usage: DeployOps.Benchmarks <verb> [arguments]");
                Console.Error.WriteLine("  sandbox-resources [services] | sandbox-timings | health-diagnosis [services]");
                Console.Error.WriteLine("  sweep [services clusters cli-services] | faults [diagnoses seed [scenario]] | lost-answers [runs seed] | import [runs]");
                Console.Error.WriteLine("  rollback [rounds] | task-failure [tasks] | estimate-accuracy | lightsail-publish [runs] | registry-concurrency [writers operations] | monitor-outage");
                Console.Error.WriteLine("  load-balancer [rounds]");
                return 2;
        }
    }

    /// <summary>The whole number at <paramref name="index"/> of the arguments, or <paramref name="fallback"/> when there is none.</summary>
    private static int Number(string[] args, int index, int fallback) =>
        args.Length > index ? int.Parse(args[index], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
