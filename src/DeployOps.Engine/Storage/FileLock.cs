using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Storage;

/// <summary>
/// A lock between processes on one file (<c>&lt;file&gt;.lock</c>, created exclusively). Its content names the owner
/// (host, process id, time), so a lock left by a process that died is taken over: when its owner on this host is gone,
/// or when it is older than the stale age whatever its owner (another host, a hung process).
/// </summary>
public sealed class FileLock : IDisposable
{
    /// <summary>A lock older than this is stale by default.</summary>
    public static readonly TimeSpan DefaultStaleAge = TimeSpan.FromMinutes(2);

    private readonly string _lockPath;
    private bool _released;

    private FileLock(string lockPath)
    {
        _lockPath = lockPath;
    }

    /// <summary>The lock file guarding <paramref name="path"/>.</summary>
    public static string LockPathOf(string path) => path + ".lock";

    /// <summary>
    /// Takes the lock on <paramref name="path"/>, waiting up to <paramref name="timeout"/>; throws
    /// <see cref="TimeoutException"/> naming the lock file and its owner when it stays held.
    /// </summary>
    public static async Task<FileLock> AcquireAsync(string path, TimeSpan timeout, TimeSpan? staleAge = null, CancellationToken cancellationToken = default)
    {
        var lockPath = LockPathOf(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(lockPath))!);
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            if (TryCreate(lockPath))
            {
                return new FileLock(lockPath);
            }

            if (IsStale(lockPath, staleAge ?? DefaultStaleAge))
            {
                TryDelete(lockPath);
                continue;
            }

            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"The lock '{lockPath}' is still held after {timeout.TotalSeconds:0.#} s (owner: {Owner(lockPath)}).");
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(100, delay.TotalMilliseconds * 2));
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        if (!_released)
        {
            _released = true;
            TryDelete(_lockPath);
        }
    }

    private static bool TryCreate(string lockPath)
    {
        try
        {
            using var stream = new FileStream(lockPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            using var writer = new StreamWriter(stream);
            writer.Write(string.Join(" ", Environment.MachineName, Process.GetCurrentProcess().Id.ToString(CultureInfo.InvariantCulture),
                DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
            return true;
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            return false;
        }
    }

    /// <summary>A lock whose owner on this host has exited, or older than the stale age.</summary>
    private static bool IsStale(string lockPath, TimeSpan staleAge)
    {
        string[] parts;
        try
        {
            parts = File.ReadAllText(lockPath).Split(' ');
        }
        catch (IOException)
        {
            return false; // being written or just removed: look again
        }

        if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var takenAt))
        {
            // Half written by a process that died mid-write, or not ours: stale once old enough.
            return DateTime.UtcNow - File.GetLastWriteTimeUtc(lockPath) > staleAge;
        }

        if (DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeMilliseconds(takenAt) > staleAge)
        {
            return true;
        }

        return int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) && !ProcessLiveness.MayBeRunning(parts[0], pid);
    }

    private static string Owner(string lockPath)
    {
        try
        {
            var parts = File.ReadAllText(lockPath).Split(' ');
            return parts.Length == 3 ? $"process {parts[1]} on {parts[0]}" : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static void TryDelete(string lockPath)
    {
        try
        {
            File.Delete(lockPath);
        }
        catch (IOException)
        {
            // Someone else removed or took it; the next attempt sees which.
        }
    }
}
