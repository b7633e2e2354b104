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
            case "task-failure":
                await TaskFailureAnalysis.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100, rounds: 5);
                return 0;
            default:
                Console.Error.WriteLine("Usage: DeployOps.Benchmarks sandbox-resources [services] | sandbox-timings | health-diagnosis [services]");
                return 2;
        }
    }
}
