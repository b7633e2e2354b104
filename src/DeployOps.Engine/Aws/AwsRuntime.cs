using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Configuration;
using DeployOps.Aws.Http;

namespace DeployOps.Aws;

/// <summary>
/// What a session takes from the machine: environment, machine credential sources, HTTP, the clock, delays and
/// randomness. <see cref="Default"/> is the real machine; tests swap parts so they never read the user's state or sleep.
/// </summary>
public sealed class AwsRuntime
{
    private static readonly object RandomGate = new();
    private static readonly Random SharedRandom = new();

    /// <summary>The real machine.</summary>
    public static AwsRuntime Default { get; } = new();

    /// <summary>Environment variables and the home directory.</summary>
    public IAwsEnvironment Environment { get; init; } = ProcessAwsEnvironment.Instance;

    /// <summary>The SDK credential store, container credentials and the instance profile.</summary>
    public IMachineCredentials MachineCredentials { get; init; } = SdkMachineCredentials.Instance;

    /// <summary>The HTTP client; the process-wide shared one unless replaced.</summary>
    public HttpClient HttpClient { get; init; } = AwsHttp.SharedClient;

    /// <summary>Waits before a retry; tests pass one that records instead of sleeping.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>The machine's clock; requests are signed with it (corrected by any clock skew AWS reported).</summary>
    public Func<DateTimeOffset> UtcNow { get; init; } = () => DateTimeOffset.UtcNow;

    /// <summary>Returns values in [0, 1) for retry jitter.</summary>
    public Func<double> Random { get; init; } = NextSharedDouble;

    private static double NextSharedDouble()
    {
        lock (RandomGate)
        {
            return SharedRandom.NextDouble();
        }
    }
}
