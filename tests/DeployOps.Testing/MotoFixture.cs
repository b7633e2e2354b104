using System;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using Xunit;

namespace DeployOps.Testing;

/// <summary>
/// A plain moto_server for tests that need AWS configuration behaviour only.
/// Tests share one instance per fixture, so each test names its resources uniquely.
/// </summary>
public sealed class MotoFixture : IAsyncLifetime
{
    private MotoServer? _server;

    public Uri Url => _server?.Url ?? throw new InvalidOperationException("moto is not started.");

    public async Task InitializeAsync() => _server = await MotoServer.StartAsync(TimeSpan.FromSeconds(60));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
