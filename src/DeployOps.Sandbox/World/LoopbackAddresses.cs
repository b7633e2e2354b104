using System;
using System.Net;
using System.Net.Sockets;

namespace DeployOps.Sandbox.World;

/// <summary>
/// Hands each task its own loopback address, as awsvpc gives each Fargate task its own IP, so a
/// task listens on its container port (8000) like the real thing. Linux routes all of 127.0.0.0/8
/// to the loopback interface; where only 127.0.0.1 works (macOS without aliases) every task gets
/// 127.0.0.1 and a port of its own instead.
/// </summary>
public sealed class LoopbackAddresses
{
    private readonly object _gate = new();
    private readonly byte _block;
    private int _next;

    public LoopbackAddresses()
    {
        // A random second octet keeps two sandboxes on one machine apart.
        _block = (byte)Random.Shared.Next(16, 240);
        SharesOneAddress = !CanBind(new IPAddress(new byte[] { 127, _block, 0, 1 }));
    }

    /// <summary>True when tasks share 127.0.0.1 and differ by port.</summary>
    public bool SharesOneAddress { get; }

    /// <summary>An address and port for a task whose application listens on <paramref name="appPort"/>.</summary>
    public (string Address, int Port) Allocate(int appPort)
    {
        if (SharesOneAddress)
        {
            return ("127.0.0.1", Moto.FreeTcpPort.Next());
        }

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
