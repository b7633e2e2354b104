using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Environments;

namespace DeployOps.Completion;

/// <summary>
/// The names tab completion offers: regions, profiles, environments of the settings file, and (from AWS) clusters and
/// services. AWS lookups are short (one attempt, a few seconds in all), cached for a minute per account, region and
/// endpoint, and silent: a lookup that fails offers nothing, as AWS.Tools' region completion does.
/// </summary>
public static class NameSuggestions
{
    /// <summary>How long names read from AWS are reused.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(1);

    /// <summary>How long one completion may wait for AWS.</summary>
    public static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(3);

    private static readonly ConcurrentDictionary<string, (DateTime ReadAt, IReadOnlyList<string> Names)> Cache = new(StringComparer.Ordinal);

    /// <summary>Every region AWSSDK.Core knows, e.g. us-east-1.</summary>
    public static IReadOnlyList<string> Regions() =>
        Amazon.RegionEndpoint.EnumerableAllRegions.Select(region => region.SystemName).OrderBy(name => name, StringComparer.Ordinal).ToList();

    /// <summary>The profile names in the SDK store and the shared credentials and config files (or <paramref name="profileLocation"/>).</summary>
    public static IReadOnlyList<string> ProfileNames(string? profileLocation) => Quietly(() =>
        new AwsProfileStore(AwsRuntime.Default.Environment, AwsRuntime.Default.MachineCredentials, profileLocation).Names());

    /// <summary>The environments of the settings file (<paramref name="configPath"/>, else the usual search).</summary>
    public static IReadOnlyList<string> EnvironmentNames(string? configPath, string currentDirectory) => Quietly(() =>
        DeploymentEnvironmentFile.Find(configPath, AwsRuntime.Default.Environment, currentDirectory).Environments.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList());

    /// <summary>The ECS clusters the options reach.</summary>
    public static Task<IReadOnlyList<string>> ClustersAsync(AwsSessionOptions options, CancellationToken cancellationToken) =>
        FromAwsAsync(options, "clusters", async session => await session.Ecs.ListClustersAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>The ECS services of <paramref name="cluster"/>.</summary>
    public static Task<IReadOnlyList<string>> ServicesAsync(AwsSessionOptions options, string cluster, CancellationToken cancellationToken) =>
        FromAwsAsync(options, "services of " + cluster, async session => await session.Ecs.ListServicesAsync(cluster, cancellationToken).ConfigureAwait(false));

    /// <summary>The CloudFormation stacks the options reach (deleted ones left out).</summary>
    public static Task<IReadOnlyList<string>> StacksAsync(AwsSessionOptions options, CancellationToken cancellationToken) =>
        FromAwsAsync(options, "stacks", async session => (await session.Client<Aws.CloudFormation.CloudFormationClient>().ListStacksAsync(null, cancellationToken).ConfigureAwait(false))
            .Where(s => s.StackStatus != Aws.CloudFormation.CfnStackStatus.DeleteComplete && s.ParentId is null).Select(s => s.StackName).Distinct(StringComparer.Ordinal).ToList());

    /// <summary>The Lightsail container services of the region.</summary>
    public static Task<IReadOnlyList<string>> LightsailServicesAsync(AwsSessionOptions options, CancellationToken cancellationToken) =>
        FromAwsAsync(options, "lightsail container services", async session =>
            (await session.Client<Aws.Lightsail.LightsailClient>().GetContainerServicesAsync(null, cancellationToken).ConfigureAwait(false)).Select(service => service.Name).ToList());

    /// <summary>The RDS/Aurora clusters of the region.</summary>
    public static Task<IReadOnlyList<string>> DatabaseClustersAsync(AwsSessionOptions options, CancellationToken cancellationToken) =>
        FromAwsAsync(options, "database clusters", async session =>
            (await session.Client<Aws.Rds.RdsClient>().DescribeAllDbClustersAsync(cancellationToken).ConfigureAwait(false)).Select(cluster => cluster.Identifier).ToList());

    /// <summary>The application and network load balancers of the region (Elastic Load Balancing v2).</summary>
    public static Task<IReadOnlyList<string>> LoadBalancersAsync(AwsSessionOptions options, CancellationToken cancellationToken) =>
        FromAwsAsync(options, "load balancers", async session =>
            (await session.LoadBalancing.DescribeAllLoadBalancersAsync(cancellationToken).ConfigureAwait(false)).Select(loadBalancer => loadBalancer.Name).ToList());

    /// <summary>The RDS DB instances of the region.</summary>
    public static Task<IReadOnlyList<string>> DatabaseInstancesAsync(AwsSessionOptions options, CancellationToken cancellationToken) =>
        FromAwsAsync(options, "database instances", async session =>
            (await session.Client<Aws.Rds.RdsClient>().DescribeAllDbInstancesAsync(cancellationToken).ConfigureAwait(false)).Select(instance => instance.Identifier).ToList());

    /// <summary>Forgets every name read from AWS (tests; a shell that changed accounts).</summary>
    public static void ClearCache() => Cache.Clear();

    private static async Task<IReadOnlyList<string>> FromAwsAsync(AwsSessionOptions options, string what, Func<AwsSession, Task<IReadOnlyList<string>>> list)
    {
        var key = string.Join("|", options.Region, options.ProfileName, options.ProfileLocation, options.EndpointUrl, what);
        if (Cache.TryGetValue(key, out var cached) && DateTime.UtcNow - cached.ReadAt < CacheLifetime)
        {
            return cached.Names;
        }

        try
        {
            using var session = AwsSession.Create(options with { MaxAttempts = 1, AttemptTimeout = LookupTimeout });
            var names = (await list(session).ConfigureAwait(false)).Select(AwsArn.LastSegment).OrderBy(n => n, StringComparer.Ordinal).ToList();
            Cache[key] = (DateTime.UtcNow, names);
            return names;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Completion never reports: no credentials, no network, no permission all mean "no suggestions".
            return Array.Empty<string>();
        }
    }

    private static IReadOnlyList<string> Quietly(Func<IReadOnlyList<string>> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Array.Empty<string>();
        }
    }
}
