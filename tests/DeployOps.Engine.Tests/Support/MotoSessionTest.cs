using System;
using DeployOps.Aws;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Support;

/// <summary>A test class with its own moto and a fresh session pointed at it for each test.</summary>
public abstract class MotoSessionTest : IClassFixture<MotoFixture>, IDisposable
{
    protected MotoSessionTest(MotoFixture moto)
    {
        Moto = moto;
        Session = MotoSessions.Create(moto);
    }

    protected MotoFixture Moto { get; }

    protected AwsSession Session { get; }

    public void Dispose() => Session.Dispose();
}
