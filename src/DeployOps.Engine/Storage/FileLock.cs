using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Storage;

/// <summary>
/// A lock between processes on one file: <c>&lt;file&gt;.lock</c> held open without sharing for as long as the lock is
/// held. The operating system keeps the lock (an exclusive flock on Unix, a share-none handle on Windows) and frees it
/// when the holder closes it or dies, so a crashed process never leaves a lock to take over, and nothing decides by path
/// who owns it. The lock file stays in place between holders; <c>&lt;file&gt;.lock.owner</c> names the last owner (host,
/// process id, time) for the timeout message, since the held file cannot be read by others.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream)
    {
        _stream = stream;
    }

    /// <summary>The lock file guarding <paramref name="path"/>.</summary>
    public static string LockPathOf(string path) => path + ".lock";

    /// <summary>
    /// Takes the lock on <paramref name="path"/>, waiting up to <paramref name="timeout"/>; throws
    /// <see cref="TimeoutException"/> naming the lock file and its last owner when it stays held.
    /// </summary>
    public static async Task<FileLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var lockPath = LockPathOf(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(lockPath))!);
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            if (TryOpen(lockPath) is { } stream)
            {
                return new FileLock(stream);
            }

            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"The lock '{lockPath}' is still held after {timeout.TotalSeconds:0.#} s (last owner: {Owner(lockPath)}).");
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(100, delay.TotalMilliseconds * 2));
        }
    }

    /// <summary>Releases the lock (the file stays for the next holder).</summary>
    public void Dispose() => _stream.Dispose();

    /// <summary>The lock file opened without sharing, its content replaced by this owner; null while another handle holds it.</summary>
    private static FileStream? TryOpen(string lockPath)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException) when (File.Exists(lockPath))
        {
            return null; // Windows: a file being deleted or held in a way that refuses access
        }

        try
        {
            File.WriteAllText(OwnerPathOf(lockPath), string.Join(" ", Environment.MachineName, Process.GetCurrentProcess().Id.ToString(CultureInfo.InvariantCulture),
                DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)), Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only the timeout message of another process reads it.
        }

        return stream;
    }

    private static string OwnerPathOf(string lockPath) => lockPath + ".owner";

    private static string Owner(string lockPath)
    {
        try
        {
            var parts = File.ReadAllText(OwnerPathOf(lockPath)).Split(' ');
            return parts.Length == 3 ? $"process {parts[1]} on {parts[0]}" : "unknown";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}
