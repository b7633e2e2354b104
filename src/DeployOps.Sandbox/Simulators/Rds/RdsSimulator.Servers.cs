using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;
using DeployOps.Sandbox.Front;
using DeployOps.Sandbox.Moto;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.Simulators.Metrics;
using DeployOps.Sandbox.World;
using Microsoft.Extensions.Logging;

namespace DeployOps.Sandbox.Simulators.Rds;

/// <summary>
/// The scenario's Aurora clusters and RDS DB instances at run time (moto keeps their configuration and starts or stops
/// them at once): each one's status on the world clock (<see cref="DatabaseServer"/>), its endpoints as loopback addresses
/// served by real TCP listeners while it is available and its security groups admit the engine's port, and the AWS/RDS
/// metrics it reports each world minute while available (a cluster's ServerlessDatabaseCapacity, CPUUtilization and
/// DatabaseConnections by DBClusterIdentifier; an instance's CPUUtilization and DatabaseConnections by DBInstanceIdentifier).
/// </summary>
public sealed partial class RdsSimulator
{
    private const string RdsNamespace = "AWS/RDS";

    private static readonly Regex EndpointPlaceholder = new(@"\{(?<kind>auroraEndpoint|auroraReaderEndpoint|dbInstanceEndpoint):(?<name>[A-Za-z0-9-]+)\}", RegexOptions.CultureInvariant);

    private readonly Dictionary<(string Region, string Identifier), AuroraCluster> _clusters = new();
    private readonly Dictionary<(string Region, string Identifier), DbInstance> _dbInstances = new();
    private long _serverMetricsMinute = -1;

    /// <summary>Every database with endpoints: the clusters, then the instances.</summary>
    private IEnumerable<DatabaseServer> Servers => _clusters.Values.Concat<DatabaseServer>(_dbInstances.Values);

    /// <summary>
    /// <paramref name="text"/> with <c>{auroraEndpoint:NAME}</c>, <c>{auroraReaderEndpoint:NAME}</c> and
    /// <c>{dbInstanceEndpoint:NAME}</c> replaced by the scenario's endpoints (a task definition's DATABASE_URL, a secret's value).
    /// </summary>
    public string ExpandEndpoints(string region, string text) =>
        EndpointPlaceholder.Replace(text, match =>
        {
            var (kind, name) = (match.Groups["kind"].Value, match.Groups["name"].Value);
            lock (Gate)
            {
                if (kind == "dbInstanceEndpoint")
                {
                    return (_dbInstances.GetValueOrDefault((region, name))
                        ?? throw new ScenarioException($"{match.Value}: '{name}' is not an RDS DB instance of this scenario (dbInstances).")).Address;
                }

                var cluster = _clusters.GetValueOrDefault((region, name))
                    ?? throw new ScenarioException($"{match.Value}: '{name}' is not an Aurora cluster of this scenario (auroraClusters).");
                return kind == "auroraReaderEndpoint" ? cluster.ReaderAddress : cluster.WriterAddress;
            }
        });

    /// <summary>The loader created the cluster or instance in moto with these security groups.</summary>
    public void DatabaseCreated(string region, DatabaseServerDefinition database, IReadOnlyList<string> securityGroupIds)
    {
        lock (Gate)
        {
            DatabaseServer server = database is AuroraClusterDefinition ? _clusters[(region, database.Name)] : _dbInstances[(region, database.Name)];
            server.SecurityGroupIds = securityGroupIds;
        }
    }

    private void RegisterServers(AwsRoutes routes)
    {
        routes.Answer(Service, "DescribeDBClusters", (request, token) => ForwardOverlaidAsync(request, null, token));
        routes.Answer(Service, "StartDBCluster", (request, token) => ForwardOverlaidAsync(request, c => c.Start(World.Clock.Now), token));
        routes.Answer(Service, "StopDBCluster", (request, token) => ForwardOverlaidAsync(request, c => c.Stop(World.Clock.Now), token));
        routes.Answer(Service, "StartDBInstance", (request, token) => ForwardInstanceChangeAsync(request, i => i.Start(World.Clock.Now), token));
        routes.Answer(Service, "StopDBInstance", (request, token) => ForwardInstanceChangeAsync(request, i => i.Stop(World.Clock.Now), token));
    }

    /// <summary>moto starts or stops the instance (and validates); once it accepted, <paramref name="applied"/> changes the scenario instance's life, and the answer gets its world status.</summary>
    private async Task<AwsResponse?> ForwardInstanceChangeAsync(AwsRequest request, Action<DbInstance> applied, CancellationToken cancellationToken)
    {
        var reply = await World.Moto.ForwardAsync(request, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return reply;
        }

        lock (Gate)
        {
            if (request.FormValue("DBInstanceIdentifier") is { } identifier && _dbInstances.GetValueOrDefault((request.Region, identifier)) is { } changed)
            {
                applied(changed);
            }
        }

        return Overlay(reply, request.Region);
    }

    /// <summary>Sets a scenario instance's world status and endpoint on its DBInstance element; false when it is none of the scenario's. Under the lock.</summary>
    private bool OverlayDbInstance(XElement element, string region, double now)
    {
        if (_dbInstances.GetValueOrDefault((region, element.Text("DBInstanceIdentifier") ?? "")) is not { } instance)
        {
            return false;
        }

        element.Child("DBInstanceStatus")?.SetValue(instance.StatusAt(now));
        element.Child("Endpoint")?.Child("Address")?.SetValue(instance.Address);
        element.Child("Endpoint")?.Child("Port")?.SetValue(instance.Server.Port);
        return true;
    }

    /// <summary>moto answers (and validates); once it accepted, <paramref name="applied"/> changes the cluster's life, and every cluster in the answer gets its world status and endpoints.</summary>
    private async Task<AwsResponse?> ForwardOverlaidAsync(AwsRequest request, Action<AuroraCluster>? applied, CancellationToken cancellationToken)
    {
        var reply = await World.Moto.ForwardAsync(request, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return reply;
        }

        var now = World.Clock.Now;
        return QueryXml.Overlay(reply, root =>
        {
            lock (Gate)
            {
                if (applied is not null && request.FormValue("DBClusterIdentifier") is { } identifier && _clusters.GetValueOrDefault((request.Region, identifier)) is { } changed)
                {
                    applied(changed);
                }

                foreach (var element in root.Descendants().Where(e => e.Name.LocalName == "DBCluster"))
                {
                    if (_clusters.GetValueOrDefault((request.Region, element.Text("DBClusterIdentifier") ?? "")) is { } cluster)
                    {
                        element.Child("Status")?.SetValue(cluster.StatusAt(now));
                        element.Child("Endpoint")?.SetValue(cluster.WriterAddress);
                        element.Child("ReaderEndpoint")?.SetValue(cluster.ReaderAddress);
                        element.Child("Port")?.SetValue(cluster.Server.Port);
                    }
                }
            }
        });
    }

    /// <summary>Opens or closes each database's listeners as its status and security groups say, and publishes its metrics each world minute. Under the lock.</summary>
    private void StepServers(double now)
    {
        foreach (var server in Servers)
        {
            var reachable = server.StatusAt(now) == "available" && AdmitsEnginePort(server);
            if (reachable && server.Listeners is null)
            {
                try
                {
                    server.Listeners = server.OpenListeners();
                }
                catch (SocketException ex)
                {
                    // Said once: an empty list stands for "could not listen", so the next steps do not try again.
                    World.Log.LogWarning("Database {Database}: cannot listen on {Addresses} port {Port}: {Message}", server.Identifier, string.Join(", ", server.Addresses), server.Server.Port, ex.Message);
                    server.Listeners = [];
                    continue;
                }

                foreach (var listener in server.Listeners)
                {
                    _ = AcceptAsync(listener);
                }
            }
            else if (!reachable && server.Listeners is { } open)
            {
                server.Listeners = null;
                Effect(() => CloseAsync(open));
            }
        }

        var minute = (long)Math.Floor(now / 60);
        if (minute == _serverMetricsMinute)
        {
            return;
        }

        _serverMetricsMinute = minute;
        var at = DateTimeOffset.UtcNow;
        foreach (var server in Servers.Where(s => s.StatusAt(now) == "available"))
        {
            foreach (var (name, value, unit) in server.Metrics)
            {
                _metrics.Publish(new MetricValue(server.Region, RdsNamespace, name, [new(server.MetricDimension, server.Identifier)], value, unit, at));
            }
        }
    }

    /// <summary>Whether a security group of the database has an inbound rule covering its port (from any source).</summary>
    private bool AdmitsEnginePort(DatabaseServer server)
    {
        var snapshot = World.Configuration.Snapshot(server.Region);
        return server.SecurityGroupIds.Any(id => snapshot.SecurityGroups.GetValueOrDefault(id)?.Ingress.Any(p => p.CoversTcpPort(server.Server.Port)) == true);
    }

    /// <summary>Accepts connections until the listener stops; each is held open until its client closes it (a database waiting for a startup message).</summary>
    private static async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = HoldAsync(socket);
        }
    }

    private static async Task HoldAsync(Socket socket)
    {
        using (socket)
        {
            var buffer = new byte[256];
            try
            {
                while (await socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false) > 0)
                {
                }
            }
            catch (SocketException)
            {
            }
        }
    }

    private static Task CloseAsync(IReadOnlyList<TcpListener> listeners)
    {
        foreach (var listener in listeners)
        {
            listener.Stop();
        }

        return Task.CompletedTask;
    }

    /// <summary>Closes the old scenario's listeners and gives each of the next scenario's databases its endpoint addresses. Under the lock.</summary>
    private void ForgetServers(ScenarioDefinition? next)
    {
        foreach (var open in Servers.Select(c => c.Listeners).Where(l => l is not null).ToList())
        {
            Effect(() => CloseAsync(open!));
        }

        _clusters.Clear();
        _dbInstances.Clear();
        _serverMetricsMinute = -1;
        var placement = new NetworkPlacement([], "");
        foreach (var definition in next?.AuroraClusters ?? [])
        {
            var writer = World.Addresses.Allocate(definition.Port, placement).Address;
            var reader = World.Addresses.Allocate(definition.Port, placement).Address;
            _clusters[(next!.Region, definition.Name)] = new AuroraCluster(next.Region, definition, writer, reader);
        }

        foreach (var definition in next?.DbInstances ?? [])
        {
            _dbInstances[(next!.Region, definition.Name)] = new DbInstance(next.Region, definition, World.Addresses.Allocate(definition.Port, placement).Address);
        }
    }

    /// <summary>The <c>auroraClusters</c> part of the state: each cluster's status and endpoints, and whether they are listening.</summary>
    private JsonArray DescribeClusters(double now) =>
        new(_clusters.Values.OrderBy(c => c.Identifier, StringComparer.Ordinal).Select(c => (JsonNode)new JsonObject
        {
            ["identifier"] = c.Identifier,
            ["region"] = c.Region,
            ["status"] = c.StatusAt(now),
            ["endpoint"] = $"{c.WriterAddress}:{c.Server.Port}",
            ["readerEndpoint"] = $"{c.ReaderAddress}:{c.Server.Port}",
            ["listening"] = c.Listeners is not null,
        }).ToArray());

    /// <summary>The <c>dbInstances</c> part of the state: each scenario instance's status and endpoint, and whether it is listening.</summary>
    private JsonArray DescribeDbInstances(double now) =>
        new(_dbInstances.Values.OrderBy(i => i.Identifier, StringComparer.Ordinal).Select(i => (JsonNode)new JsonObject
        {
            ["identifier"] = i.Identifier,
            ["region"] = i.Region,
            ["status"] = i.StatusAt(now),
            ["endpoint"] = $"{i.Address}:{i.Server.Port}",
            ["listening"] = i.Listeners is not null,
        }).ToArray());
}
