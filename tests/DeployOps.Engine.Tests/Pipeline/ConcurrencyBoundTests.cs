using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Aws.Protocols;
using DeployOps.Engine.Tests.Support;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Pipeline;

/// <summary>Batches run concurrently, never more at once than the session allows. Requests go to moto; a handler watches them.</summary>
public sealed class ConcurrencyBoundTests : IClassFixture<MotoFixture>
{
    private readonly MotoFixture _moto;

    public ConcurrencyBoundTests(MotoFixture moto) => _moto = moto;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task BatchesRunInParallelUpToTheSessionLimit(int maxConcurrency)
    {
        using var handler = new InFlightRecorder(maxConcurrency, new HttpClientHandler());
        using var http = new HttpClient(handler);
        using var session = AwsSession.Create(
            new AwsSessionOptions
            {
                Region = MotoSessions.Region,
                EndpointUrl = _moto.Url.ToString(),
                Credential = new BasicAWSCredentials("testing", "testing"),
                MaxConcurrency = maxConcurrency,
            },
            new AwsRuntime { Environment = new FixedAwsEnvironment(), MachineCredentials = NoMachineCredentials.Instance, HttpClient = http });
        var cluster = MotoSessions.UniqueName("bound");
        await session.Ecs.Protocol.CallAsync(AwsOperation.NonIdempotent("CreateCluster"), new AwsParameters { { "clusterName", cluster } }, CancellationToken.None);
        handler.Reset();

        var result = await session.Ecs.DescribeServicesAsync(cluster, Enumerable.Range(1, 45).Select(i => $"svc-{i}").ToList());

        Assert.Equal(45, result.Failures.Count);
        Assert.Equal(5, handler.Requests);
        Assert.Equal(maxConcurrency, handler.MostInFlight);
    }

    /// <summary>Holds each request until <c>expected</c> are in flight together (or a second passes), recording the most seen.</summary>
    private sealed class InFlightRecorder : DelegatingHandler
    {
        private readonly int _expected;
        private readonly object _gate = new();
        private TaskCompletionSource<bool> _enoughInFlight = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;

        public InFlightRecorder(int expected, HttpMessageHandler inner)
            : base(inner)
        {
            _expected = expected;
        }

        public int MostInFlight { get; private set; }

        public int Requests { get; private set; }

        public void Reset()
        {
            lock (_gate)
            {
                MostInFlight = 0;
                Requests = 0;
                _enoughInFlight = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Task enough;
            lock (_gate)
            {
                Requests++;
                MostInFlight = Math.Max(MostInFlight, ++_inFlight);
                if (_inFlight >= _expected)
                {
                    _enoughInFlight.TrySetResult(true);
                }

                enough = _enoughInFlight.Task;
            }

            try
            {
                await Task.WhenAny(enough, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken));
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                lock (_gate)
                {
                    _inFlight--;
                }
            }
        }
    }
}
