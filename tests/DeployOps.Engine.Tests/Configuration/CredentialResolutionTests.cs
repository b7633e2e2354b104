using System;
using System.Linq;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Engine.Tests.Support;
using Xunit;

namespace DeployOps.Engine.Tests.Configuration;

/// <summary>Every rung of the credential order, with temp credential files and an injected environment.</summary>
public sealed class CredentialResolutionTests : IDisposable
{
    private const string Credentials = @"
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = " + FakeHome.SecretKey + @"

[lightwave-admin-new]
aws_access_key_id = AKIDNAMED
aws_secret_access_key = " + FakeHome.SecretKey + @"

[from-variable]
aws_access_key_id = AKIDVARIABLE
aws_secret_access_key = " + FakeHome.SecretKey + @"

[source]
aws_access_key_id = AKIDSOURCE
aws_secret_access_key = " + FakeHome.SecretKey + @"
";

    private const string Config = @"
[profile config-only]
aws_access_key_id = AKIDCONFIG
aws_secret_access_key = " + FakeHome.SecretKey + @"

[profile deployer]
role_arn = arn:aws:iam::123456789012:role/deployer
source_profile = source

[profile region-only]
region = eu-west-3

[profile sso-admin]
sso_start_url = https://example.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 123456789012
sso_role_name = AdministratorAccess

[profile orphan]
role_arn = arn:aws:iam::123456789012:role/deployer
source_profile = ghost
";

    private static readonly AWSCredentials ExplicitCredential = new BasicAWSCredentials("AKIDEXPLICIT", FakeHome.SecretKey);
    private static readonly AWSCredentials ShellCredential = new BasicAWSCredentials("AKIDSHELL", FakeHome.SecretKey);

    private readonly FakeHome _home = new(Credentials, Config);
    private readonly StubMachineCredentials _machine = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void ExplicitCredentialComesFirst()
    {
        var resolved = Resolve(
            new AwsSessionOptions { Credential = ExplicitCredential, ProfileName = "lightwave-admin-new", ShellDefaultCredential = ShellCredential },
            EnvironmentWithKeys());

        Assert.Same(ExplicitCredential, resolved.Credentials);
        Assert.Equal("-Credential", resolved.Source);
    }

    [Fact]
    public void ProfileNameBeatsShellDefaultAndEnvironmentKeys()
    {
        var resolved = Resolve(
            new AwsSessionOptions { ProfileName = "lightwave-admin-new", ShellDefaultCredential = ShellCredential },
            EnvironmentWithKeys());

        Assert.Equal("profile 'lightwave-admin-new'", resolved.Source);
        Assert.Equal("AKIDNAMED", resolved.Credentials.GetCredentials().AccessKey);
    }

    [Fact]
    public void MissingNamedProfileIsAnErrorNamingTheProfileAndTheFilesSearched()
    {
        var error = Assert.Throws<AwsConfigurationException>(
            () => Resolve(new AwsSessionOptions { ProfileName = "nope" }, EnvironmentWithKeys()));

        Assert.Equal(AwsConfigurationProblem.ProfileNotFound, error.Problem);
        Assert.Contains("'nope'", error.Message);
        Assert.Contains(_home.CredentialsFile, error.Message);
        Assert.Contains(_home.ConfigFile, error.Message);
    }

    [Fact]
    public void ProfileLocationAloneReadsTheDefaultProfileOfThatFile()
    {
        var location = _home.Write("elsewhere/credentials", "[default]\naws_access_key_id = AKIDELSEWHERE\naws_secret_access_key = x\n");

        var resolved = Resolve(new AwsSessionOptions { ProfileLocation = location }, _home.Environment());

        Assert.Equal("profile 'default'", resolved.Source);
        Assert.Equal("AKIDELSEWHERE", resolved.Credentials.GetCredentials().AccessKey);
    }

    [Fact]
    public void ProfileLocationThatLacksTheProfileDoesNotFallBackToTheHomeFiles()
    {
        var location = _home.Write("elsewhere/credentials", "[other]\naws_access_key_id = A\naws_secret_access_key = x\n");

        var error = Assert.Throws<AwsConfigurationException>(
            () => Resolve(new AwsSessionOptions { ProfileName = "lightwave-admin-new", ProfileLocation = location }, _home.Environment()));

        Assert.Equal(AwsConfigurationProblem.ProfileNotFound, error.Problem);
        Assert.Contains(location, error.Message);
    }

    [Fact]
    public void ProfileFromTheConfigFileResolves()
    {
        var resolved = Resolve(new AwsSessionOptions { ProfileName = "config-only" }, _home.Environment());

        Assert.Equal("AKIDCONFIG", resolved.Credentials.GetCredentials().AccessKey);
    }

    [Fact]
    public void ProfileWithoutCredentialsIsAnErrorThatSaysWhatItNeeds()
    {
        var error = Assert.Throws<AwsConfigurationException>(
            () => Resolve(new AwsSessionOptions { ProfileName = "region-only" }, _home.Environment()));

        Assert.Equal(AwsConfigurationProblem.CredentialsUnavailable, error.Problem);
        Assert.Contains("role_arn", error.Message);
    }

    [Fact]
    public void RoleArnProfileWithAMissingSourceProfileIsAnErrorNamingBoth()
    {
        var error = Assert.Throws<AwsConfigurationException>(
            () => Resolve(new AwsSessionOptions { ProfileName = "orphan" }, _home.Environment()));

        Assert.Equal(AwsConfigurationProblem.CredentialsUnavailable, error.Problem);
        Assert.Contains("'orphan'", error.Message);
        Assert.Contains("ghost", error.Message);
    }

    [Fact]
    public void RoleArnProfileResolvesToAssumeRoleCredentials()
    {
        var resolved = Resolve(new AwsSessionOptions { ProfileName = "deployer" }, _home.Environment());

        Assert.IsType<AssumeRoleAWSCredentials>(resolved.Credentials);
        Assert.Equal("profile 'deployer'", resolved.Source);
    }

    [Fact]
    public void SsoProfileResolvesToSsoCredentials()
    {
        var resolved = Resolve(new AwsSessionOptions { ProfileName = "sso-admin" }, _home.Environment());

        Assert.IsType<SSOAWSCredentials>(resolved.Credentials);
        Assert.Equal("profile 'sso-admin'", resolved.Source);
    }

    [Fact]
    public void ShellDefaultBeatsEnvironmentKeys()
    {
        var resolved = Resolve(new AwsSessionOptions { ShellDefaultCredential = ShellCredential }, EnvironmentWithKeys());

        Assert.Same(ShellCredential, resolved.Credentials);
        Assert.Equal("$StoredAWSCredentials", resolved.Source);
    }

    [Fact]
    public void EnvironmentKeysBeatAwsProfileAndTheDefaultProfile()
    {
        var resolved = Resolve(new AwsSessionOptions(), EnvironmentWithKeys(("AWS_PROFILE", "from-variable")));

        Assert.Equal("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", resolved.Source);
        Assert.IsType<BasicAWSCredentials>(resolved.Credentials);
        Assert.Equal("AKIDENVIRONMENT", resolved.Credentials.GetCredentials().AccessKey);
    }

    [Fact]
    public void EnvironmentSessionTokenMakesSessionCredentials()
    {
        var resolved = Resolve(new AwsSessionOptions(), EnvironmentWithKeys(("AWS_SESSION_TOKEN", "TOKEN")));

        Assert.IsType<SessionAWSCredentials>(resolved.Credentials);
        Assert.Equal("TOKEN", resolved.Credentials.GetCredentials().Token);
    }

    [Fact]
    public void OnlyOneEnvironmentKeyIsAnErrorThatNamesTheMissingOneAndNoValue()
    {
        var environment = _home.Environment(("AWS_SECRET_ACCESS_KEY", FakeHome.SecretKey));

        var error = Assert.Throws<AwsConfigurationException>(() => Resolve(new AwsSessionOptions(), environment));

        Assert.Contains("AWS_ACCESS_KEY_ID is missing", error.Message);
        Assert.DoesNotContain(FakeHome.SecretKey, error.Message);
    }

    [Fact]
    public void AwsProfileBeatsTheDefaultProfile()
    {
        var resolved = Resolve(new AwsSessionOptions(), _home.Environment(("AWS_PROFILE", "from-variable")));

        Assert.Equal("profile 'from-variable'", resolved.Source);
        Assert.Equal("AKIDVARIABLE", resolved.Credentials.GetCredentials().AccessKey);
    }

    [Fact]
    public void AwsProfileNamingAMissingProfileIsAnError()
    {
        var error = Assert.Throws<AwsConfigurationException>(
            () => Resolve(new AwsSessionOptions(), _home.Environment(("AWS_PROFILE", "ghost"))));

        Assert.Equal(AwsConfigurationProblem.ProfileNotFound, error.Problem);
        Assert.Contains("AWS_PROFILE", error.Message);
    }

    [Fact]
    public void DefaultProfileComesBeforeMachineCredentials()
    {
        var resolved = Resolve(new AwsSessionOptions(), _home.Environment());

        Assert.Equal("profile 'default'", resolved.Source);
        Assert.DoesNotContain("Container", _machine.Asked);
    }

    [Fact]
    public void ContainerCredentialsComeBeforeTheInstanceProfile()
    {
        using var emptyHome = new FakeHome();
        var machine = new StubMachineCredentials
        {
            Container = new BasicAWSCredentials("AKIDCONTAINER", "x"),
            InstanceProfile = new BasicAWSCredentials("AKIDINSTANCE", "x"),
        };

        var resolved = Resolve(new AwsSessionOptions(), emptyHome.Environment(), machine);

        Assert.Equal("container credentials", resolved.Source);
        Assert.Equal(new[] { "SdkStore:default", "Container" }, machine.Asked);
    }

    [Fact]
    public void InstanceProfileIsTheLastRung()
    {
        using var emptyHome = new FakeHome();
        var machine = new StubMachineCredentials { InstanceProfile = new BasicAWSCredentials("AKIDINSTANCE", "x") };

        var resolved = Resolve(new AwsSessionOptions(), emptyHome.Environment(), machine);

        Assert.Equal("EC2 instance profile", resolved.Source);
    }

    [Fact]
    public void NoCredentialsAnywhereIsAnErrorThatSaysHowToProvideThem()
    {
        using var emptyHome = new FakeHome();

        var error = Assert.Throws<AwsConfigurationException>(() => Resolve(new AwsSessionOptions(), emptyHome.Environment()));

        Assert.Equal(AwsConfigurationProblem.NoCredentials, error.Problem);
        foreach (var way in new[] { "-Credential", "-ProfileName", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "[default] profile" })
        {
            Assert.Contains(way, error.Message);
        }
    }

    [Fact]
    public void SdkStoreProfileIsUsedOnlyWithoutAProfileLocation()
    {
        var stored = new CredentialProfile("stored", new CredentialProfileOptions { AccessKey = "AKIDSTORED", SecretKey = "x" });
        var machine = new StubMachineCredentials { SdkStoreProfile = stored };
        var location = _home.Write("elsewhere/credentials", "[default]\naws_access_key_id = A\naws_secret_access_key = x\n");

        var fromStore = Resolve(new AwsSessionOptions { ProfileName = "stored" }, _home.Environment(), machine);
        var error = Assert.Throws<AwsConfigurationException>(
            () => Resolve(new AwsSessionOptions { ProfileName = "stored", ProfileLocation = location }, _home.Environment(), machine));

        Assert.Equal("AKIDSTORED", fromStore.Credentials.GetCredentials().AccessKey);
        Assert.Equal(AwsConfigurationProblem.ProfileNotFound, error.Problem);
    }

    [Fact]
    public void MissingNamedProfileIsAnErrorNamingTheProfileAndTheFilesSearched_FromTheSettingsFile()
    {
        var error = Assert.Throws<AwsConfigurationException>(() => Resolve(
            new AwsSessionOptions { ProfileName = "nope", ProfileNameSource = "environment 'dev' of deployops.json" }, _home.Environment()));

        Assert.Equal(AwsConfigurationProblem.ProfileNotFound, error.Problem);
        Assert.Contains("'nope' (from environment 'dev' of deployops.json)", error.Message);
    }

    [Fact]
    public void ProfileLocationAloneThatLacksTheDefaultProfileNamesProfileLocationNotProfileName()
    {
        var location = _home.Write("elsewhere/credentials", "[other]\naws_access_key_id = A\naws_secret_access_key = x\n");

        var error = Assert.Throws<AwsConfigurationException>(() => Resolve(new AwsSessionOptions { ProfileLocation = location }, _home.Environment()));

        Assert.Equal(AwsConfigurationProblem.ProfileNotFound, error.Problem);
        Assert.Contains("'default' (from -ProfileLocation without -ProfileName)", error.Message);
        Assert.DoesNotContain("(from -ProfileName)", error.Message);
    }

    [Fact]
    public void ProfileLocationThatDoesNotExistSaysSoAndNamesTheFile()
    {
        var location = System.IO.Path.Combine(_home.Path, "nowhere", "credentials");

        var error = Assert.Throws<AwsConfigurationException>(() => Resolve(new AwsSessionOptions { ProfileLocation = location }, _home.Environment()));

        Assert.Equal(AwsConfigurationProblem.ProfileFileNotFound, error.Problem);
        Assert.Contains($"'{location}' (from -ProfileLocation) does not exist", error.Message);
        Assert.DoesNotContain("-ProfileName)", error.Message);
    }

    [Fact]
    public void ProfileLocationThatIsAFolderSaysSo()
    {
        var error = Assert.Throws<AwsConfigurationException>(() => Resolve(new AwsSessionOptions { ProfileLocation = _home.Path }, _home.Environment()));

        Assert.Equal(AwsConfigurationProblem.ProfileFileNotFound, error.Problem);
        Assert.Contains($"'{_home.Path}' (from -ProfileLocation) is a folder", error.Message);
        Assert.Contains("credentials file", error.Message);
    }

    [Theory]
    [InlineData("[default\naws_access_key_id = AKIDBROKEN\naws_secret_access_key = x\n", 1)]
    [InlineData("[default]\naws_access_key_id = AKIDBROKEN\naws_secret_access_key " + FakeHome.SecretKey + "\n", 3)]
    public void CorruptCredentialsFileIsAConfigurationErrorNamingTheFileAndTheLineButNotItsText(string content, int line)
    {
        using var home = new FakeHome(content);

        // Through the whole session: region comes first, so credentials are the first to read the file.
        var error = Assert.Throws<AwsConfigurationException>(
            () => AwsSession.Create(new AwsSessionOptions { Region = "us-east-1" }, MotoSessions.Runtime(home.Environment())));

        Assert.Equal(AwsConfigurationProblem.ProfileFileInvalid, error.Problem);
        Assert.Contains($"'{home.CredentialsFile}', line {line}", error.Message);
        Assert.DoesNotContain(FakeHome.SecretKey, error.Message);
        Assert.DoesNotContain("AKIDBROKEN", error.Message);
    }

    [Fact]
    public void CorruptCredentialsFileStopsRegionResolutionFromAProfileToo()
    {
        using var home = new FakeHome("garbage\n");

        var error = Assert.Throws<AwsConfigurationException>(
            () => AwsSession.Create(new AwsSessionOptions { Credential = ExplicitCredential }, MotoSessions.Runtime(home.Environment())));

        Assert.Equal(AwsConfigurationProblem.ProfileFileInvalid, error.Problem);
        Assert.Contains($"'{home.CredentialsFile}', line 1", error.Message);
    }

    [Fact]
    public void NoSecretInToStringOfResolvedCredentialsOptionsOrSession()
    {
        var options = new AwsSessionOptions { Region = "us-east-1", Credential = ExplicitCredential, ShellDefaultCredential = ShellCredential };
        using var session = AwsSession.Create(options, MotoSessions.Runtime(_home.Environment()));

        foreach (var text in new[] { session.Credentials.ToString(), options.ToString(), session.ToString() })
        {
            Assert.DoesNotContain(FakeHome.SecretKey, text);
            Assert.DoesNotContain("AKIDEXPLICIT", text);
        }
    }

    private FixedAwsEnvironment EnvironmentWithKeys(params (string Name, string Value)[] more) =>
        _home.Environment(new[] { ("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT"), ("AWS_SECRET_ACCESS_KEY", FakeHome.SecretKey) }.Concat(more).ToArray());

    private ResolvedCredentials Resolve(AwsSessionOptions options, IAwsEnvironment environment, StubMachineCredentials? machine = null)
    {
        machine ??= _machine;
        var profiles = new AwsProfileStore(environment, machine, options.ProfileLocation);
        return new AwsCredentialResolver(environment, machine, profiles).Resolve(options);
    }
}
