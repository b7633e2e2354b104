using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using DeployOps.Sandbox.Scenarios;

namespace DeployOps.Sandbox.Simulators.Rds;

/// <summary>
/// One Aurora cluster on the world clock: <c>available</c> or <c>stopped</c> as the scenario declares it, <c>starting</c>
/// for the scenario's start time after StartDBCluster, <c>stopping</c> for a minute after StopDBCluster. Its cluster
/// (writer) and reader endpoints are loopback addresses of their own, served by a real TCP listener on the engine's port
/// while the cluster is available and a security group of it admits that port.
/// </summary>
public sealed class AuroraCluster
{
    /// <summary>How long StopDBCluster takes, in world seconds.</summary>
    public const double StopSeconds = 60;

    public AuroraCluster(string region, AuroraClusterDefinition definition, string writerAddress, string readerAddress)
    {
        Region = region;
        Definition = definition;
        WriterAddress = writerAddress;
        ReaderAddress = readerAddress;
        StoppedSince = definition.Stopped ? double.NegativeInfinity : null;
    }

    public string Region { get; }

    public AuroraClusterDefinition Definition { get; }

    public string Identifier => Definition.Name;

    /// <summary>The cluster (writer) endpoint's address: what DescribeDBClusters reports as <c>Endpoint</c>.</summary>
    public string WriterAddress { get; }

    /// <summary>The reader endpoint's address (<c>ReaderEndpoint</c>).</summary>
    public string ReaderAddress { get; }

    /// <summary>The moto ids of its security groups, once the loader created it.</summary>
    public IReadOnlyList<string> SecurityGroupIds { get; set; } = [];

    /// <summary>The listeners serving both endpoints while it is reachable; null while closed.</summary>
    public IReadOnlyList<TcpListener>? Listeners { get; set; }

    private double? StoppedSince { get; set; }

    private double? StartedAt { get; set; }

    /// <summary>RDS's status at world time <paramref name="at"/>.</summary>
    public string StatusAt(double at)
    {
        if (StoppedSince is { } stopped)
        {
            return at < stopped + StopSeconds ? "stopping" : "stopped";
        }

        return StartedAt is { } started && at < started + Definition.StartSeconds ? "starting" : "available";
    }

    /// <summary>StartDBCluster was accepted at <paramref name="at"/>.</summary>
    public void Start(double at)
    {
        StoppedSince = null;
        StartedAt = at;
    }

    /// <summary>StopDBCluster was accepted at <paramref name="at"/>.</summary>
    public void Stop(double at)
    {
        StoppedSince = at;
        StartedAt = null;
    }

    /// <summary>Opens a listener on each endpoint; the caller keeps them in <see cref="Listeners"/>.</summary>
    public IReadOnlyList<TcpListener> OpenListeners()
    {
        var listeners = new List<TcpListener>();
        try
        {
            foreach (var address in new[] { WriterAddress, ReaderAddress })
            {
                var listener = new TcpListener(IPAddress.Parse(address), Definition.Port);
                listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                listeners.Add(listener);
                listener.Start();
            }
        }
        catch (SocketException)
        {
            // Both or neither: one endpoint without the other is no cluster anyone designed.
            listeners.ForEach(l => l.Stop());
            throw;
        }

        return listeners;
    }
}
