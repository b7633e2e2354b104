using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using DeployOps.Sandbox.Scenarios;

namespace DeployOps.Sandbox.Simulators.Rds;

/// <summary>
/// A scenario's database with real endpoints, on the world clock: <c>available</c> or <c>stopped</c> as the scenario
/// declares it, <c>starting</c> for the scenario's start time after a start, <c>stopping</c> for a minute after a stop.
/// Its endpoints are loopback addresses of their own, served by a real TCP listener on the engine's port while it is
/// available and a security group of it admits that port. An Aurora cluster (<see cref="AuroraCluster"/>) has a writer
/// and a reader endpoint; an RDS DB instance (<see cref="DbInstance"/>) one.
/// </summary>
public abstract class DatabaseServer
{
    /// <summary>How long a stop takes, in world seconds.</summary>
    public const double StopSeconds = 60;

    private protected DatabaseServer(string region, DatabaseServerDefinition definition)
    {
        Region = region;
        Server = definition;
        StoppedSince = definition.Stopped ? double.NegativeInfinity : null;
    }

    public string Region { get; }

    /// <summary>The scenario's settings shared by every kind of database.</summary>
    public DatabaseServerDefinition Server { get; }

    public string Identifier => Server.Name;

    /// <summary>The addresses its endpoints listen on.</summary>
    public abstract IReadOnlyList<string> Addresses { get; }

    /// <summary>The CloudWatch dimension its AWS/RDS metrics carry: DBClusterIdentifier or DBInstanceIdentifier.</summary>
    public abstract string MetricDimension { get; }

    /// <summary>The AWS/RDS metrics it reports each world minute while available: name, value, unit.</summary>
    public abstract IEnumerable<(string Name, double Value, string Unit)> Metrics { get; }

    /// <summary>The moto ids of its security groups, once the loader created it.</summary>
    public IReadOnlyList<string> SecurityGroupIds { get; set; } = [];

    /// <summary>The listeners serving its endpoints while it is reachable; null while closed (empty: could not listen).</summary>
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

        return StartedAt is { } started && at < started + Server.StartSeconds ? "starting" : "available";
    }

    /// <summary>A start was accepted at <paramref name="at"/>.</summary>
    public void Start(double at)
    {
        StoppedSince = null;
        StartedAt = at;
    }

    /// <summary>A stop was accepted at <paramref name="at"/>.</summary>
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
            foreach (var address in Addresses)
            {
                var listener = new TcpListener(IPAddress.Parse(address), Server.Port);
                listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                listeners.Add(listener);
                listener.Start();
            }
        }
        catch (SocketException)
        {
            // All or none: one endpoint without the other is no database anyone designed.
            listeners.ForEach(l => l.Stop());
            throw;
        }

        return listeners;
    }
}

/// <summary>An Aurora cluster: its cluster (writer) and reader endpoints, and its Serverless v2 capacity in its metrics.</summary>
public sealed class AuroraCluster : DatabaseServer
{
    public AuroraCluster(string region, AuroraClusterDefinition definition, string writerAddress, string readerAddress)
        : base(region, definition)
    {
        Definition = definition;
        WriterAddress = writerAddress;
        ReaderAddress = readerAddress;
    }

    public AuroraClusterDefinition Definition { get; }

    /// <summary>The cluster (writer) endpoint's address: what DescribeDBClusters reports as <c>Endpoint</c>.</summary>
    public string WriterAddress { get; }

    /// <summary>The reader endpoint's address (<c>ReaderEndpoint</c>).</summary>
    public string ReaderAddress { get; }

    public override IReadOnlyList<string> Addresses => [WriterAddress, ReaderAddress];

    public override string MetricDimension => "DBClusterIdentifier";

    public override IEnumerable<(string Name, double Value, string Unit)> Metrics =>
    [
        ("ServerlessDatabaseCapacity", Definition.Capacity, "None"),
        ("CPUUtilization", Definition.CpuPercent, "Percent"),
        ("DatabaseConnections", Definition.Connections, "Count"),
    ];
}

/// <summary>An RDS DB instance of the scenario: one endpoint (<c>Endpoint.Address</c>), CPU and connections in its metrics.</summary>
public sealed class DbInstance : DatabaseServer
{
    public DbInstance(string region, DbInstanceDefinition definition, string address)
        : base(region, definition)
    {
        Definition = definition;
        Address = address;
    }

    public DbInstanceDefinition Definition { get; }

    /// <summary>The instance endpoint's address.</summary>
    public string Address { get; }

    public override IReadOnlyList<string> Addresses => [Address];

    public override string MetricDimension => "DBInstanceIdentifier";

    public override IEnumerable<(string Name, double Value, string Unit)> Metrics =>
    [
        ("CPUUtilization", Definition.CpuPercent, "Percent"),
        ("DatabaseConnections", Definition.Connections, "Count"),
    ];
}
