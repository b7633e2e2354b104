using System;
using System.Diagnostics;

namespace DeployOps.Storage;

/// <summary>Whether a process named in a store file (a lock's owner, a sender, a monitor) is still running.</summary>
public static class ProcessLiveness
{
    /// <summary>True while the process <paramref name="processId"/> on this machine runs.</summary>
    public static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// True unless the process is known to be gone: one on another machine (<paramref name="host"/>) cannot be checked, so
    /// it counts as running (its lease or heartbeat age decides).
    /// </summary>
    public static bool MayBeRunning(string host, int processId) => host != Environment.MachineName || IsRunning(processId);
}
