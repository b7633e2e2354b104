using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws;

/// <summary>One service a session can call, and the typed client it gets, if it has one yet.</summary>
public sealed class AwsServiceRegistration
{
    private readonly Func<AwsProtocolClient, object>? _createClient;

    private AwsServiceRegistration(AwsServiceDescription service, Type? clientType, Func<AwsProtocolClient, object>? createClient)
    {
        Service = service;
        ClientType = clientType;
        _createClient = createClient;
    }

    /// <summary>The service.</summary>
    public AwsServiceDescription Service { get; }

    /// <summary>The typed client's type, or null when callers use the protocol client (<see cref="AwsSession.ProtocolClient"/>).</summary>
    public Type? ClientType { get; }

    /// <summary>A service without a typed client yet.</summary>
    public static AwsServiceRegistration Describe(AwsServiceDescription service) => new(service, null, null);

    /// <summary>A JSON service whose typed client <paramref name="create"/> builds over its protocol client.</summary>
    public static AwsServiceRegistration Json<TClient>(AwsServiceDescription service, Func<AwsJsonClient, TClient> create)
        where TClient : class =>
        new(service, typeof(TClient), protocol => create((AwsJsonClient)protocol));

    /// <summary>A query (or EC2 query) service whose typed client <paramref name="create"/> builds over its protocol client.</summary>
    public static AwsServiceRegistration Query<TClient>(AwsServiceDescription service, Func<AwsQueryClient, TClient> create)
        where TClient : class =>
        new(service, typeof(TClient), protocol => create((AwsQueryClient)protocol));

    internal object CreateClient(AwsProtocolClient protocol) =>
        _createClient?.Invoke(protocol) ?? throw new InvalidOperationException($"{Service.ServiceId} has no typed client.");
}

/// <summary>The registry: every service a session can call. Adding a service is one registration in <see cref="AwsServices.Registry"/>.</summary>
public sealed class AwsServiceRegistry : IEnumerable<AwsServiceRegistration>
{
    private readonly List<AwsServiceRegistration> _registrations = new();

    /// <summary>Registers one service; its service id and typed client type must be new.</summary>
    public void Add(AwsServiceRegistration registration)
    {
        if (_registrations.Any(r => r.Service.ServiceId == registration.Service.ServiceId
                                    || (registration.ClientType is not null && r.ClientType == registration.ClientType)))
        {
            throw new ArgumentException($"{registration.Service.ServiceId} is registered twice.", nameof(registration));
        }

        _registrations.Add(registration);
    }

    /// <summary>The registration of <paramref name="serviceId"/> (e.g. <c>CloudFormation</c>), or null.</summary>
    public AwsServiceRegistration? Find(string serviceId) =>
        _registrations.FirstOrDefault(r => string.Equals(r.Service.ServiceId, serviceId, StringComparison.Ordinal));

    /// <summary>The registration whose typed client is <paramref name="clientType"/>, or null.</summary>
    public AwsServiceRegistration? FindClient(Type clientType) => _registrations.FirstOrDefault(r => r.ClientType == clientType);

    /// <inheritdoc />
    public IEnumerator<AwsServiceRegistration> GetEnumerator() => _registrations.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
