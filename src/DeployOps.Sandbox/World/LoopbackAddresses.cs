using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace DeployOps.Sandbox.World;

/// <summary>Where a task sits in the network: its security groups and its subnet (both as moto names them).</summary>
public sealed record NetworkPlacement(IReadOnlyList<string> SecurityGroupIds, string SubnetId);

/// <summary>
/// Hands each task its own loopback address, as awsvpc gives each Fargate task its own IP, so a
/// task listens on its container port (8000) like the real thing. Linux routes all of 127.0.0.0/8
/// to the loopback interface; where only 127.0.0.1 works (macOS without aliases) every task gets
/// 127.0.0.1 and a port of its own instead. It also remembers who sits at each address (its
/// <see cref="NetworkPlacement"/>), so whoever sends traffic there (health checks, the ALB
/// listeners) can apply the security groups without asking the simulator that placed it.
/// </summary>
public sealed class LoopbackAddresses
{
    private readonly object _gate = new();
    private readonly byte _block;
    private readonly ConcurrentDictionary<(string Address, int Port), NetworkPlacement> _placements = new();
    private int _next;

    public LoopbackAddresses()
    {
        // A random second octet keeps two sandboxes on one machine apart.
        _block = (byte)Random.Shared.Next(16, 240);
        SharesOneAddress = !CanBind(new IPAddress(new byte[] { 127, _block, 0, 1 }));
    }

    /// <summary>True when tasks share 127.0.0.1 and differ by port.</summary>
    public bool SharesOneAddress { get; }

    /// <summary>An address and port for a task whose application listens on <paramref name="appPort"/>, placed at <paramref name="placement"/>.</summary>
    public (string Address, int Port) Allocate(int appPort, NetworkPlacement placement)
    {
        var (address, port) = SharesOneAddress ? ("127.0.0.1", Moto.FreeTcpPort.Next()) : NextFreeAddress(appPort);
        _placements[Key(address, port)] = placement;
        return (address, port);
    }

    /// <summary>The address is no longer used (its task stopped).</summary>
    public void Release(string address, int port) => _placements.TryRemove(Key(address, port), out _);

    /// <summary>Forgets every placement (the world was reset).</summary>
    public void ReleaseAll() => _placements.Clear();

    /// <summary>Who sits at a target's address and port; null for an address no task of the world uses.</summary>
    public NetworkPlacement? PlacementAt(string address, int port) => _placements.GetValueOrDefault(Key(address, port));

    /// <summary>Tasks with addresses of their own are found by address alone (a target may use another port); sharing 127.0.0.1 they differ by port.</summary>
    private (string, int) Key(string address, int port) => (address, SharesOneAddress ? port : 0);

    private (string Address, int Port) NextFreeAddress(int appPort)
    {
        lock (_gate)
        {
            for (var attempt = 0; attempt < 65000; attempt++)
            {
                _next = (_next % 64000) + 1;
                var address = new IPAddress(new byte[] { 127, _block, (byte)(_next / 250), (byte)((_next % 250) + 1) });
                if (CanBind(address, appPort))
                {
                    return (address.ToString(), appPort);
                }
            }
        }

        throw new InvalidOperationException($"No free loopback address for port {appPort}.");
    }

    private static bool CanBind(IPAddress address, int port = 0)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
