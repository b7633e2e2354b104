using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Operations;

namespace DeployOps.Commands;

/// <summary>What kind of engine report a <see cref="PumpMessage"/> carries.</summary>
internal enum PumpMessageKind
{
    Verbose,
    Warning,
    Progress,

    /// <summary>An object for the pipeline (a followed log line).</summary>
    Output,
}

/// <summary>One report the engine made from some thread, waiting to be written on the pipeline thread.</summary>
internal sealed class PumpMessage
{
    private PumpMessage(PumpMessageKind kind, string text, OperationProgress? progress, object? item = null)
    {
        Kind = kind;
        Text = text;
        Progress = progress;
        Item = item;
    }

    public PumpMessageKind Kind { get; }

    /// <summary>The verbose or warning text (empty for progress).</summary>
    public string Text { get; }

    /// <summary>The progress report (null for verbose and warning).</summary>
    public OperationProgress? Progress { get; }

    /// <summary>The object to write to the pipeline (output only).</summary>
    public object? Item { get; }

    public static PumpMessage Verbose(string text) => new(PumpMessageKind.Verbose, text ?? string.Empty, null);

    public static PumpMessage Warning(string text) => new(PumpMessageKind.Warning, text ?? string.Empty, null);

    public static PumpMessage ForProgress(OperationProgress progress) => new(PumpMessageKind.Progress, string.Empty, progress);

    public static PumpMessage ForOutput(object item) => new(PumpMessageKind.Output, string.Empty, null, item);
}

/// <summary>
/// Runs engine work off the pipeline thread while the pipeline thread writes what the engine reports.
/// <para>
/// PowerShell allows WriteVerbose, WriteWarning, WriteProgress (and WriteObject, WriteError, ShouldProcess) only
/// on the pipeline thread, but the engine is async and reports through <see cref="IOperationObserver"/> from
/// whatever thread it is on. The pump is that observer: it queues each report, and <see cref="Run{T}"/> blocks the
/// calling (pipeline) thread, handing it every queued report as it arrives, until the work ends.
/// </para>
/// <para>
/// No PowerShell type appears here, so xunit tests it (tests/DeployOps.Commands.Tests); the base cmdlet supplies
/// the delegate that writes a message.
/// </para>
/// </summary>
internal sealed class OperationPump : IOperationObserver
{
    private readonly object _gate = new();
    private readonly Queue<PumpMessage> _queue = new();

    /// <inheritdoc />
    public void Verbose(string message) => Post(PumpMessage.Verbose(message));

    /// <inheritdoc />
    public void Warning(string message) => Post(PumpMessage.Warning(message));

    /// <inheritdoc />
    public void Progress(OperationProgress progress) => Post(PumpMessage.ForProgress(progress));

    /// <summary>Queues an object the pipeline thread writes as output, in order with the reports (work that streams results).</summary>
    public void Output(object item) => Post(PumpMessage.ForOutput(item));

    /// <summary>
    /// Starts <paramref name="work"/> on the thread pool and, on the calling thread, passes each queued report to
    /// <paramref name="deliver"/> until the work ends; then returns its result, or rethrows its exception as it was
    /// thrown (never wrapped in an AggregateException). Once <paramref name="cancellationToken"/> is cancelled
    /// (Ctrl-C) it stops waiting at once and throws <see cref="OperationCanceledException"/>, even if the work has not
    /// noticed yet; the work is left to observe the same token.
    /// </summary>
    public T Run<T>(Func<CancellationToken, Task<T>> work, Action<PumpMessage> deliver, CancellationToken cancellationToken)
    {
        // Task.Run: the work's continuations never come back to the pipeline thread, which is blocked below.
        var task = Task.Run(() => work(cancellationToken), cancellationToken);
        task.ContinueWith(_ => Wake(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        using (cancellationToken.Register(Wake))
        {
            while (true)
            {
                PumpMessage[] batch;
                bool finished;
                lock (_gate)
                {
                    while (_queue.Count == 0 && !task.IsCompleted && !cancellationToken.IsCancellationRequested)
                    {
                        Monitor.Wait(_gate);
                    }

                    batch = _queue.ToArray();
                    _queue.Clear();

                    // Read under the lock, after taking the batch: whatever the work posted before it ended is in it.
                    finished = task.IsCompleted;
                }

                foreach (var message in batch)
                {
                    deliver(message);
                }

                if (finished)
                {
                    return task.GetAwaiter().GetResult();
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    // The abandoned work still ends (it observes the token); observe its exception so it is never unobserved.
                    task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    throw new OperationCanceledException(cancellationToken);
                }
            }
        }
    }

    private void Post(PumpMessage message)
    {
        lock (_gate)
        {
            _queue.Enqueue(message);
            Monitor.PulseAll(_gate);
        }
    }

    private void Wake()
    {
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }
}
