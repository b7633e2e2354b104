using System;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.Protocols;
using DeployOps.Engine.Tests.Protocols;
using DeployOps.Engine.Tests.Support;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Services;

/// <summary>
/// The registry: every registered description matches botocore's metadata, every declared paginator matches botocore's
/// paginators-1.json, and a session builds each typed client once, on first use.
/// </summary>
public sealed class ServiceRegistryTests : IClassFixture<MotoFixture>
{
    private readonly MotoFixture _moto;

    public ServiceRegistryTests(MotoFixture moto) => _moto = moto;

    public static TheoryData<string> RegisteredServices => new(AwsServices.Registry.Select(r => r.Service.ServiceId));

    [Fact]
    public void EveryRegisteredServiceIsCheckedAgainstItsModel() =>
        Assert.Equal(
            AwsServices.Registry.Select(r => r.Service.ServiceId).OrderBy(id => id, StringComparer.Ordinal),
            BotocoreModels.ByServiceId.Keys.OrderBy(id => id, StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(RegisteredServices))]
    public void TheDescriptionIsTheModelsMetadata(string serviceId)
    {
        var service = AwsServices.Find(serviceId)!;
        var metadata = BotocoreModels.Metadata(serviceId);
        var endpointPrefix = metadata.GetProperty("endpointPrefix").GetString()!;
        var protocols = metadata.TryGetProperty("protocols", out var list)
            ? list.EnumerateArray().Select(p => p.GetString()).ToList()
            : new() { metadata.GetProperty("protocol").GetString() };

        Assert.Equal(
            (metadata.GetProperty("serviceId").GetString(), endpointPrefix, Optional(metadata, "signingName") ?? endpointPrefix, metadata.GetProperty("apiVersion").GetString()),
            (service.ServiceId, service.EndpointPrefix, service.SigningName, service.ApiVersion));
        Assert.Contains(service.Protocol switch { AwsProtocol.Json => "json", AwsProtocol.Query => "query", _ => "ec2" }, protocols);
        Assert.Equal(service.Protocol == AwsProtocol.Json ? Optional(metadata, "targetPrefix") : null, service.TargetPrefix);
        // A global description needs the model's globalEndpoint; STS has one too, but the SDKs now call it regionally.
        Assert.Equal(Optional(metadata, "globalEndpoint") is not null && serviceId != "STS", service.IsGlobal);
    }

    /// <summary>
    /// Every declared paginator is botocore's entry for its operation; an operation the model pages (a token in, a token
    /// and a list out) that paginators-1.json leaves out (Lightsail's GetContainerLog) declares members its shapes have.
    /// </summary>
    [Fact]
    public void EveryDeclaredPaginatorIsBotocoresEntryForItsOperation()
    {
        var declared = typeof(AwsSession).Assembly.GetTypes()
            .SelectMany(type => type.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
                .Where(field => field.FieldType == typeof(AwsOperation))
                .Select(field => (Client: type, Operation: (AwsOperation)field.GetValue(null)!)))
            .Where(found => found.Operation.Paginator is not null)
            .ToList();

        var mismatches = declared
            .Select(found => (found.Operation.Name, ServiceId: ServiceOf(found.Client), found.Operation.Paginator))
            .Where(found => BotocoreModels.Paginator(found.ServiceId, found.Name) is { } entry
                ? !Same(entry, found.Paginator!)
                : !PagesByItsShapes(found.ServiceId, found.Name, found.Paginator!))
            .Select(found => found.Name);

        Assert.True(declared.Count >= 9, $"Only {declared.Count} paged operations were found.");
        Assert.Empty(mismatches);
    }

    [Fact]
    public void ASessionBuildsEachTypedClientOnceAndSharesIt()
    {
        using var session = MotoSessions.Create(_moto);

        Assert.Same(session.Ecs, session.Client<EcsClient>());
        Assert.Same(session.Ecs.Protocol, session.ProtocolClient(AwsServices.Ecs));
    }

    [Fact]
    public void AClientNoServiceRegistersIsNamedInTheError()
    {
        using var session = MotoSessions.Create(_moto);

        var error = Assert.Throws<InvalidOperationException>(() => session.Client<ServiceRegistryTests>());

        Assert.Contains("No AWS service registers the client ServiceRegistryTests", error.Message);
    }

    [Fact]
    public void AServiceCannotBeRegisteredTwice()
    {
        var registry = new AwsServiceRegistry { AwsServiceRegistration.Describe(AwsServices.Rds) };

        Assert.Throws<ArgumentException>(() => registry.Add(AwsServiceRegistration.Describe(AwsServices.Rds)));
    }

    private static string ServiceOf(Type client) =>
        AwsServices.Registry.FindClient(client)?.Service.ServiceId
        ?? throw new InvalidOperationException($"{client.Name} declares a paged operation but is no registered client.");

    private static bool PagesByItsShapes(string serviceId, string operation, AwsPaginator declared)
    {
        var (input, output) = BotocoreModels.OperationMembers(serviceId, operation);
        return input.Contains(declared.InputToken) && (declared.LimitKey is null || input.Contains(declared.LimitKey))
            && output.Contains(declared.OutputToken) && declared.ResultKeys.All(output.Contains) && declared.MoreResults is null;
    }

    private static bool Same(JsonElement entry, AwsPaginator declared) =>
        entry.GetProperty("input_token").GetString() == declared.InputToken
        && entry.GetProperty("output_token").GetString() == declared.OutputToken
        && Optional(entry, "limit_key") == declared.LimitKey
        && Optional(entry, "more_results") == declared.MoreResults
        && (entry.GetProperty("result_key") is { ValueKind: JsonValueKind.Array } keys
            ? keys.EnumerateArray().Select(k => k.GetString()!).ToArray()
            : new[] { entry.GetProperty("result_key").GetString()! }).SequenceEqual(declared.ResultKeys);

    private static string? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetString() : null;
}
