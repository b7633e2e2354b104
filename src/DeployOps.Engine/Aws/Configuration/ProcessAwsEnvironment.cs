using System;

namespace DeployOps.Aws.Configuration;

/// <summary>The real process environment: what a cmdlet uses.</summary>
public sealed class ProcessAwsEnvironment : IAwsEnvironment
{
    /// <summary>The one instance.</summary>
    public static readonly ProcessAwsEnvironment Instance = new();

    private ProcessAwsEnvironment()
    {
    }

    /// <inheritdoc />
    public string? GetVariable(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <inheritdoc />
    public string? HomeDirectory
    {
        get
        {
            // The order the AWS SDK uses for ~/.aws: HOME, then USERPROFILE.
            var home = GetVariable("HOME") ?? GetVariable("USERPROFILE");
            if (home is not null)
            {
                return home;
            }

            var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return string.IsNullOrEmpty(profile) ? null : profile;
        }
    }
}
