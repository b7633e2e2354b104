using System;
using Amazon.Runtime;

namespace DeployOps.Aws.Configuration;

/// <summary>Credentials and where they came from. <see cref="ToString"/> names the source only, never a key.</summary>
public sealed class ResolvedCredentials
{
    /// <summary>Where explicit credentials passed with -Credential come from.</summary>
    public const string ParameterSource = "Parameter";

    /// <summary>Where the shell's default credentials (AWS.Tools' Set-AWSCredential) come from.</summary>
    public const string ShellDefaultSource = "ShellDefault";

    /// <summary>Where AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY come from.</summary>
    public const string EnvironmentSource = "Environment";

    /// <summary>Where the ECS/EKS container credentials endpoint comes from.</summary>
    public const string ContainerSource = "ContainerCredentials";

    /// <summary>Where the EC2 instance profile comes from.</summary>
    public const string InstanceProfileSource = "InstanceProfile";

    /// <summary>Creates a resolved pair.</summary>
    public ResolvedCredentials(AWSCredentials credentials, string source)
    {
        Credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        Source = source;
    }

    /// <summary>The credentials, for signing.</summary>
    public AWSCredentials Credentials { get; }

    /// <summary>Where they came from: <c>Parameter</c>, <c>Profile:&lt;name&gt;</c>, <c>ShellDefault</c>, <c>Environment</c>, <c>ContainerCredentials</c> or <c>InstanceProfile</c>.</summary>
    public string Source { get; }

    /// <summary>The source of a named profile.</summary>
    public static string ProfileSource(string profileName) => "Profile:" + profileName;

    /// <inheritdoc />
    public override string ToString() => Source;
}
