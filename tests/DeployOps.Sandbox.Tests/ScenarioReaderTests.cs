using System;
using System.IO;
using System.Linq;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Sandbox.Tests;

/// <summary>Scenario files: the shipped ones read, and every mistake names the file, the line and what was expected.</summary>
public sealed class ScenarioReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("deployops-scenarios-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Shipped => new(ScenarioReader.List(ScenarioReader.DefaultDirectory));

    [Theory]
    [MemberData(nameof(Shipped))]
    public void Every_shipped_scenario_reads(string name)
    {
        var scenario = ScenarioReader.Read(name, ScenarioReader.DefaultDirectory);

        var service = Assert.Single(scenario.Services);
        Assert.Equal((Lightwave.Cluster, Lightwave.Service), (service.Cluster, service.Name));
        Assert.Contains(scenario.TargetGroups, t => t.Name == Lightwave.TargetGroup);
        Assert.Contains(Lightwave.LogGroup, scenario.LogGroups);
        Assert.False(string.IsNullOrWhiteSpace(scenario.Description));
    }

    [Fact]
    public void The_contract_scenarios_are_shipped() =>
        Assert.Subset(ScenarioReader.List(ScenarioReader.DefaultDirectory).ToHashSet(),
            new[] { "healthy", "health-check-mismatch", "app-not-starting", "network-timeout", "no-targets" }.ToHashSet());

    [Fact]
    public void Extends_merges_maps_and_a_null_removes_a_key()
    {
        var mismatch = ScenarioReader.Read("health-check-mismatch", ScenarioReader.DefaultDirectory);
        var notStarting = ScenarioReader.Read("app-not-starting", ScenarioReader.DefaultDirectory);

        var group = Assert.Single(mismatch.TargetGroups);
        Assert.Equal(Lightwave.WrongHealthPath, group.HealthCheck.Path);
        Assert.Equal(15, group.HealthCheck.IntervalSeconds);
        var revision2 = notStarting.TaskDefinitions.Single(t => t.Revision == 2);
        Assert.DoesNotContain("SECRET_KEY", revision2.Containers[0].Environment.Keys);
        Assert.Contains("DJANGO_SETTINGS_MODULE", revision2.Containers[0].Environment.Keys);
    }

    [Theory]
    [InlineData("targetGroups:\n  tg:\n    port: eighty\n", "bad.yaml line 3, column 11: targetGroups.tg.port: expected a whole number from 1 to 65535, found 'eighty'.")]
    [InlineData("targetGroups:\n  tg:\n    port: 80\n    colour: blue\n", "bad.yaml line 4, column 13: targetGroups.tg.colour: unknown key 'colour'")]
    [InlineData("loadBalancers:\n  lb:\n    listeners:\n      - { port: 80, targetGroup: nope }\n", "'nope' is not a target group defined in this scenario")]
    [InlineData("targetGroups: [\n", "bad.yaml line ")]
    [InlineData("region: us-east-1\nregion: eu-west-1\n", "bad.yaml line 2, column 1: not valid YAML")]
    public void Mistakes_name_the_file_the_line_and_what_was_expected(string yaml, string expected)
    {
        File.WriteAllText(Path.Combine(_folder, "bad.yaml"), yaml);

        var error = Assert.Throws<ScenarioException>(() => ScenarioReader.Read("bad", _folder));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_in_a_child_point_at_the_child_file()
    {
        File.Copy(Path.Combine(ScenarioReader.DefaultDirectory, "healthy.yaml"), Path.Combine(_folder, "healthy.yaml"));
        File.WriteAllText(Path.Combine(_folder, "child.yaml"), "extends: healthy\ntargetGroups:\n  lightwave-dev-backend-tg:\n    healthCheck:\n      intervalSeconds: 1\n");

        var error = Assert.Throws<ScenarioException>(() => ScenarioReader.Read("child", _folder));

        Assert.StartsWith("child.yaml line 5, column 24: targetGroups.lightwave-dev-backend-tg.healthCheck.intervalSeconds: expected a whole number from 5 to 300", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_names_and_circular_extends_are_explained()
    {
        File.WriteAllText(Path.Combine(_folder, "a.yaml"), "extends: b\n");
        File.WriteAllText(Path.Combine(_folder, "b.yaml"), "extends: a\n");

        Assert.Contains("goes round in a circle: a -> b -> a", Assert.Throws<ScenarioException>(() => ScenarioReader.Read("a", _folder)).Message, StringComparison.Ordinal);
        Assert.Contains("Known scenarios: a, b", Assert.Throws<ScenarioException>(() => ScenarioReader.Read("c", _folder)).Message, StringComparison.Ordinal);
        Assert.Contains("expected letters, digits and dashes", Assert.Throws<ScenarioException>(() => ScenarioReader.Read("../etc", _folder)).Message, StringComparison.Ordinal);
    }
}
