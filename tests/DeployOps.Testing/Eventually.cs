using System;
using System.Diagnostics;
using System.Threading.Tasks;

namespace DeployOps.Testing;

/// <summary>
/// Waits for a world condition. The limit is a liveness bound (generous, so a loaded CI machine
/// does not fail the test), never a performance assertion: timings belong in the benchmarks.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(90);

    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? limit = null)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        var bound = limit ?? DefaultLimit;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (clock.Elapsed > bound)
            {
                throw new TimeoutException($"Waited {bound.TotalSeconds:0} s for {what}; it did not happen.");
            }

            await Task.Delay(200);
        }
    }

    public static Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null) =>
        WaitForAsync<object>(async () => await condition() ? new object() : null, what, limit);
}
