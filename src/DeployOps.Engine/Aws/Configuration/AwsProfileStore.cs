using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Amazon.Runtime.CredentialManagement;

namespace DeployOps.Aws.Configuration;

/// <summary>
/// The named profiles a session can use: the AWS SDK store (when no profile location is given), then the shared
/// credentials and config files, located through <see cref="IAwsEnvironment"/> as the AWS CLI locates them.
/// </summary>
internal sealed class AwsProfileStore
{
    private readonly IMachineCredentials _machine;
    private readonly CredentialProfileStoreChain? _files;
    private readonly bool _searchSdkStore;

    public AwsProfileStore(IAwsEnvironment environment, IMachineCredentials machine, string? profileLocation)
    {
        _machine = machine;
        _searchSdkStore = string.IsNullOrEmpty(profileLocation);
        var home = environment.HomeDirectory;
        CredentialsFile = NullIfEmpty(profileLocation)
                          ?? environment.GetVariable("AWS_SHARED_CREDENTIALS_FILE")
                          ?? (home is null ? null : Path.Combine(home, ".aws", "credentials"));

        // AWSSDK.Core reads the config file named by AWS_CONFIG_FILE, else the "config" file next to the credentials file.
        var folder = CredentialsFile is null ? null : Path.GetDirectoryName(Path.GetFullPath(CredentialsFile));
        ConfigFile = environment.GetVariable("AWS_CONFIG_FILE") ?? (folder is null ? null : Path.Combine(folder, "config"));
        _files = CredentialsFile is null ? null : new CredentialProfileStoreChain(CredentialsFile);
    }

    /// <summary>The shared credentials file searched, or null when there is no home directory.</summary>
    public string? CredentialsFile { get; }

    /// <summary>The shared config file searched, or null when there is no home directory.</summary>
    public string? ConfigFile { get; }

    /// <summary>Where profiles were looked for, for error messages.</summary>
    public string SearchedLocations
    {
        get
        {
            var places = new List<string>();
            if (_searchSdkStore)
            {
                places.Add("the AWS SDK credential store (Windows)");
            }

            places.Add(CredentialsFile ?? "(no credentials file: the home directory is unknown)");
            if (ConfigFile is not null)
            {
                places.Add(ConfigFile);
            }

            return string.Join(", ", places);
        }
    }

    /// <summary>Finds a profile by name.</summary>
    public CredentialProfile? Find(string profileName)
    {
        var stored = _searchSdkStore ? _machine.FindSdkStoreProfile(profileName) : null;
        if (stored is not null)
        {
            return stored;
        }

        return _files is not null && _files.TryGetProfile(profileName, out var profile) ? profile : null;
    }

    /// <summary>Every profile name, in the order <see cref="Find"/> searches, each once.</summary>
    public IReadOnlyList<string> Names()
    {
        var stored = _searchSdkStore ? _machine.SdkStoreProfileNames() : Enumerable.Empty<string>();
        var files = _files?.ListProfiles().Select(profile => profile.Name) ?? Enumerable.Empty<string>();
        return stored.Concat(files).Distinct(StringComparer.Ordinal).ToList();
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
