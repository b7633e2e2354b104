using DeployOps.Aws.Configuration;
using DeployOps.Environments;
using DeployOps.Storage;

namespace DeployOps.Commands;

/// <summary>
/// Where the deployment store is, for the cmdlets of runbook 001: -RegistryPath (resolved by the cmdlet), else the
/// environment's <c>registryPath</c>, else <c>$env:DEPLOYOPS_REGISTRY</c>, else <c>./.deployment-registry</c>.
/// </summary>
internal static class StoreSettings
{
    /// <summary>The environment -Environment names (from -ConfigPath or the usual search), or null without -Environment.</summary>
    public static DeploymentEnvironment? Environment(string? name, string? resolvedConfigPath, string currentDirectory) =>
        string.IsNullOrEmpty(name) ? null : DeploymentEnvironmentFile.Find(resolvedConfigPath, ProcessAwsEnvironment.Instance, currentDirectory).Get(name!);

    /// <summary>The store for these settings.</summary>
    public static DeploymentStore Store(string? resolvedRegistryPath, DeploymentEnvironment? environment, string currentDirectory) =>
        DeploymentStore.Locate(resolvedRegistryPath, environment?.RegistryPath, ProcessAwsEnvironment.Instance, currentDirectory);
}
