using System;
using Amazon.Runtime;

namespace DeployOps.Aws.Configuration;

/// <summary>Credentials and where they came from. <see cref="ToString"/> names the source only, never a key.</summary>
public sealed class ResolvedCredentials
{
    /// <summary>Explicit credentials passed with -Credential.</summary>
    public const string ParameterSource = "-Credential";

    /// <summary>The shell's default credentials (AWS.Tools' Set-AWSCredential sets the variable).</summary>
    public const string ShellDefaultSource = "$StoredAWSCredentials";

    /// <summary>The environment variables.</summary>
    public const string EnvironmentSource = "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";

    /// <summary>The ECS/EKS container credentials endpoint.</summary>
    public const string ContainerSource = "container credentials";

    /// <summary>The EC2 instance profile.</summary>
    public const string InstanceProfileSource = "EC2 instance profile";

    /// <summary>Creates a resolved pair.</summary>
    public ResolvedCredentials(AWSCredentials credentials, string source)
    {
        Credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        Source = source;
    }

    /// <summary>The credentials, for signing.</summary>
    public AWSCredentials Credentials { get; }

    /// <summary>Where they came from, as messages name it: <c>-Credential</c>, <c>profile 'name'</c>, <c>$StoredAWSCredentials</c>, the variables...</summary>
    public string Source { get; }

    /// <summary>The source of a named profile.</summary>
    public static string ProfileSource(string profileName) => $"profile '{profileName}'";

    /// <inheritdoc />
    public override string ToString() => Source;
}
