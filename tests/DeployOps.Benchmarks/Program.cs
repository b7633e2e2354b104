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
            case "registry-concurrency":
                await RegistryConcurrency.RunAsync(
                    args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 8,
                    args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200);
                return 0;
            case RegistryConcurrency.WriterVerb:
                return await RegistryConcurrency.WriteAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
            case "monitor-outage":
                await MonitorOutage.RunAsync();
                return 0;
            case MonitorOutage.RunVerb:
                return await MonitorOutage.MonitorAsync(args[1], args[2], args[3]);
            default:
                Console.Error.WriteLine("Usage: DeployOps.Benchmarks sandbox-resources [services] | sandbox-timings | health-diagnosis [services] | registry-concurrency [writers] [operations] | monitor-outage");
                return 2;
        }
    }
}
