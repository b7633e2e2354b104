using System.Threading;
using DeployOps.Sandbox.Moto;
using Microsoft.Extensions.Logging;

namespace DeployOps.Sandbox.World;

/// <summary>
/// The world-wide pieces every simulator may use, and nothing else: the clock, moto (for the simulator's own calls),
/// moto's configuration as last read, the loopback addresses and who sits at them, the log, and the token that stops
/// the world. Each piece is safe to use from any thread and calls no simulator, so a simulator may use it under its lock.
/// </summary>
public sealed class WorldContext
{
    /// <summary>The account every ARN of the sandbox names.</summary>
    public const string AccountId = "123456789012";

    public WorldContext(MotoClient moto, WorldClock clock, ILogger log, CancellationToken stopping)
    {
        Moto = moto;
        Clock = clock;
        Log = log;
        Stopping = stopping;
        Configuration = new MotoConfiguration(moto, log);
    }

    public MotoClient Moto { get; }

    public WorldClock Clock { get; }

    public ILogger Log { get; }

    /// <summary>Cancelled when the world stops; the simulators' own moto calls and probes use it.</summary>
    public CancellationToken Stopping { get; }

    public MotoConfiguration Configuration { get; }

    public LoopbackAddresses Addresses { get; } = new();
}
