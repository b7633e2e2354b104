using System;
using DeployOps.Environments;
using DeployOps.Networking;

namespace DeployOps.Commands;

/// <summary>The path request Test-EcsNetworkPath and Repair-EcsNetworkPath build from their parameters and the environment.</summary>
internal static class NetworkPathRequests
{
    /// <summary>
    /// The request for one service. The database comes from -DatabaseSecurityGroupId and -DatabasePort when either is given
    /// (a missing port is 0, which the engine refuses naming it), else from the environment's database settings.
    /// </summary>
    public static NetworkPathRequest For(string cluster, string service, string[]? groups, int port, bool portGiven, DeploymentEnvironment? environment)
    {
        DatabaseTarget? database = groups is { Length: > 0 } || portGiven
            ? new DatabaseTarget("the database", groups ?? Array.Empty<string>(), port, "-DatabaseSecurityGroupId")
            : environment?.Database is { } settings
                ? new DatabaseTarget(settings.Name, new[] { settings.SecurityGroupId }, settings.Port, $"environment '{environment.Name}'")
                : null;
        return new NetworkPathRequest { Cluster = cluster, Service = service, Database = database, Environment = environment?.Name };
    }
}
