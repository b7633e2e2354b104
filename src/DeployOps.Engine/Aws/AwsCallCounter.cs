using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace DeployOps.Aws;

/// <summary>Calls and HTTP attempts for one <c>service:operation</c>.</summary>
/// <param name="Service">The service id, e.g. <c>ECS</c>.</param>
/// <param name="Operation">The operation, e.g. <c>DescribeServices</c>.</param>
/// <param name="Calls">Logical calls: one per page or batch, whatever its retries.</param>
/// <param name="Attempts">HTTP requests sent, retries included.</param>
public sealed record AwsCallCount(string Service, string Operation, int Calls, int Attempts)
{
    /// <summary><c>service:operation</c>.</summary>
    public string Key => Service + ":" + Operation;
}

/// <summary>Counts a session's API calls per <c>service:operation</c>, so a benchmark can say what a diagnosis cost. Thread-safe.</summary>
public sealed class AwsCallCounter
{
    private readonly ConcurrentDictionary<string, Tally> _tallies = new();

    /// <summary>Logical calls over all operations.</summary>
    public int TotalCalls => _tallies.Values.Sum(t => Volatile.Read(ref t.Calls));

    /// <summary>HTTP attempts over all operations.</summary>
    public int TotalAttempts => _tallies.Values.Sum(t => Volatile.Read(ref t.Attempts));

    /// <summary>The count for one operation (zeros when it was never called).</summary>
    public AwsCallCount Get(string service, string operation) =>
        _tallies.TryGetValue(Key(service, operation), out var tally)
            ? tally.ToCount()
            : new AwsCallCount(service, operation, 0, 0);

    /// <summary>All counts, ordered by key.</summary>
    public IReadOnlyList<AwsCallCount> Snapshot() =>
        _tallies.OrderBy(pair => pair.Key, System.StringComparer.Ordinal).Select(pair => pair.Value.ToCount()).ToList();

    internal void RecordCall(string service, string operation) => Interlocked.Increment(ref TallyFor(service, operation).Calls);

    internal void RecordAttempt(string service, string operation) => Interlocked.Increment(ref TallyFor(service, operation).Attempts);

    private Tally TallyFor(string service, string operation) =>
        _tallies.GetOrAdd(Key(service, operation), _ => new Tally(service, operation));

    private static string Key(string service, string operation) => service + ":" + operation;

    private sealed class Tally
    {
        public int Calls;
        public int Attempts;

        public Tally(string service, string operation)
        {
            Service = service;
            Operation = operation;
        }

        public string Service { get; }

        public string Operation { get; }

        public AwsCallCount ToCount() => new(Service, Operation, Volatile.Read(ref Calls), Volatile.Read(ref Attempts));
    }
}
