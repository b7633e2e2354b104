using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Testing;

namespace DeployOps.Engine.Tests.Support;

/// <summary>Sessions pointed at a test's moto, with an empty environment and no machine credentials.</summary>
internal static class MotoSessions
{
    public const string Region = "us-east-1";

    /// <summary>moto's default account.</summary>
    public const string Account = "123456789012";

    public static AwsSession Create(MotoFixture moto, RecordingDelay? delay = null) =>
        AwsSession.Create(
            new AwsSessionOptions
            {
                Region = Region,
                EndpointUrl = moto.Url.ToString(),
                Credential = new BasicAWSCredentials("testing", "testing"),
            },
            Runtime(new FixedAwsEnvironment(), delay));

    /// <summary>A runtime that reads only <paramref name="environment"/>, probes no machine credentials and never sleeps.</summary>
    public static AwsRuntime Runtime(IAwsEnvironment environment, RecordingDelay? delay = null) =>
        Runtime(environment, (delay ?? new RecordingDelay()).WaitAsync);

    public static AwsRuntime Runtime(IAwsEnvironment environment, Func<TimeSpan, CancellationToken, Task> delay) => new()
    {
        Environment = environment,
        MachineCredentials = NoMachineCredentials.Instance,
        Delay = delay,
    };

    /// <summary>A unique lower-case name for a test's resources (tests share one moto per class).</summary>
    public static string UniqueName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N").Substring(0, 10);
}

/// <summary>A retry delay that records what it was asked to wait and returns at once.</summary>
internal sealed class RecordingDelay
{
    public ConcurrentQueue<TimeSpan> Requested { get; } = new();

    public Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Requested.Enqueue(delay);
        return Task.CompletedTask;
    }
}
