using System;
using System.Collections.Generic;
using DeployOps.Aws;

namespace DeployOps.Environments;

/// <summary>One named environment (<c>dev</c>, <c>prod</c>) from the settings file.</summary>
public sealed record DeploymentEnvironment
{
    /// <summary>The environment's name as written in the file.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary><c>region</c>.</summary>
    public string Region { get; init; } = string.Empty;

    /// <summary><c>profile</c>: the AWS profile to use; null means the default credential chain.</summary>
    public string? Profile { get; init; }

    /// <summary><c>endpointUrl</c>: one endpoint for every service (a sandbox); null for real AWS.</summary>
    public string? EndpointUrl { get; init; }

    /// <summary><c>cluster</c>: the ECS cluster.</summary>
    public string Cluster { get; init; } = string.Empty;

    /// <summary><c>services</c>, by ECS service name.</summary>
    public IReadOnlyDictionary<string, ServiceSettings> Services { get; init; } =
        new Dictionary<string, ServiceSettings>(StringComparer.Ordinal);

    /// <summary><c>lightsail</c>: what DeployOps expects of each Lightsail container service, by service name.</summary>
    public IReadOnlyDictionary<string, VerificationSettings> LightsailServices { get; init; } =
        new Dictionary<string, VerificationSettings>(StringComparer.Ordinal);

    /// <summary>
    /// <c>registryPath</c>: the folder of the deployment store (runbook 001's <c>.deployment-registry</c>: registry, history,
    /// journal, notification outbox, monitors), absolute (a relative value is resolved against the settings file's folder);
    /// null for the default.
    /// </summary>
    public string? RegistryPath { get; init; }

    /// <summary><c>slackChannel</c>: the Slack channel id notifications of this environment go to.</summary>
    public string? SlackChannel { get; init; }

    /// <summary><c>database</c>: the services' database, for Test-EcsNetworkPath's task-to-database hop; null when not set.</summary>
    public DatabaseSettings? Database { get; init; }

    /// <summary>The file the environment was read from.</summary>
    public string SourceFile { get; init; } = string.Empty;

    /// <summary>Where this environment's values come from, for messages: <c>environment 'dev' of /work/deployops.json</c>.</summary>
    public string Source => $"environment '{Name}' of {SourceFile}";

    /// <summary>
    /// The session options to use: every value given explicitly is kept; region, profile and endpoint URL that were
    /// not given come from this environment (and say so, in their sources).
    /// </summary>
    public AwsSessionOptions FillSessionOptions(AwsSessionOptions explicitOptions) => explicitOptions with
    {
        Region = explicitOptions.Region ?? Region,
        RegionSource = explicitOptions.Region is null ? Source : explicitOptions.RegionSource,
        ProfileName = explicitOptions.ProfileName ?? Profile,
        ProfileNameSource = explicitOptions.ProfileName is null ? Source : explicitOptions.ProfileNameSource,
        EndpointUrl = explicitOptions.EndpointUrl ?? EndpointUrl,
    };

    /// <summary>The cluster to use: the explicit one if given, else this environment's.</summary>
    public string ResolveCluster(string? explicitCluster) => string.IsNullOrEmpty(explicitCluster) ? Cluster : explicitCluster!;
}

/// <summary>What DeployOps expects of one ECS service.</summary>
/// <param name="Name">The ECS service name.</param>
/// <param name="HealthCheckPath">The path the target group's health check should use, e.g. <c>/health</c>.</param>
/// <param name="PublicHealthUrl">The URL users reach the service's health endpoint at; null for internal services.</param>
public sealed record ServiceSettings(string Name, string HealthCheckPath, Uri? PublicHealthUrl)
{
    /// <summary>What a post-deploy verification of the service expects (runbook 003).</summary>
    public VerificationSettings Verification { get; init; } = new();
}

/// <summary>
/// What a post-deploy verification (runbook 003's verify-deployment.sh) expects of a service, from the settings file:
/// <c>readyPath</c>, <c>requiredEnvironment</c>, <c>corsOrigins</c>, <c>startupPhases</c>.
/// </summary>
public sealed record VerificationSettings
{
    /// <summary><c>readyPath</c>: the deep health path, e.g. <c>/health/ready</c>.</summary>
    public string? ReadyPath { get; init; }

    /// <summary><c>requiredEnvironment</c>: variable names the running image needs (<c>*</c> matches any characters).</summary>
    public IReadOnlyList<string> RequiredEnvironment { get; init; } = Array.Empty<string>();

    /// <summary><c>corsOrigins</c>: origins whose requests CORS must allow.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = Array.Empty<string>();

    /// <summary><c>startupPhases</c>: the log lines of the startup, in order.</summary>
    public IReadOnlyList<string> StartupPhases { get; init; } = Array.Empty<string>();
}

/// <summary>An environment's database, as Test-EcsNetworkPath checks the path to it.</summary>
/// <param name="Name">What to call it (<c>name</c>, else the security group id).</param>
/// <param name="SecurityGroupId"><c>securityGroupId</c>: the database's security group.</param>
/// <param name="Port"><c>port</c>: the engine's port, e.g. 5432.</param>
public sealed record DatabaseSettings(string Name, string SecurityGroupId, int Port);
