using System;
using System.Diagnostics;

namespace DeployOps.Sandbox.World;

/// <summary>
/// The world's clock. World time is counted in seconds since the world started and runs
/// <see cref="Speed"/> times faster than the wall clock, so a 30-second health-check interval
/// passes in one real second at speed 30. Timestamps the world reports to API clients are wall
/// clock times of the moment something happened (so clients that compare them with their own
/// clock see sensible values); only the world's timers are scaled.
/// </summary>
public sealed class WorldClock
{
    private readonly object _gate = new();
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private double _anchorWorldSeconds;
    private double _anchorWallSeconds;
    private double _speed;

    public WorldClock(double speed)
    {
        ValidateSpeed(speed);
        _speed = speed;
    }

    /// <summary>World seconds per wall-clock second.</summary>
    public double Speed
    {
        get
        {
            lock (_gate)
            {
                return _speed;
            }
        }
    }

    /// <summary>World seconds since the world started (including any manual advances).</summary>
    public double Now
    {
        get
        {
            lock (_gate)
            {
                return NowUnlocked();
            }
        }
    }

    public static void ValidateSpeed(double speed)
    {
        if (double.IsNaN(speed) || speed < 0.1 || speed > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "Expected a speed from 0.1 to 1000 (world seconds per real second).");
        }
    }

    /// <summary>Changes the speed from now on; world time already passed is kept.</summary>
    public void SetSpeed(double speed)
    {
        ValidateSpeed(speed);
        lock (_gate)
        {
            Rebase();
            _speed = speed;
        }
    }

    /// <summary>Jumps world time forward, so every timer due within <paramref name="seconds"/> fires at the next tick.</summary>
    public void Advance(double seconds)
    {
        if (double.IsNaN(seconds) || seconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "Expected a non-negative number of world seconds.");
        }

        lock (_gate)
        {
            Rebase();
            _anchorWorldSeconds += seconds;
        }
    }

    /// <summary>The wall-clock duration a span of world seconds takes at the current speed.</summary>
    public TimeSpan ToWall(double worldSeconds) => TimeSpan.FromSeconds(Math.Max(0, worldSeconds) / Speed);

    private void Rebase()
    {
        _anchorWorldSeconds = NowUnlocked();
        _anchorWallSeconds = _wall.Elapsed.TotalSeconds;
    }

    private double NowUnlocked() => _anchorWorldSeconds + ((_wall.Elapsed.TotalSeconds - _anchorWallSeconds) * _speed);
}
