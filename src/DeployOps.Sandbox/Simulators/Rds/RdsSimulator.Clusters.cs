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
/// Aurora clusters at run time (moto keeps their configuration and starts or stops them at once): each cluster's status
/// on the world clock (<see cref="AuroraCluster"/>), its endpoints as loopback addresses served by real TCP listeners
/// while it is available and its security groups admit the engine's port, and the AWS/RDS metrics it reports each world
/// minute while available (ServerlessDatabaseCapacity, CPUUtilization, DatabaseConnections by DBClusterIdentifier).
/// </summary>
public sealed partial class RdsSimulator
{
    private const string RdsNamespace = "AWS/RDS";

    private static readonly Regex EndpointPlaceholder = new(@"\{aurora(Reader)?Endpoint:([A-Za-z0-9-]+)\}", RegexOptions.CultureInvariant);

    private readonly Dictionary<(string Region, string Identifier), AuroraCluster> _clusters = new();
    private long _clusterMetricsMinute = -1;

    /// <summary>
    /// <paramref name="text"/> with <c>{auroraEndpoint:NAME}</c> and <c>{auroraReaderEndpoint:NAME}</c> replaced by the
    /// scenario's cluster endpoints (a task definition's DATABASE_URL, a secret's value).
    /// </summary>
    public string ExpandEndpoints(string region, string text) =>
        EndpointPlaceholder.Replace(text, match =>
        {
            lock (Gate)
            {
                var cluster = _clusters.GetValueOrDefault((region, match.Groups[2].Value))
                    ?? throw new ScenarioException($"{match.Value}: '{match.Groups[2].Value}' is not an Aurora cluster of this scenario (auroraClusters).");
                return match.Groups[1].Success ? cluster.ReaderAddress : cluster.WriterAddress;
            }
        });

    /// <summary>The loader created the cluster in moto with these security groups.</summary>
    public void AuroraClusterCreated(string region, string identifier, IReadOnlyList<string> securityGroupIds)
    {
        lock (Gate)
        {
            _clusters[(region, identifier)].SecurityGroupIds = securityGroupIds;
        }
    }

    private void RegisterClusters(AwsRoutes routes)
    {
        routes.Answer(Service, "DescribeDBClusters", (request, token) => ForwardOverlaidAsync(request, null, token));
        routes.Answer(Service, "StartDBCluster", (request, token) => ForwardOverlaidAsync(request, c => c.Start(World.Clock.Now), token));
        routes.Answer(Service, "StopDBCluster", (request, token) => ForwardOverlaidAsync(request, c => c.Stop(World.Clock.Now), token));
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
                        element.Child("Port")?.SetValue(cluster.Definition.Port);
                    }
                }
            }
        });
    }

    /// <summary>Opens or closes each cluster's listeners as its status and security groups say, and publishes its metrics each world minute. Under the lock.</summary>
    private void StepClusters(double now)
    {
        foreach (var cluster in _clusters.Values)
        {
            var reachable = cluster.StatusAt(now) == "available" && AdmitsEnginePort(cluster);
            if (reachable && cluster.Listeners is null)
            {
                try
                {
                    cluster.Listeners = cluster.OpenListeners();
                }
                catch (SocketException ex)
                {
                    // Said once: an empty list stands for "could not listen", so the next steps do not try again.
                    World.Log.LogWarning("Aurora cluster {Cluster}: cannot listen on {Address}:{Port}: {Message}", cluster.Identifier, cluster.WriterAddress, cluster.Definition.Port, ex.Message);
                    cluster.Listeners = [];
                    continue;
                }

                foreach (var listener in cluster.Listeners)
                {
                    _ = AcceptAsync(listener);
                }
            }
            else if (!reachable && cluster.Listeners is { } open)
            {
                cluster.Listeners = null;
                Effect(() => CloseAsync(open));
            }
        }

        var minute = (long)Math.Floor(now / 60);
        if (minute == _clusterMetricsMinute)
        {
            return;
        }

        _clusterMetricsMinute = minute;
        var at = DateTimeOffset.UtcNow;
        foreach (var cluster in _clusters.Values.Where(c => c.StatusAt(now) == "available"))
        {
            var definition = cluster.Definition;
            Publish(cluster, "ServerlessDatabaseCapacity", definition.Capacity, "None", at);
            Publish(cluster, "CPUUtilization", definition.CpuPercent, "Percent", at);
            Publish(cluster, "DatabaseConnections", definition.Connections, "Count", at);
        }
    }

    private void Publish(AuroraCluster cluster, string metricName, double value, string unit, DateTimeOffset at) =>
        _metrics.Publish(new MetricValue(cluster.Region, RdsNamespace, metricName, [new("DBClusterIdentifier", cluster.Identifier)], value, unit, at));

    /// <summary>Whether a security group of the cluster has an inbound rule covering its port (from any source).</summary>
    private bool AdmitsEnginePort(AuroraCluster cluster)
    {
        var snapshot = World.Configuration.Snapshot(cluster.Region);
        return cluster.SecurityGroupIds.Any(id => snapshot.SecurityGroups.GetValueOrDefault(id)?.Ingress.Any(p => p.CoversTcpPort(cluster.Definition.Port)) == true);
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

    /// <summary>Closes the old scenario's listeners and gives each of the next scenario's clusters its endpoint addresses. Under the lock.</summary>
    private void ForgetClusters(ScenarioDefinition? next)
    {
        foreach (var open in _clusters.Values.Select(c => c.Listeners).Where(l => l is not null).ToList())
        {
            Effect(() => CloseAsync(open!));
        }

        _clusters.Clear();
        _clusterMetricsMinute = -1;
        foreach (var definition in next?.AuroraClusters ?? [])
        {
            var placement = new NetworkPlacement([], "");
            var writer = World.Addresses.Allocate(definition.Port, placement).Address;
            var reader = World.Addresses.Allocate(definition.Port, placement).Address;
            _clusters[(next!.Region, definition.Name)] = new AuroraCluster(next.Region, definition, writer, reader);
        }
    }

    /// <summary>The <c>auroraClusters</c> part of the state: each cluster's status and endpoints, and whether they are listening.</summary>
    private JsonArray DescribeClusters(double now) =>
        new(_clusters.Values.OrderBy(c => c.Identifier, StringComparer.Ordinal).Select(c => (JsonNode)new JsonObject
        {
            ["identifier"] = c.Identifier,
            ["region"] = c.Region,
            ["status"] = c.StatusAt(now),
            ["endpoint"] = $"{c.WriterAddress}:{c.Definition.Port}",
            ["readerEndpoint"] = $"{c.ReaderAddress}:{c.Definition.Port}",
            ["listening"] = c.Listeners is not null,
        }).ToArray());
}
