using System;
using System.Reflection;
using Amazon.Runtime;

namespace DeployOps.Commands;

/// <summary>
/// Reads the credentials AWS.Tools' <c>Set-AWSCredential</c> leaves in the shell variable <c>$StoredAWSCredentials</c>:
/// an <c>Amazon.PowerShell.Common.AWSPSCredentials</c> whose <c>Credentials</c> property (internal in AWS.Tools) holds
/// an <see cref="AWSCredentials"/>.
/// <para>
/// When AWS.Tools runs on the same AWSSDK.Core as DeployOps, that object is used as it is (refreshing credentials keep
/// refreshing). When it comes from another AWSSDK.Core load (another version, another load context), its type is not
/// ours: the current immutable credentials are then copied, by reflection, into a <see cref="BasicAWSCredentials"/> or
/// <see cref="SessionAWSCredentials"/>. That copy is a snapshot: temporary credentials expire when they would have.
/// Nothing here ever formats a key into a message.
/// </para>
/// </summary>
internal static class ShellDefaultCredentials
{
    /// <summary>The shell variable Set-AWSCredential writes (AWS.Tools SessionKeys.AWSCredentialsVariableName).</summary>
    public const string CredentialsVariable = "StoredAWSCredentials";

    /// <summary>The shell variable Set-DefaultAWSRegion writes, a region name (AWS.Tools SessionKeys.AWSRegionVariableName).</summary>
    public const string RegionVariable = "StoredAWSRegion";

    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>
    /// The credentials held by <paramref name="storedValue"/> (the variable's value, PSObject already unwrapped), or null
    /// when it holds none. Throws <see cref="DeployOps.Aws.AwsConfigurationException"/> when the stored credentials exist but
    /// cannot produce keys (e.g. expired temporary credentials that fail to refresh).
    /// </summary>
    public static AWSCredentials? FromStoredValue(object? storedValue)
    {
        if (storedValue is null)
        {
            return null;
        }

        if (storedValue is AWSCredentials direct)
        {
            return direct;
        }

        var inner = storedValue.GetType().GetProperty("Credentials", Instance)?.GetValue(storedValue);
        return inner switch
        {
            null => null,
            AWSCredentials same => same,
            _ => CopyForeign(inner),
        };
    }

    private static AWSCredentials? CopyForeign(object foreign)
    {
        var getCredentials = foreign.GetType().GetMethod("GetCredentials", BindingFlags.Instance | BindingFlags.Public, null, Type.EmptyTypes, null);
        if (getCredentials is null)
        {
            return null;
        }

        object? immutable;
        try
        {
            immutable = getCredentials.Invoke(foreign, null);
        }
        catch (TargetInvocationException ex)
        {
            var reason = ex.InnerException ?? ex;
            throw new DeployOps.Aws.AwsConfigurationException(
                DeployOps.Aws.AwsConfigurationProblem.CredentialsUnavailable,
                $"The shell's default AWS credentials (${CredentialsVariable}, set by Set-AWSCredential) could not produce keys: "
                + $"{reason.Message} Run Set-AWSCredential again, or pass -Credential or -ProfileName.",
                reason);
        }

        var accessKey = ReadString(immutable, "AccessKey");
        var secretKey = ReadString(immutable, "SecretKey");
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
        {
            return null;
        }

        var token = ReadString(immutable, "Token");
        return string.IsNullOrEmpty(token)
            ? new BasicAWSCredentials(accessKey, secretKey)
            : new SessionAWSCredentials(accessKey, secretKey, token);
    }

    private static string? ReadString(object? source, string property) =>
        source?.GetType().GetProperty(property, BindingFlags.Instance | BindingFlags.Public)?.GetValue(source) as string;
}
