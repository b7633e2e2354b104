using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Errors;
using DeployOps.Operations;
using Xunit;

namespace DeployOps.Commands.Tests;

/// <summary>The pump runs engine work off the calling thread and writes its reports on the calling thread.</summary>
public class OperationPumpTests
{
    private readonly OperationPump _pump = new();

    [Fact]
    public void Reports_from_other_threads_are_delivered_in_order_on_the_calling_thread()
    {
        var caller = Environment.CurrentManagedThreadId;
        var delivered = new List<(string What, int Thread)>();
        int? workerThread = null;

        var result = _pump.Run(
            async token =>
            {
                workerThread = Environment.CurrentManagedThreadId;
                _pump.Verbose("first");
                await Task.Delay(20, token);
                _pump.Warning("second");
                await Task.Run(() => _pump.Progress(new OperationProgress(1, "Waiting", "1 of 2 running", 50, 30)), token);
                _pump.Verbose("last, just before the end");
                return 42;
            },
            message => delivered.Add((message.Kind + ":" + (message.Progress?.Status ?? message.Text), Environment.CurrentManagedThreadId)),
            CancellationToken.None);

        Assert.Equal(42, result);
        Assert.NotEqual(caller, workerThread);
        Assert.Equal(
            ["Verbose:first", "Warning:second", "Progress:1 of 2 running", "Verbose:last, just before the end"],
            delivered.ConvertAll(d => d.What));
        Assert.All(delivered, d => Assert.Equal(caller, d.Thread));
    }

    [Fact]
    public void The_work_exception_is_rethrown_unwrapped()
    {
        var error = new DeployOpsError(ErrorIds.ServiceNotFound, DeployOpsErrorKind.NotFound, "The service web was not found.", "web");

        var thrown = Assert.Throws<DeployOpsException>(() => _pump.Run<int>(
            async token =>
            {
                await Task.Yield();
                throw new DeployOpsException(error);
            },
            _ => { },
            CancellationToken.None));

        Assert.Same(error, thrown.Error);
    }

    [Fact]
    public void A_synchronous_throw_is_rethrown_unwrapped_too() =>
        Assert.Throws<InvalidOperationException>(() => _pump.Run<int>(_ => throw new InvalidOperationException("boom"), _ => { }, CancellationToken.None));

    [Fact]
    public void Cancelling_ends_the_wait_at_once_even_when_the_work_ignores_the_token()
    {
        using var cancellation = new CancellationTokenSource();
        using var release = new ManualResetEventSlim();
        var clock = Stopwatch.StartNew();
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(100));

        Assert.ThrowsAny<OperationCanceledException>(() => _pump.Run(
            _ => Task.Run(() =>
            {
                release.Wait(TimeSpan.FromSeconds(30));
                return 1;
            }),
            _ => { },
            cancellation.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the pump waited {clock.Elapsed} after Ctrl-C");
        release.Set();
    }

    [Fact]
    public void Reports_keep_flowing_while_the_work_runs()
    {
        var seen = new List<string>();
        using var firstSeen = new ManualResetEventSlim();

        _pump.Run(
            async token =>
            {
                _pump.Verbose("while running");

                // The work only finishes once the calling thread has written its first report.
                await Task.Run(() => firstSeen.Wait(TimeSpan.FromSeconds(30)), token);
                return firstSeen.IsSet;
            },
            message =>
            {
                seen.Add(message.Text);
                firstSeen.Set();
            },
            CancellationToken.None);

        Assert.True(firstSeen.IsSet);
        Assert.Equal(["while running"], seen);
    }
}
