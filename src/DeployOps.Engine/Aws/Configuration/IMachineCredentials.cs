using System;
using System.Runtime.InteropServices;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace DeployOps.Aws.Configuration;

/// <summary>
/// Credential sources that belong to the machine rather than to files and variables: the AWS SDK's encrypted
/// store (where AWS.Tools' <c>Set-AWSCredential -StoreAs</c> writes on Windows), the container credentials
/// endpoint and the EC2 instance profile. The AWS SDK reads these from the real process, so tests replace them.
/// </summary>
public interface IMachineCredentials
{
    /// <summary>The named profile from the AWS SDK's encrypted store, or null (always null off Windows).</summary>
    CredentialProfile? FindSdkStoreProfile(string profileName);

    /// <summary>The names of the profiles in the AWS SDK's encrypted store (none off Windows).</summary>
    System.Collections.Generic.IEnumerable<string> SdkStoreProfileNames();

    /// <summary>Container credentials when <c>AWS_CONTAINER_CREDENTIALS_RELATIVE_URI</c> or <c>_FULL_URI</c> is set, else null.</summary>
    AWSCredentials? FindContainerCredentials(IAwsEnvironment environment);

    /// <summary>EC2 instance profile credentials when this machine has them, else null.</summary>
    AWSCredentials? FindInstanceProfileCredentials(IAwsEnvironment environment);
}

/// <summary>The machine sources as the AWS SDK provides them: what a cmdlet uses.</summary>
public sealed class SdkMachineCredentials : IMachineCredentials
{
    /// <summary>The one instance.</summary>
    public static readonly SdkMachineCredentials Instance = new();

    private SdkMachineCredentials()
    {
    }

    /// <inheritdoc />
    public CredentialProfile? FindSdkStoreProfile(string profileName)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return null;
        }

        return new NetSDKCredentialsFile().TryGetProfile(profileName, out var profile) ? profile : null;
    }

    /// <inheritdoc />
    public System.Collections.Generic.IEnumerable<string> SdkStoreProfileNames() =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? new NetSDKCredentialsFile().ListProfileNames() : Array.Empty<string>();

    /// <inheritdoc />
    public AWSCredentials? FindContainerCredentials(IAwsEnvironment environment)
    {
        var configured = environment.GetVariable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") is not null
                         || environment.GetVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI") is not null;
        return configured ? new GenericContainerCredentials() : null;
    }

    /// <inheritdoc />
    public AWSCredentials? FindInstanceProfileCredentials(IAwsEnvironment environment)
    {
        if (string.Equals(environment.GetVariable("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            // The constructor asks the instance metadata service for a role; off EC2 it fails quickly.
            return new InstanceProfileAWSCredentials();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A probe: any failure means "no instance profile here", as in AWS.Tools' own chain.
            return null;
        }
    }
}

/// <summary>No machine sources at all: for tests, and for callers that must not probe the machine.</summary>
public sealed class NoMachineCredentials : IMachineCredentials
{
    /// <summary>The one instance.</summary>
    public static readonly NoMachineCredentials Instance = new();

    private NoMachineCredentials()
    {
    }

    /// <inheritdoc />
    public CredentialProfile? FindSdkStoreProfile(string profileName) => null;

    /// <inheritdoc />
    public System.Collections.Generic.IEnumerable<string> SdkStoreProfileNames() => Array.Empty<string>();

    /// <inheritdoc />
    public AWSCredentials? FindContainerCredentials(IAwsEnvironment environment) => null;

    /// <inheritdoc />
    public AWSCredentials? FindInstanceProfileCredentials(IAwsEnvironment environment) => null;
}
