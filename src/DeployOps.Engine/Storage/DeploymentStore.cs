using System.IO;
using DeployOps.Aws.Configuration;

namespace DeployOps.Storage;

/// <summary>
/// The local folder where DeployOps keeps what it must remember between runs and share between processes: the
/// deployment registry (<c>deployments.json</c>, runbook 001), the deployment history (<c>deployment-history.json</c>),
/// the deployment journal of verified revisions, the notification outbox and the monitors' checkpoints. Every file in it
/// is a <see cref="LockedJsonFile{T}"/> (atomic writes, a lock between processes).
/// </summary>
public sealed class DeploymentStore
{
    /// <summary>The folder's name as runbook 001 knows it.</summary>
    public const string DefaultFolderName = ".deployment-registry";

    /// <summary>The variable that names the folder when no parameter or setting does.</summary>
    public const string PathVariable = "DEPLOYOPS_REGISTRY";

    public DeploymentStore(string folder)
    {
        Folder = folder;
    }

    /// <summary>The folder (it may not exist yet).</summary>
    public string Folder { get; }

    /// <summary>Where the value came from, for messages: "-RegistryPath", "the environment's registryPath", ...</summary>
    public string Source { get; private init; } = "";

    /// <summary>
    /// The store's folder: <paramref name="explicitPath"/> (a parameter, already resolved by the cmdlet), else the
    /// environment settings' <paramref name="settingsPath"/>, else <c>$DEPLOYOPS_REGISTRY</c>, else
    /// <c>./.deployment-registry</c> below <paramref name="currentDirectory"/> (PowerShell's location).
    /// </summary>
    public static DeploymentStore Locate(string? explicitPath, string? settingsPath, IAwsEnvironment environment, string currentDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return new DeploymentStore(explicitPath!) { Source = "-RegistryPath" };
        }

        if (!string.IsNullOrWhiteSpace(settingsPath))
        {
            return new DeploymentStore(Path.Combine(currentDirectory, settingsPath!)) { Source = "the environment's registryPath" };
        }

        return environment.GetVariable(PathVariable) is { } fromVariable
            ? new DeploymentStore(Path.Combine(currentDirectory, fromVariable)) { Source = PathVariable }
            : new DeploymentStore(Path.Combine(currentDirectory, DefaultFolderName)) { Source = "the default" };
    }

    /// <summary>A file of the store, e.g. <c>deployments.json</c> or <c>journal.json</c>.</summary>
    public string PathOf(string fileName) => Path.Combine(Folder, fileName);
}
