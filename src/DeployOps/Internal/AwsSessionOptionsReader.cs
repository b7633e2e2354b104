using System;
using Amazon.Runtime;
using DeployOps.Aws;

namespace DeployOps.Commands;

/// <summary>
/// Turns the AWS common parameters (as typed, or as tab completion sees them so far) plus AWS.Tools' shell defaults
/// into <see cref="AwsSessionOptions"/>: the one place a cmdlet and a completer read them, so both reach the same account.
/// </summary>
internal static class AwsSessionOptionsReader
{
    /// <summary>
    /// The options for these parameter values. <paramref name="shellVariable"/> reads a variable of the PowerShell session
    /// (null when unset); <paramref name="fill"/> completes what was not given (an environment's region and profile).
    /// The shell's credentials come after -Credential and -ProfileName/-ProfileLocation, so they are only read when they
    /// can be used (reading them from another AWSSDK.Core asks that one for keys).
    /// </summary>
    public static AwsSessionOptions Read(
        string? region,
        string? profileName,
        string? resolvedProfileLocation,
        AWSCredentials? credential,
        string? endpointUrl,
        Func<string, object?> shellVariable,
        Func<AwsSessionOptions, AwsSessionOptions> fill)
    {
        var options = fill(new AwsSessionOptions
        {
            Region = NullIfBlank(region),
            ProfileName = NullIfBlank(profileName),
            ProfileLocation = NullIfBlank(resolvedProfileLocation),
            Credential = credential,
            EndpointUrl = NullIfBlank(endpointUrl),
            ShellDefaultRegion = NullIfBlank(shellVariable(ShellDefaultCredentials.RegionVariable)?.ToString()),
        });

        var explicitCredentials = options.Credential is not null || options.ProfileName is not null || options.ProfileLocation is not null;
        return explicitCredentials
            ? options
            : options with { ShellDefaultCredential = ShellDefaultCredentials.FromStoredValue(shellVariable(ShellDefaultCredentials.CredentialsVariable)) };
    }

    /// <summary>Null for null, empty and blank: a blank parameter means "not given".</summary>
    public static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
