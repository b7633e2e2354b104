using Amazon.Runtime;
using DeployOps.Aws;
using Xunit;

namespace DeployOps.Commands.Tests;

/// <summary>
/// Reading $StoredAWSCredentials. The stand-ins have the shape of AWS.Tools' AWSPSCredentials (an internal
/// Credentials property) and, for another AWSSDK.Core load, of its credentials and ImmutableCredentials.
/// </summary>
public class ShellDefaultCredentialsTests
{
    [Fact]
    public void Nothing_stored_is_no_credentials() => Assert.Null(ShellDefaultCredentials.FromStoredValue(null));

    [Fact]
    public void Credentials_of_our_own_AWSSDK_Core_are_used_as_they_are()
    {
        var credentials = new BasicAWSCredentials("AKIDSHELL", "shell-secret");
        Assert.Same(credentials, ShellDefaultCredentials.FromStoredValue(new StoredCredentials(credentials)));
    }

    [Fact]
    public void Credentials_stored_directly_are_used_as_they_are()
    {
        var credentials = new BasicAWSCredentials("AKIDSHELL", "shell-secret");
        Assert.Same(credentials, ShellDefaultCredentials.FromStoredValue(credentials));
    }

    [Fact]
    public void Foreign_credentials_with_a_token_are_copied_into_session_credentials()
    {
        var copied = ShellDefaultCredentials.FromStoredValue(new StoredCredentials(new ForeignCredentials("AKIDFOREIGN", "foreign-secret", "foreign-token")));

        var session = Assert.IsType<SessionAWSCredentials>(copied);
        var keys = session.GetCredentials();
        Assert.Equal(("AKIDFOREIGN", "foreign-secret", "foreign-token"), (keys.AccessKey, keys.SecretKey, keys.Token));
    }

    [Fact]
    public void Foreign_credentials_without_a_token_are_copied_into_basic_credentials()
    {
        var copied = ShellDefaultCredentials.FromStoredValue(new StoredCredentials(new ForeignCredentials("AKIDFOREIGN", "foreign-secret", null)));

        var keys = Assert.IsType<BasicAWSCredentials>(copied).GetCredentials();
        Assert.Equal(("AKIDFOREIGN", "foreign-secret"), (keys.AccessKey, keys.SecretKey));
    }

    [Fact]
    public void Foreign_credentials_that_cannot_produce_keys_are_a_configuration_error_without_secrets()
    {
        var error = Assert.Throws<AwsConfigurationException>(() =>
            ShellDefaultCredentials.FromStoredValue(new StoredCredentials(new FailingCredentials())));

        Assert.Equal(AwsConfigurationProblem.CredentialsUnavailable, error.Problem);
        Assert.Contains("$StoredAWSCredentials", error.Message);
        Assert.Contains("the SSO token has expired", error.Message);
    }

    [Fact]
    public void A_value_of_another_shape_is_no_credentials() =>
        Assert.Null(ShellDefaultCredentials.FromStoredValue("lightwave-admin-new"));

    /// <summary>The shape of Amazon.PowerShell.Common.AWSPSCredentials: the credentials behind an internal property.</summary>
    private sealed class StoredCredentials
    {
        public StoredCredentials(object credentials) => Credentials = credentials;

        internal object Credentials { get; }

        public override string ToString() => "lightwave-admin-new";
    }

    /// <summary>An AWSCredentials of another AWSSDK.Core: not our type, same members.</summary>
    private sealed class ForeignCredentials(string accessKey, string secretKey, string? token)
    {
        public ForeignImmutableCredentials GetCredentials() => new(accessKey, secretKey, token);
    }

    private sealed class ForeignImmutableCredentials(string accessKey, string secretKey, string? token)
    {
        public string AccessKey { get; } = accessKey;

        public string SecretKey { get; } = secretKey;

        public string? Token { get; } = token;
    }

    private sealed class FailingCredentials
    {
        public ForeignImmutableCredentials GetCredentials() => throw new System.InvalidOperationException("the SSO token has expired");
    }
}
