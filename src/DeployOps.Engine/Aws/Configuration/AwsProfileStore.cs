using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Amazon.Runtime.CredentialManagement;

namespace DeployOps.Aws.Configuration;

/// <summary>
/// The named profiles a session can use: the AWS SDK store (when no profile location is given), then the shared
/// credentials and config files, located through <see cref="IAwsEnvironment"/> as the AWS CLI locates them.
/// A profile location that is not a file, and a file that cannot be parsed, are configuration errors naming the file.
/// </summary>
internal sealed class AwsProfileStore
{
    // How AWSSDK.Core reports a line it cannot parse: "Line 3:<text>\n in file /path does not contain a section, ...".
    // The text may hold a key, so only the line number and the file are taken from it.
    private static readonly Regex UnparsableLine = new(@"^Line (?<line>\d+):.*? in file (?<file>.+?) does not contain", RegexOptions.Singleline | RegexOptions.CultureInvariant);

    private readonly IMachineCredentials _machine;
    private readonly CredentialProfileStoreChain? _files;
    private readonly bool _searchSdkStore;

    public AwsProfileStore(IAwsEnvironment environment, IMachineCredentials machine, string? profileLocation)
    {
        _machine = machine;
        _searchSdkStore = string.IsNullOrEmpty(profileLocation);
        if (!_searchSdkStore && !File.Exists(profileLocation))
        {
            throw new AwsConfigurationException(
                AwsConfigurationProblem.ProfileFileNotFound,
                Directory.Exists(profileLocation)
                    ? $"'{profileLocation}' (from -ProfileLocation) is a folder. Expected a shared credentials file, such as ~/.aws/credentials."
                    : $"The credentials file '{profileLocation}' (from -ProfileLocation) does not exist. Expected a shared credentials file, such as ~/.aws/credentials.",
                value: profileLocation);
        }

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

        try
        {
            return _files is not null && _files.TryGetProfile(profileName, out var profile) ? profile : null;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw Unreadable(ex);
        }
    }

    private AwsConfigurationException Unreadable(Exception exception)
    {
        var parsed = UnparsableLine.Match(exception.Message);
        var message = exception is InvalidDataException && parsed.Success
            ? $"The AWS credentials file '{parsed.Groups["file"].Value}', line {parsed.Groups["line"].Value}, is not valid: expected a [profile] "
              + "section, a 'name = value' setting, a # comment or an empty line. Fix or remove that line."
            : $"The AWS profile files ({SearchedLocations}) could not be read: {(exception is InvalidDataException ? "a line is not valid" : exception.Message)}.";
        return new AwsConfigurationException(AwsConfigurationProblem.ProfileFileInvalid, message, exception);
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
