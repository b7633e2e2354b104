using System;
using System.IO;
using System.Linq;
using System.Text;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Engine.Tests.Support;
using DeployOps.Environments;
using Xunit;

namespace DeployOps.Engine.Tests.Environments;

public sealed class DeploymentEnvironmentFileTests : IDisposable
{
    private const string Valid = """
        {
          // operators' environments
          "environments": {
            "dev": {
              "region": "eu-west-1",
              "profile": "lightwave-dev",
              "endpointUrl": "http://127.0.0.1:4566",
              "cluster": "web-dev",
              "services": {
                "api": { "healthCheckPath": "/health", "publicHealthUrl": "https://dev.example.com/api/health" },
                "worker": { "healthCheckPath": "/healthz" },
              }
            },
            "prod": { "region": "eu-west-1", "profile": "lightwave-admin-new", "cluster": "web-prod" }
          }
        }
        """;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void ValidFileIsRead()
    {
        var file = Parse(Valid);

        var dev = file.Get("dev");

        Assert.Equal(("eu-west-1", "lightwave-dev", "web-dev"), (dev.Region, dev.Profile, dev.Cluster));
        Assert.Equal(new Uri("http://127.0.0.1:4566"), new Uri(dev.EndpointUrl!));
        Assert.Equal(new ServiceSettings("api", "/health", new Uri("https://dev.example.com/api/health")), dev.Services["api"]);
        Assert.Equal(new ServiceSettings("worker", "/healthz", null), dev.Services["worker"]);
        Assert.Empty(file.Get("prod").Services);
    }

    [Fact]
    public void FileWithAByteOrderMarkIsRead()
    {
        // What Windows PowerShell 5.1's Set-Content -Encoding UTF8 writes.
        var withBom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(Valid)).ToArray();

        var file = DeploymentEnvironmentFile.Parse(withBom, "deployops.json");

        Assert.Equal("web-dev", file.Get("dev").Cluster);
    }

    [Fact]
    public void UnknownEnvironmentListsTheKnownOnes()
    {
        var error = Assert.Throws<DeploymentSettingsException>(() => Parse(Valid).Get("stage"));

        Assert.Equal(DeploymentSettingsProblem.UnknownEnvironment, error.Problem);
        Assert.Contains("'stage'", error.Message);
        Assert.Contains("Known environments: dev, prod", error.Message);
    }

    [Theory]
    [InlineData("\"healthCheckPath\": \"/health\", \"publicHealthUrl\"", "\"healthCheckPath\": \"health\", \"publicHealthUrl\"",
        "environments.dev.services.api.healthCheckPath", 10, "a path starting with '/'")]
    [InlineData("\"region\": \"eu-west-1\",\n      \"profile\": \"lightwave-dev\"", "\"region\": \"Ireland\",\n      \"profile\": \"lightwave-dev\"",
        "environments.dev.region", 5, "a region name")]
    [InlineData("\"https://dev.example.com/api/health\"", "\"dev.example.com/health\"",
        "environments.dev.services.api.publicHealthUrl", 10, "an absolute http or https URL")]
    [InlineData("\"cluster\": \"web-prod\"", "\"cluster\": 7", "environments.prod.cluster", 14, "the ECS cluster name")]
    [InlineData("\"cluster\": \"web-prod\"", "\"clustr\": \"web-prod\"", "environments.prod.clustr", 14, "one of the keys region, profile")]
    [InlineData(", \"cluster\": \"web-prod\"", "", "environments.prod.cluster", 14, "the ECS cluster name")]
    public void InvalidValueNamesFileKeyPathLineAndExpectation(string replace, string with, string path, int line, string expected)
    {
        var error = Assert.Throws<DeploymentSettingsException>(() => Parse(Valid.Replace(replace, with)));

        Assert.Equal((DeploymentSettingsProblem.InvalidFile, path, line), (error.Problem, error.JsonPath, error.Line));
        Assert.StartsWith($"{Path.Combine(_directory.Path, "deployops.json")}, line {line}, {path}: expected {expected}", error.Message);
    }

    [Fact]
    public void SyntaxErrorNamesTheLine()
    {
        var error = Assert.Throws<DeploymentSettingsException>(() => Parse("{\n  \"environments\": {\n    \"dev\": { \"region\" \"eu-west-1\" }\n}"));

        Assert.Equal((DeploymentSettingsProblem.InvalidFile, 3), (error.Problem, error.Line));
        Assert.Contains("line 3: not valid JSON", error.Message);
    }

    [Fact]
    public void NoEnvironmentsIsAnError()
    {
        var error = Assert.Throws<DeploymentSettingsException>(() => Parse("{ \"environments\": {} }"));

        Assert.Equal("environments", error.JsonPath);
    }

    [Fact]
    public void SearchOrderIsExplicitPathThenVariableThenCurrentDirectoryThenHome()
    {
        var explicitFile = WriteFile("explicit/custom.json", "explicit");
        var variableFile = WriteFile("variable/settings.json", "variable");
        var work = Path.GetDirectoryName(WriteFile("work/deployops.json", "cwd"))!;
        var home = Path.GetDirectoryName(Path.GetDirectoryName(WriteFile("home/.deployops/deployops.json", "home")))!;
        var empty = Directory.CreateDirectory(Path.Combine(_directory.Path, "empty")).FullName;
        var withVariable = new FixedAwsEnvironment(homeDirectory: home).With(DeploymentEnvironmentFile.PathVariable, variableFile);
        var withoutVariable = new FixedAwsEnvironment(homeDirectory: home);

        Assert.Equal("explicit", ClusterOf(DeploymentEnvironmentFile.Find("../explicit/custom.json", withVariable, work)));
        Assert.Equal("variable", ClusterOf(DeploymentEnvironmentFile.Find(null, withVariable, work)));
        Assert.Equal("cwd", ClusterOf(DeploymentEnvironmentFile.Find(null, withoutVariable, work)));
        Assert.Equal("home", ClusterOf(DeploymentEnvironmentFile.Find(null, withoutVariable, empty)));
        Assert.Equal(explicitFile, DeploymentEnvironmentFile.Find(explicitFile, withoutVariable, empty).Path);
    }

    [Fact]
    public void NamedFileThatIsMissingIsAnErrorNotAFallThrough()
    {
        WriteFile("work/deployops.json", "cwd");
        var work = Path.Combine(_directory.Path, "work");
        var environment = new FixedAwsEnvironment().With(DeploymentEnvironmentFile.PathVariable, "/nowhere/deployops.json");

        var fromVariable = Assert.Throws<DeploymentSettingsException>(() => DeploymentEnvironmentFile.Find(null, environment, work));
        var fromParameter = Assert.Throws<DeploymentSettingsException>(() => DeploymentEnvironmentFile.Find("missing.json", environment, work));

        Assert.Contains("(from DEPLOYOPS_CONFIG)", fromVariable.Message);
        Assert.Contains("(from -ConfigPath)", fromParameter.Message);
        Assert.All(new[] { fromVariable, fromParameter }, e => Assert.Equal(DeploymentSettingsProblem.FileNotFound, e.Problem));
    }

    [Fact]
    public void NamedFileThatIsMissingIsNamedInQuotes()
    {
        var work = Directory.CreateDirectory(Path.Combine(_directory.Path, "work")).FullName;

        var error = Assert.Throws<DeploymentSettingsException>(() => DeploymentEnvironmentFile.Find("missing.json", new FixedAwsEnvironment(), work));

        Assert.Equal($"The settings file '{Path.Combine(work, "missing.json")}' (from -ConfigPath) does not exist.", error.Message);
    }

    [Fact]
    public void NamedFolderIsAnErrorSayingAFolderIsNotASettingsFile()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_directory.Path, "settings")).FullName;

        var error = Assert.Throws<DeploymentSettingsException>(() => DeploymentEnvironmentFile.Find(folder, new FixedAwsEnvironment(), _directory.Path));

        Assert.Equal(DeploymentSettingsProblem.FileNotFound, error.Problem);
        Assert.Contains($"'{folder}' (from -ConfigPath) is a folder", error.Message);
        Assert.Contains("expected a settings file (deployops.json)", error.Message);
        Assert.DoesNotContain("does not exist", error.Message);
    }

    [Fact]
    public void NamedFolderHoldingASettingsFileSuggestsIt()
    {
        var inside = WriteFile("settings/deployops.json", "inside");
        var folder = Path.GetDirectoryName(inside)!;

        var error = Assert.Throws<DeploymentSettingsException>(() => DeploymentEnvironmentFile.Find(folder, new FixedAwsEnvironment(), _directory.Path));

        Assert.Contains($"-ConfigPath '{inside}'", error.Message);
    }

    [Fact]
    public void NoFileAnywhereListsThePlacesSearched()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_directory.Path, "empty")).FullName;

        var error = Assert.Throws<DeploymentSettingsException>(
            () => DeploymentEnvironmentFile.Find(null, new FixedAwsEnvironment(homeDirectory: _directory.Path), empty));

        Assert.Contains(Path.Combine(empty, "deployops.json"), error.Message);
        Assert.Contains(Path.Combine(_directory.Path, ".deployops", "deployops.json"), error.Message);
    }

    [Fact]
    public void ExplicitValuesWinAndTheEnvironmentFillsTheRest()
    {
        var dev = Parse(Valid).Get("dev");
        var credential = new BasicAWSCredentials("a", "b");

        var filled = dev.FillSessionOptions(new AwsSessionOptions { Region = "us-east-2", Credential = credential, MaxAttempts = 5 });
        var bare = dev.FillSessionOptions(new AwsSessionOptions());

        Assert.Equal(("us-east-2", "lightwave-dev", "http://127.0.0.1:4566/", 5), (filled.Region, filled.ProfileName, filled.EndpointUrl, filled.MaxAttempts));
        Assert.Same(credential, filled.Credential);
        Assert.Equal(("eu-west-1", "lightwave-dev"), (bare.Region, bare.ProfileName));
        var fromFile = $"environment 'dev' of {Path.Combine(_directory.Path, "deployops.json")}";
        Assert.Equal((null, fromFile), (filled.RegionSource, filled.ProfileNameSource));
        Assert.Equal((fromFile, fromFile), (bare.RegionSource, bare.ProfileNameSource));
        Assert.Equal(("web-dev", "other"), (dev.ResolveCluster(null), dev.ResolveCluster("other")));
    }

    private DeploymentEnvironmentFile Parse(string json) =>
        DeploymentEnvironmentFile.Parse(Encoding.UTF8.GetBytes(json), Path.Combine(_directory.Path, "deployops.json"));

    private string WriteFile(string relativePath, string cluster) => _directory.Write(
        relativePath, $"{{ \"environments\": {{ \"x\": {{ \"region\": \"us-east-1\", \"cluster\": \"{cluster}\" }} }} }}");

    private static string ClusterOf(DeploymentEnvironmentFile file) => file.Environments.Values.Single().Cluster;
}
