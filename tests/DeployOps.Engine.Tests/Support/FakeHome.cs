using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.Configuration;

namespace DeployOps.Engine.Tests.Support;

/// <summary>
/// A temp home directory with <c>.aws/credentials</c> and <c>.aws/config</c>, and an environment that points at it:
/// resolution tests never read the real user's ~/.aws.
/// </summary>
internal sealed class FakeHome : System.IDisposable
{
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private readonly TempDirectory _directory = new();

    public FakeHome(string credentials = "", string config = "")
    {
        CredentialsFile = _directory.Write(".aws/credentials", credentials);
        ConfigFile = _directory.Write(".aws/config", config);
    }

    public string Path => _directory.Path;

    public string CredentialsFile { get; }

    public string ConfigFile { get; }

    /// <summary>An environment whose home is this folder, with the given variables.</summary>
    public FixedAwsEnvironment Environment(params (string Name, string Value)[] variables) => Of(Path, variables);

    /// <summary>An environment with the given home directory (null for none) and variables.</summary>
    public static FixedAwsEnvironment Of(string? home, params (string Name, string Value)[] variables) =>
        new(variables.Select(v => new KeyValuePair<string, string?>(v.Name, v.Value)), home);

    /// <summary>A file in this home (for -ProfileLocation tests).</summary>
    public string Write(string relativePath, string content) => _directory.Write(relativePath, content);

    public void Dispose() => _directory.Dispose();
}
