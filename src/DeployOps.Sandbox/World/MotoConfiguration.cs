using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using Microsoft.Extensions.Logging;

namespace DeployOps.Sandbox.World;

/// <summary>
/// The world's copy of moto's configuration, one <see cref="ConfigSnapshot"/> per region the world has seen. moto is the
/// authority; a write that passes through the sandbox marks the copy stale (<see cref="Invalidate"/>), and the next
/// <see cref="RefreshAsync"/> re-reads it (so does one after <see cref="ConfigSnapshot.MaxAge"/>, in case someone changed
/// moto directly). Readers never wait: <see cref="Snapshot"/> returns the last complete read.
/// </summary>
public sealed class MotoConfiguration : IDisposable
{
    private readonly MotoClient _moto;
    private readonly ILogger _log;

    // One refresh at a time (the tick, the state endpoint, a reset), so an older read of moto never overwrites a newer one.
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private ImmutableDictionary<string, ConfigSnapshot> _snapshots = ImmutableDictionary.Create<string, ConfigSnapshot>(StringComparer.Ordinal);
    private ImmutableHashSet<string> _regions = ImmutableHashSet.Create(StringComparer.Ordinal, "us-east-1");
    private int _stale = 1;
    private DateTime _readAt = DateTime.MinValue;

    public MotoConfiguration(MotoClient moto, ILogger log)
    {
        _moto = moto;
        _log = log;
    }

    /// <summary>The last configuration read for <paramref name="region"/> (empty before the first read).</summary>
    public ConfigSnapshot Snapshot(string region) => Volatile.Read(ref _snapshots).GetValueOrDefault(region) ?? ConfigSnapshot.Empty;

    /// <summary>The last configuration read of every region.</summary>
    public IEnumerable<ConfigSnapshot> All => Volatile.Read(ref _snapshots).Values;

    /// <summary>Something in <paramref name="region"/> changed: re-read moto before the next step.</summary>
    public void Invalidate(string region)
    {
        ImmutableInterlocked.Update(ref _regions, regions => regions.Add(region));
        Interlocked.Exchange(ref _stale, 1);
    }

    /// <summary>Re-reads moto when a write made the copy stale (or it is older than <see cref="ConfigSnapshot.MaxAge"/>); <paramref name="onRead"/> hears of each region read.</summary>
    public async Task RefreshAsync(Action<string, ConfigSnapshot> onRead, CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Read under the gate: a refresh that cleared the flag has finished, so its snapshot is no older than the last write.
            var old = DateTime.UtcNow - _readAt > ConfigSnapshot.MaxAge;
            if (Interlocked.Exchange(ref _stale, 0) == 0 && !old)
            {
                return;
            }

            _readAt = DateTime.UtcNow;
            foreach (var region in Volatile.Read(ref _regions))
            {
                ConfigSnapshot snapshot;
                try
                {
                    snapshot = await ConfigSnapshot.ReadAsync(_moto, region, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is MotoException or HttpRequestException)
                {
                    _log.LogWarning("Reading moto's configuration for {Region} failed: {Message}", region, ex.Message);
                    if (ex is MotoCallException)
                    {
                        // A refusal may pass: try again next step. A broken or silent moto is tried again after MaxAge (or the next write), not every step.
                        Interlocked.Exchange(ref _stale, 1);
                    }

                    continue;
                }

                ImmutableInterlocked.Update(ref _snapshots, snapshots => snapshots.SetItem(region, snapshot));
                onRead(region, snapshot);
            }
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>
    /// Forgets every snapshot and starts over with <paramref name="region"/>; <paramref name="resetWorld"/> runs while no
    /// refresh can run, so that no read of the old account lands after the reset.
    /// </summary>
    public async Task ResetAsync(string region, Func<Task> resetWorld)
    {
        await _refreshGate.WaitAsync().ConfigureAwait(false);
        try
        {
            Volatile.Write(ref _snapshots, _snapshots.Clear());
            Volatile.Write(ref _regions, ImmutableHashSet.Create(StringComparer.Ordinal, region));
            await resetWorld().ConfigureAwait(false);
            Interlocked.Exchange(ref _stale, 1);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    public void Dispose() => _refreshGate.Dispose();
}
