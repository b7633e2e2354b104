using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DeployOps.Commands.Tests.Hosting;

/// <summary>
/// The test process's AWS settings while cmdlets run in it: every variable the AWS layer and DeployOps read is cleared,
/// the shared credentials and config files are empty temp files, the instance metadata service is off. So nothing in
/// ~/.aws or the caller's AWS_* variables is read, and with no -Credential there are no credentials at all.
/// Dispose puts every variable back as it was.
/// </summary>
public sealed class ThrowawayAwsEnvironment : IDisposable
{
    /// <summary>Every variable the AWS layer and DeployOps read (as pester/Sandbox.psm1 clears them).</summary>
    private static readonly string[] Variables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_ECS", "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", "AWS_ENDPOINT_URL_EC2",
        "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "AWS_ENDPOINT_URL_STS", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_MAX_ATTEMPTS",
        "AWS_EC2_METADATA_DISABLED", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "DEPLOYOPS_CONFIG",
    ];

    private readonly Dictionary<string, string?> _saved;

    public ThrowawayAwsEnvironment()
    {
        _saved = Variables.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        Folder = Directory.CreateTempSubdirectory("deployops-commands-tests-").FullName;
        foreach (var name in Variables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", EmptyFile("credentials"));
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", EmptyFile("config"));
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
    }

    /// <summary>A temp folder of the run's own (settings files and the like go here); removed on Dispose.</summary>
    public string Folder { get; }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        Directory.Delete(Folder, recursive: true);
    }

    private string EmptyFile(string name)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, string.Empty);
        return path;
    }
}
