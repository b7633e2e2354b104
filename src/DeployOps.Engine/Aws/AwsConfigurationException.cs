using System;

namespace DeployOps.Aws;

/// <summary>What is wrong with the AWS configuration.</summary>
public enum AwsConfigurationProblem
{
    /// <summary>No credentials anywhere in the search order.</summary>
    NoCredentials,

    /// <summary>A credential source was found but could not produce credentials (bad profile, failed role assumption).</summary>
    CredentialsUnavailable,

    /// <summary>A named profile does not exist.</summary>
    ProfileNotFound,

    /// <summary>The credentials file named with -ProfileLocation does not exist (or is a folder).</summary>
    ProfileFileNotFound,

    /// <summary>A shared credentials file cannot be parsed.</summary>
    ProfileFileInvalid,

    /// <summary>No region anywhere in the search order.</summary>
    NoRegion,

    /// <summary>A region string does not look like a region.</summary>
    InvalidRegion,

    /// <summary>An endpoint URL is not an absolute http or https URL.</summary>
    InvalidEndpointUrl,

    /// <summary>The attempt count (AWS_MAX_ATTEMPTS) is not a whole number in range.</summary>
    InvalidMaxAttempts,
}

/// <summary>
/// The AWS configuration cannot work: no credentials, no region, a missing profile or credentials file, a corrupt
/// credentials file, a bad endpoint URL, region or attempt count.
/// The message says how to fix it and never contains a secret.
/// </summary>
public sealed class AwsConfigurationException : Exception
{
    /// <summary>Creates the exception; <paramref name="value"/> is the setting at fault, when there is one.</summary>
    public AwsConfigurationException(AwsConfigurationProblem problem, string message, Exception? inner = null, string? value = null)
        : base(message, inner)
    {
        Problem = problem;
        Value = value;
    }

    /// <summary>What is wrong.</summary>
    public AwsConfigurationProblem Problem { get; }

    /// <summary>The setting at fault (an endpoint URL, a region, a profile name, a file), or null when nothing was given (no credentials, no region).</summary>
    public string? Value { get; }
}
