using System;
using System.IO;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace DeployOps.Aws.Configuration;

/// <summary>
/// Finds credentials in AWS Tools for PowerShell's order: -Credential; -ProfileName/-ProfileLocation (missing is an
/// error, never a fall-through); the shell's default credentials; AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; AWS_PROFILE;
/// the <c>default</c> profile; container credentials; the EC2 instance profile.
/// </summary>
internal sealed class AwsCredentialResolver
{
    internal const string DefaultProfileName = "default";

    private readonly IAwsEnvironment _environment;
    private readonly IMachineCredentials _machine;
    private readonly AwsProfileStore _profiles;

    public AwsCredentialResolver(IAwsEnvironment environment, IMachineCredentials machine, AwsProfileStore profiles)
    {
        _environment = environment;
        _machine = machine;
        _profiles = profiles;
    }

    public ResolvedCredentials Resolve(AwsSessionOptions options)
    {
        if (options.Credential is not null)
        {
            return new ResolvedCredentials(options.Credential, ResolvedCredentials.ParameterSource);
        }

        if (!string.IsNullOrEmpty(options.ProfileName))
        {
            return FromRequiredProfile(options.ProfileName!, options.ProfileNameSource ?? "-ProfileName");
        }

        if (!string.IsNullOrEmpty(options.ProfileLocation))
        {
            return FromRequiredProfile(DefaultProfileName, "-ProfileLocation without -ProfileName");
        }

        if (options.ShellDefaultCredential is not null)
        {
            return new ResolvedCredentials(options.ShellDefaultCredential, ResolvedCredentials.ShellDefaultSource);
        }

        var fromVariables = FromEnvironmentKeys();
        if (fromVariables is not null)
        {
            return fromVariables;
        }

        var environmentProfile = _environment.GetVariable("AWS_PROFILE");
        if (environmentProfile is not null)
        {
            return FromRequiredProfile(environmentProfile, "AWS_PROFILE");
        }

        var defaultProfile = _profiles.Find(DefaultProfileName);
        if (defaultProfile is not null && defaultProfile.CanCreateAWSCredentials)
        {
            return FromProfile(defaultProfile);
        }

        return FromMachine() ?? throw NoCredentials();
    }

    private ResolvedCredentials? FromEnvironmentKeys()
    {
        var accessKey = _environment.GetVariable("AWS_ACCESS_KEY_ID");
        var secretKey = _environment.GetVariable("AWS_SECRET_ACCESS_KEY");
        if (accessKey is null && secretKey is null)
        {
            return null;
        }

        if (accessKey is null || secretKey is null)
        {
            var missing = accessKey is null ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY";
            throw new AwsConfigurationException(
                AwsConfigurationProblem.CredentialsUnavailable,
                $"Only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set; {missing} is missing. Set both, or unset both to use a profile.");
        }

        var token = _environment.GetVariable("AWS_SESSION_TOKEN");
        AWSCredentials credentials = token is null
            ? new BasicAWSCredentials(accessKey, secretKey)
            : new SessionAWSCredentials(accessKey, secretKey, token);
        return new ResolvedCredentials(credentials, ResolvedCredentials.EnvironmentSource);
    }

    private ResolvedCredentials FromRequiredProfile(string name, string namedBy)
    {
        var profile = _profiles.Find(name) ?? throw new AwsConfigurationException(
            AwsConfigurationProblem.ProfileNotFound,
            $"The AWS profile '{name}' (from {namedBy}) was not found. Searched: {_profiles.SearchedLocations}. "
            + $"Create it with 'aws configure --profile {name}', or pass -ProfileLocation with the credentials file that holds it.",
            value: name);
        if (!profile.CanCreateAWSCredentials)
        {
            throw new AwsConfigurationException(
                AwsConfigurationProblem.CredentialsUnavailable,
                $"The AWS profile '{name}' (from {namedBy}) has no usable credentials: it needs aws_access_key_id and "
                + "aws_secret_access_key, role_arn with source_profile or credential_source, an sso_ setting, or credential_process.",
                value: name);
        }

        return FromProfile(profile);
    }

    private static ResolvedCredentials FromProfile(CredentialProfile profile)
    {
        try
        {
            var credentials = profile.GetAWSCredentials(profile.CredentialProfileStore);
            return new ResolvedCredentials(credentials, ResolvedCredentials.ProfileSource(profile.Name));
        }
        catch (Exception ex) when (ex is AmazonClientException or InvalidDataException or InvalidOperationException or ArgumentException)
        {
            // AWSSDK.Core reports a bad profile (missing source_profile, cycles, unsupported settings) with these.
            throw new AwsConfigurationException(
                AwsConfigurationProblem.CredentialsUnavailable,
                $"The AWS profile '{profile.Name}' could not produce credentials: {ex.Message}", ex, profile.Name);
        }
    }

    private ResolvedCredentials? FromMachine()
    {
        var container = _machine.FindContainerCredentials(_environment);
        if (container is not null)
        {
            return new ResolvedCredentials(container, ResolvedCredentials.ContainerSource);
        }

        var instance = _machine.FindInstanceProfileCredentials(_environment);
        return instance is null ? null : new ResolvedCredentials(instance, ResolvedCredentials.InstanceProfileSource);
    }

    private AwsConfigurationException NoCredentials() => new(
        AwsConfigurationProblem.NoCredentials,
        "No AWS credentials were found. Provide them in one of these ways: pass -Credential; pass -ProfileName with a profile "
        + $"from {_profiles.SearchedLocations} (create one with 'aws configure --profile <name>'); set AWS_ACCESS_KEY_ID and "
        + "AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary keys); or create a [default] profile. "
        + "On ECS or EC2 the task role or instance profile is used automatically.");
}
