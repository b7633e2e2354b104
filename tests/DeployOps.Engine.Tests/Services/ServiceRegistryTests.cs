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

    /// <summary>Each registered service and the botocore model it is described from.</summary>
    public static TheoryData<string, string, string> Models => new()
    {
        { "ECS", "ecs", "2014-11-13" },
        { "Elastic Load Balancing v2", "elbv2", "2015-12-01" },
        { "EC2", "ec2", "2016-11-15" },
        { "CloudWatch Logs", "logs", "2014-03-28" },
        { "STS", "sts", "2011-06-15" },
        { "CloudFormation", "cloudformation", "2010-05-15" },
        { "RDS", "rds", "2014-10-31" },
        { "CloudWatch", "cloudwatch", "2010-08-01" },
        { "Lightsail", "lightsail", "2016-11-28" },
        { "WAFV2", "wafv2", "2019-07-29" },
        { "SNS", "sns", "2010-03-31" },
        { "Secrets Manager", "secretsmanager", "2017-10-17" },
    };

    [Fact]
    public void EveryRegisteredServiceIsCheckedAgainstItsModel() =>
        Assert.Equal(
            AwsServices.Registry.Select(r => r.Service.ServiceId).OrderBy(id => id, StringComparer.Ordinal),
            Models.Select(row => (string)row[0]).OrderBy(id => id, StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Models))]
    public void TheDescriptionIsTheModelsMetadata(string serviceId, string model, string version)
    {
        var service = AwsServices.Find(serviceId)!;
        var metadata = BotocoreModels.Metadata(model, version);
        var endpointPrefix = metadata.GetProperty("endpointPrefix").GetString()!;
        var protocols = metadata.TryGetProperty("protocols", out var list)
            ? list.EnumerateArray().Select(p => p.GetString()).ToList()
            : new() { metadata.GetProperty("protocol").GetString() };

        Assert.Equal(
            (metadata.GetProperty("serviceId").GetString(), endpointPrefix, Optional(metadata, "signingName") ?? endpointPrefix, version),
            (service.ServiceId, service.EndpointPrefix, service.SigningName, service.ApiVersion));
        Assert.Contains(service.Protocol switch { AwsProtocol.Json => "json", AwsProtocol.Query => "query", _ => "ec2" }, protocols);
        Assert.Equal(service.Protocol == AwsProtocol.Json ? Optional(metadata, "targetPrefix") : null, service.TargetPrefix);
    }

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
            .Select(found => (found.Operation.Name, Model: ModelOf(found.Client), found.Operation.Paginator))
            .Where(found => !Same(BotocoreModels.Paginator(found.Model.Name, found.Model.Version, found.Name), found.Paginator!))
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

    private static (string Name, string Version) ModelOf(Type client)
    {
        var serviceId = AwsServices.Registry.FindClient(client)?.Service.ServiceId
                        ?? throw new InvalidOperationException($"{client.Name} declares a paged operation but is no registered client.");
        var row = Models.Single(r => (string)r[0] == serviceId);
        return ((string)row[1], (string)row[2]);
    }

    private static bool Same(JsonElement? botocore, AwsPaginator declared) =>
        botocore is { } entry
        && entry.GetProperty("input_token").GetString() == declared.InputToken
        && entry.GetProperty("output_token").GetString() == declared.OutputToken
        && Optional(entry, "limit_key") == declared.LimitKey
        && Optional(entry, "more_results") == declared.MoreResults
        && (entry.GetProperty("result_key") is { ValueKind: JsonValueKind.Array } keys
            ? keys.EnumerateArray().Select(k => k.GetString()!).ToArray()
            : new[] { entry.GetProperty("result_key").GetString()! }).SequenceEqual(declared.ResultKeys);

    private static string? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetString() : null;
}
