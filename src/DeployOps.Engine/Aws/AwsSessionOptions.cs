using System;
using Amazon.Runtime;

namespace DeployOps.Aws;

/// <summary>
/// What a cmdlet knows about how to reach AWS: its common parameters plus what the PowerShell session holds
/// (AWS.Tools' shell defaults). Everything is optional; <see cref="AwsSession.Create"/> fills the gaps in
/// AWS Tools for PowerShell's order.
/// </summary>
public sealed record AwsSessionOptions
{
    /// <summary>The default number of requests a session sends at once.</summary>
    public const int DefaultMaxConcurrency = 8;

    /// <summary>-Region.</summary>
    public string? Region { get; init; }

    /// <summary>Where <see cref="Region"/> came from when not from -Region (e.g. <c>environment 'dev' of ./deployops.json</c>); for messages.</summary>
    public string? RegionSource { get; init; }

    /// <summary>-ProfileName: a profile that must exist.</summary>
    public string? ProfileName { get; init; }

    /// <summary>Where <see cref="ProfileName"/> came from when not from -ProfileName; for messages.</summary>
    public string? ProfileNameSource { get; init; }

    /// <summary>-ProfileLocation: the shared credentials file to read profiles from.</summary>
    public string? ProfileLocation { get; init; }

    /// <summary>-Credential: explicit credentials, used before anything else.</summary>
    public AWSCredentials? Credential { get; init; }

    /// <summary>-EndpointUrl: one endpoint for every service (a sandbox, a proxy).</summary>
    public string? EndpointUrl { get; init; }

    /// <summary>The shell's default credentials (AWS.Tools' Set-AWSCredential), handed in by the cmdlet layer.</summary>
    public AWSCredentials? ShellDefaultCredential { get; init; }

    /// <summary>The shell's default region (AWS.Tools' Set-DefaultAWSRegion), handed in by the cmdlet layer.</summary>
    public string? ShellDefaultRegion { get; init; }

    /// <summary>Attempts per call, the first included; null means AWS_MAX_ATTEMPTS, else 3.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Requests in flight at once for this session.</summary>
    public int MaxConcurrency { get; init; } = DefaultMaxConcurrency;

    /// <summary>How long one HTTP attempt may take before it counts as a timeout.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Names the options that are set; never a credential.</summary>
    public override string ToString()
    {
        var credential = Credential is null ? string.Empty : " Credential=(set)";
        var shell = ShellDefaultCredential is null ? string.Empty : " ShellDefaultCredential=(set)";
        return $"AwsSessionOptions Region={Region} ProfileName={ProfileName} ProfileLocation={ProfileLocation} "
               + $"EndpointUrl={EndpointUrl} ShellDefaultRegion={ShellDefaultRegion} MaxAttempts={MaxAttempts}{credential}{shell}";
    }
}
