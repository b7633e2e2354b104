using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Aws.Protocols;

/// <summary>Batching shared by the typed clients: describe calls that take a bounded list of names or ids.</summary>
public static class AwsPaging
{
    /// <summary>
    /// Splits <paramref name="items"/> (duplicates removed) into batches of at most <paramref name="batchSize"/>, calls
    /// them concurrently (the session's request limit bounds how many run at once) and returns the results in batch
    /// order. The first failure cancels the batches still running and is the one thrown.
    /// </summary>
    public static async Task<IReadOnlyList<TResult>> BatchAsync<TItem, TResult>(
        IReadOnlyList<TItem> items,
        int batchSize,
        Func<IReadOnlyList<TItem>, CancellationToken, Task<TResult>> callBatch,
        CancellationToken cancellationToken)
    {
        var distinct = items.Distinct().ToList();
        var batches = Enumerable.Range(0, (distinct.Count + batchSize - 1) / batchSize)
            .Select(index => (IReadOnlyList<TItem>)distinct.Skip(index * batchSize).Take(batchSize).ToList())
            .ToList();
        using var firstFailure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = batches.Select(batch => CallAsync(batch)).ToList();
        try
        {
            return await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested && running.Any(IsRealFailure))
        {
            // Batches cancelled because another failed must not hide that failure.
            ExceptionDispatchInfo.Capture(running.First(IsRealFailure).Exception!.InnerException!).Throw();
            throw;
        }

        async Task<TResult> CallAsync(IReadOnlyList<TItem> batch)
        {
            try
            {
                return await callBatch(batch, firstFailure.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                firstFailure.Cancel();
                throw;
            }
        }
    }

    /// <summary><see cref="BatchAsync"/> for calls that each return a list: the lists, concatenated in batch order.</summary>
    public static async Task<IReadOnlyList<T>> CollectBatchesAsync<TItem, T>(
        IReadOnlyList<TItem> items,
        int batchSize,
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<T>>> callBatch,
        CancellationToken cancellationToken)
    {
        var batches = await BatchAsync(items, batchSize, callBatch, cancellationToken).ConfigureAwait(false);
        return batches.SelectMany(batch => batch).ToList();
    }

    private static bool IsRealFailure(Task task) =>
        task.IsFaulted && task.Exception!.InnerException is not OperationCanceledException;
}
