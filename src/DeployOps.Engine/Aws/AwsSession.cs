using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.Configuration;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.Ec2;
using DeployOps.Aws.ElasticLoadBalancing;
using DeployOps.Aws.Http;
using DeployOps.Aws.Logs;
using DeployOps.Aws.Protocols;
using DeployOps.Aws.Retries;
using DeployOps.Aws.Sts;

namespace DeployOps.Aws;

/// <summary>
/// One cmdlet invocation's connection to AWS: resolved credentials, region and endpoints, one retry quota, one
/// request limit, one call counter, one clock correction, and the service clients, built on first use. Create it once
/// per invocation (BeginProcessing) and dispose it at the end.
/// </summary>
public sealed class AwsSession : IDisposable
{
    private readonly AwsRequestPipeline _pipeline;
    private readonly string? _endpointUrl;
    private readonly IAwsEnvironment _environment;
    private readonly Dictionary<string, Uri> _endpoints;
    private readonly ConcurrentDictionary<string, Lazy<AwsProtocolClient>> _protocolClients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, Lazy<object>> _clients = new();
    private readonly Func<DateTimeOffset> _utcNow;

    private AwsSession(AwsSessionOptions options, AwsRuntime runtime, ResolvedCredentials credentials, ResolvedRegion region, int maxAttempts)
    {
        _endpointUrl = options.EndpointUrl;
        _environment = runtime.Environment;
        _utcNow = runtime.UtcNow;
        ProfileName = options.ProfileName;
        Credentials = credentials;
        Region = region;
        MaxAttempts = maxAttempts;

        // Every registered service's endpoint is resolved now, so a bad AWS_ENDPOINT_URL_* fails before any work starts;
        // clients are built on first use.
        _endpoints = AwsServices.Registry.ToDictionary(r => r.Service.ServiceId, r => ResolveEndpoint(r.Service), StringComparer.Ordinal);
        var retryPolicy = new RetryPolicy(maxAttempts, new RetryQuota(), runtime.Random);
        _pipeline = new AwsRequestPipeline(
            new AwsSigner(credentials, region.Name),
            region,
            runtime.HttpClient,
            retryPolicy,
            Calls,
            options.MaxConcurrency,
            runtime.Delay,
            options.AttemptTimeout,
            runtime.UtcNow);
    }

    /// <summary>The credentials in use and where they came from.</summary>
    public ResolvedCredentials Credentials { get; }

    /// <summary>Where the credentials came from, e.g. <c>profile 'prod-admin'</c> or <c>-Credential</c>.</summary>
    public string CredentialSource => Credentials.Source;

    /// <summary>The region and where it came from.</summary>
    public ResolvedRegion Region { get; }

    /// <summary>The -EndpointUrl override, when one was given (a sandbox, a proxy); stamped on outputs so they pipe on.</summary>
    public string? EndpointUrl => _endpointUrl;

    /// <summary>The named profile asked for, when one was; stamped on outputs so they pipe on.</summary>
    public string? ProfileName { get; }

    /// <summary>Attempts per call, the first included.</summary>
    public int MaxAttempts { get; }

    /// <summary>Calls and attempts per <c>service:operation</c> made through this session.</summary>
    public AwsCallCounter Calls { get; } = new();

    /// <summary>Amazon ECS.</summary>
    public EcsClient Ecs => Client<EcsClient>();

    /// <summary>Elastic Load Balancing v2.</summary>
    public ElasticLoadBalancingClient LoadBalancing => Client<ElasticLoadBalancingClient>();

    /// <summary>Amazon EC2.</summary>
    public Ec2Client Ec2 => Client<Ec2Client>();

    /// <summary>Amazon CloudWatch Logs.</summary>
    public CloudWatchLogsClient Logs => Client<CloudWatchLogsClient>();

    /// <summary>AWS STS.</summary>
    public StsClient Sts => Client<StsClient>();

    /// <summary>How far this session's clock is behind AWS's (negative when ahead), as learnt from a clock-skew error; zero until one.</summary>
    public TimeSpan ClockOffset => _pipeline.ClockOffset;

    /// <summary>AWS's time as far as the session knows it (the machine's clock corrected by <see cref="ClockOffset"/>): what AWS timestamps are compared with.</summary>
    public DateTimeOffset Now => _utcNow() + ClockOffset;

    /// <summary>
    /// Resolves credentials, region and endpoints from <paramref name="options"/> and the machine, and creates a session.
    /// Throws <see cref="AwsConfigurationException"/> when that cannot work (no credentials, no region, missing profile,
    /// bad endpoint URL or region); the message says how to fix it.
    /// </summary>
    public static AwsSession Create(AwsSessionOptions options, AwsRuntime? runtime = null)
    {
        runtime ??= AwsRuntime.Default;
        if (options.MaxConcurrency < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxConcurrency, "MaxConcurrency must be 1 or more.");
        }

        var maxAttempts = RetryPolicy.ResolveMaxAttempts(options.MaxAttempts, runtime.Environment.GetVariable("AWS_MAX_ATTEMPTS"));
        var profiles = new AwsProfileStore(runtime.Environment, runtime.MachineCredentials, options.ProfileLocation);
        var region = AwsRegionResolver.Resolve(options, runtime.Environment, profiles);
        var credentials = new AwsCredentialResolver(runtime.Environment, runtime.MachineCredentials, profiles).Resolve(options);
        return new AwsSession(options, runtime, credentials, region, maxAttempts);
    }

    /// <summary>
    /// The typed client registered for <typeparamref name="TClient"/> in <see cref="AwsServices.Registry"/> (e.g.
    /// <c>Client&lt;EcsClient&gt;()</c>), built on first use and shared by every caller of this session.
    /// </summary>
    public TClient Client<TClient>()
        where TClient : class =>
        (TClient)_clients.GetOrAdd(typeof(TClient), type => new Lazy<object>(() =>
        {
            var registration = AwsServices.Registry.FindClient(type)
                               ?? throw new InvalidOperationException($"No AWS service registers the client {type.Name}: add it to AwsServices.Registry.");
            return registration.CreateClient(ProtocolClient(registration.Service));
        })).Value;

    /// <summary>
    /// The protocol client of <paramref name="service"/> (an <see cref="AwsJsonClient"/> or <see cref="AwsQueryClient"/>),
    /// for services and operations without a typed client; built on first use and shared.
    /// </summary>
    public AwsProtocolClient ProtocolClient(AwsServiceDescription service) =>
        _protocolClients.GetOrAdd(service.ServiceId, _ => new Lazy<AwsProtocolClient>(() => service.Protocol == AwsProtocol.Json
            ? new AwsJsonClient(service, GetEndpoint(service), _pipeline)
            : new AwsQueryClient(service, GetEndpoint(service), _pipeline))).Value;

    /// <summary>The endpoint this session calls for <paramref name="service"/>.</summary>
    public Uri GetEndpoint(AwsServiceDescription service) =>
        _endpoints.TryGetValue(service.ServiceId, out var endpoint) ? endpoint : ResolveEndpoint(service);

    /// <summary>A JSON protocol client for a service without a typed client (e.g. <see cref="AwsServices.Lightsail"/>).</summary>
    public AwsJsonClient CreateJsonClient(AwsServiceDescription service) =>
        ProtocolClient(service) as AwsJsonClient ?? throw new ArgumentException($"{service.ServiceId} speaks {service.Protocol}, not JSON.", nameof(service));

    /// <summary>A query protocol client for a service without a typed client (e.g. <see cref="AwsServices.CloudFormation"/>).</summary>
    public AwsQueryClient CreateQueryClient(AwsServiceDescription service) =>
        ProtocolClient(service) as AwsQueryClient ?? throw new ArgumentException($"{service.ServiceId} speaks {service.Protocol}, not query.", nameof(service));

    /// <inheritdoc />
    public void Dispose() => _pipeline.Dispose();

    private Uri ResolveEndpoint(AwsServiceDescription service) => AwsEndpointResolver.Resolve(service, Region.Name, _endpointUrl, _environment);

    /// <summary>Region, credential source and retry settings; never a secret.</summary>
    public override string ToString() => $"AwsSession {Region}, credentials from {CredentialSource}, {MaxAttempts} attempts per call";
}
