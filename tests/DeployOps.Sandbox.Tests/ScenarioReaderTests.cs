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
        Assert.False(string.IsNullOrWhiteSpace(scenario.Description));
        if (name.StartsWith("lightsail-", StringComparison.Ordinal))
        {
            // Runbook 003's scenarios hold a Lightsail container service and nothing of ECS (tested below).
            Assert.Equal((Lightwave.Lightsail.Region, Lightwave.Lightsail.Service), (scenario.Region, Assert.Single(scenario.Lightsail.ContainerServices).Name));
            Assert.Empty(scenario.Services);
            return;
        }

        // Every other scenario has the backend, once, in the dev cluster; a few add services of their own (tested below).
        var service = Assert.Single(scenario.Services, s => s.Name == Lightwave.Service);
        Assert.Equal(Lightwave.Cluster, service.Cluster);
        Assert.Contains(scenario.TargetGroups, t => t.Name == Lightwave.TargetGroup);
        Assert.Contains(Lightwave.LogGroup, scenario.LogGroups);
    }

    [Fact]
    public void The_contract_scenarios_are_shipped() =>
        Assert.Subset(ScenarioReader.List(ScenarioReader.DefaultDirectory).ToHashSet(),
            new[]
            {
                "healthy", "health-check-mismatch", "app-not-starting", "network-timeout", "no-targets",
                Lightwave.TwoClusters.Scenario, Lightwave.TargetGroupDeleted.Scenario, Lightwave.Secrets.Scenario,
                Lightwave.Lightsail.Healthy.Scenario, Lightwave.Lightsail.StaleConfig.Scenario, Lightwave.Lightsail.FailedDeployment.Scenario,
                Lightwave.Lightsail.ScaleOne.Scenario,
            }.ToHashSet());

    [Fact]
    public void The_lightsail_scenarios_hold_what_the_contract_says_and_a_deployment_from_an_earlier_one_changes_only_what_it_names()
    {
        var healthy = Assert.Single(ScenarioReader.Read(Lightwave.Lightsail.Healthy.Scenario, ScenarioReader.DefaultDirectory).Lightsail.ContainerServices);
        var stale = Assert.Single(ScenarioReader.Read(Lightwave.Lightsail.StaleConfig.Scenario, ScenarioReader.DefaultDirectory).Lightsail.ContainerServices);
        var failed = Assert.Single(ScenarioReader.Read(Lightwave.Lightsail.FailedDeployment.Scenario, ScenarioReader.DefaultDirectory).Lightsail.ContainerServices);

        var (first, second) = (healthy.Deployments[0].Containers.Single(), healthy.Deployments[1].Containers.Single());
        Assert.Equal((Lightwave.Lightsail.Image(163), Lightwave.Lightsail.Image(165)), (first.Image, second.Image));
        Assert.Equal(first.Environment.Keys.Concat(Lightwave.Lightsail.TokenBudgetVariables).Order(), second.Environment.Keys.Order());
        Assert.Equal(Lightwave.Lightsail.DatabaseUrl, second.Environment["DATABASE_URL"]);
        Assert.Equal((Lightwave.Lightsail.ReadinessPath, 2, "200-499"), (healthy.Deployments[1].PublicEndpoint.HealthCheck.Path, healthy.Scale, healthy.Deployments[1].PublicEndpoint.HealthCheck.SuccessCodes));
        Assert.Equal([Lightwave.Lightsail.Image(162), Lightwave.Lightsail.Image(165)], stale.Images.Select(i => $":api.{i.Label}.{i.Number}"));
        Assert.Equal((1, Lightwave.Lightsail.LivenessPath), (stale.Scale, stale.Deployments.Single().PublicEndpoint.HealthCheck.Path));
        Assert.Equal(Lightwave.Lightsail.Image(Lightwave.Lightsail.FailedDeployment.FailingImage), failed.Deploy!.Containers.Single().Image);
        Assert.Equal(LightsailScenarioReader.DefaultDigest("lightwave/api:1.0.164"), failed.Images.Single(i => i.Number == 164).Digest);
    }

    [Fact]
    public void The_scenarios_with_more_services_name_them_as_the_contract_says()
    {
        var twoClusters = ScenarioReader.Read(Lightwave.TwoClusters.Scenario, ScenarioReader.DefaultDirectory);
        var deleted = ScenarioReader.Read(Lightwave.TargetGroupDeleted.Scenario, ScenarioReader.DefaultDirectory);

        // The dev cluster's service comes first, so the loader creates that cluster first.
        Assert.Equal(
            [(Lightwave.Cluster, Lightwave.Service), (Lightwave.TwoClusters.WorkersCluster, Lightwave.TwoClusters.WorkerService)],
            twoClusters.Services.Select(s => (s.Cluster, s.Name)));
        var workerGroup = Assert.Single(twoClusters.TargetGroups, t => t.Name == Lightwave.TwoClusters.WorkerTargetGroup);
        Assert.Equal(Lightwave.WrongHealthPath, workerGroup.HealthCheck.Path);
        Assert.Equal(
            [(Lightwave.Cluster, Lightwave.Service), (Lightwave.Cluster, Lightwave.TargetGroupDeleted.FrontendService)],
            deleted.Services.Select(s => (s.Cluster, s.Name)));
        Assert.Equal([Lightwave.TargetGroupDeleted.FrontendTargetGroup], deleted.TargetGroups.Where(t => t.DeleteAfterLoad).Select(t => t.Name));
    }

    [Fact]
    public void The_secrets_scenario_seeds_the_contract_s_values()
    {
        var scenario = ScenarioReader.Read(Lightwave.Secrets.Scenario, ScenarioReader.DefaultDirectory);

        var revision = scenario.TaskDefinitions.Single(t => $"{t.Family}:{t.Revision}" == Lightwave.Secrets.TaskDefinition);
        var environment = Assert.Single(revision.Containers).Environment;
        Assert.Equal(Lightwave.Secrets.DatabaseUrl, environment["DATABASE_URL"]);
        Assert.Equal(Lightwave.Secrets.ApiToken, environment["API_TOKEN"]);
        var application = scenario.Applications[Assert.Single(revision.Containers).Image];
        Assert.Equal(
            [Lightwave.Secrets.ApiTokenLogLine, Lightwave.Secrets.AccessKeyLogLine, Lightwave.Secrets.DatabaseLogLine],
            application.Failure.Logs);
        Assert.Equal((AppFailureKind.Crash, 1), (application.Failure.Kind, application.Failure.ExitCode));
        Assert.Equal(Lightwave.Secrets.HealthCheckPath, Assert.Single(scenario.TargetGroups).HealthCheck.Path);
    }

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

    [Fact]
    public void A_null_in_a_child_removes_a_variable_that_a_from_revision_would_bring_back()
    {
        // The parent's revision 2 starts from revision 1 (which sets SECRET_KEY and DATABASE_URL) and sets DATABASE_URL
        // itself; the child removes both. Neither may come back through 'from: 1' once the files are merged.
        File.Copy(Path.Combine(ScenarioReader.DefaultDirectory, "healthy.yaml"), Path.Combine(_folder, "healthy.yaml"));
        File.WriteAllText(Path.Combine(_folder, "parent.yaml"), """
            extends: healthy
            taskDefinitions:
              lightwave-backend-dev:
                2:
                  from: 1
                  containers:
                    backend:
                      environment:
                        DEBUG: "1"
                        DATABASE_URL: postgres://parent@db:5432/lightwave
            """);
        File.WriteAllText(Path.Combine(_folder, "child.yaml"), """
            extends: parent
            taskDefinitions:
              lightwave-backend-dev:
                2:
                  containers:
                    backend:
                      environment:
                        SECRET_KEY: ~
                        DATABASE_URL: ~
            """);

        var parent = ScenarioReader.Read("parent", _folder).TaskDefinitions.Single(t => t.Revision == 2).Containers[0].Environment;
        var child = ScenarioReader.Read("child", _folder).TaskDefinitions.Single(t => t.Revision == 2).Containers[0].Environment;

        Assert.Equal(["DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE", "SECRET_KEY"], parent.Keys.Order());
        Assert.Equal(["DEBUG", "DJANGO_SETTINGS_MODULE"], child.Keys.Order());
    }

    [Fact]
    public void A_null_in_a_child_still_names_a_known_key_and_leaves_the_default()
    {
        File.Copy(Path.Combine(ScenarioReader.DefaultDirectory, "healthy.yaml"), Path.Combine(_folder, "healthy.yaml"));
        File.WriteAllText(Path.Combine(_folder, "child.yaml"),
            "extends: healthy\ntargetGroups:\n  lightwave-dev-backend-tg:\n    healthCheck:\n      path: ~\n      colour: ~\n");

        var error = Assert.Throws<ScenarioException>(() => ScenarioReader.Read("child", _folder));
        Assert.Contains("unknown key 'colour'", error.Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(_folder, "child.yaml"), "extends: healthy\ntargetGroups:\n  lightwave-dev-backend-tg:\n    healthCheck:\n      path: ~\n");
        Assert.Equal("/", Assert.Single(ScenarioReader.Read("child", _folder).TargetGroups).HealthCheck.Path);
    }

    [Theory]
    [InlineData("targetGroups:\n  tg:\n    port: eighty\n", "bad.yaml line 3, column 11: targetGroups.tg.port: expected a whole number from 1 to 65535, found 'eighty'.")]
    [InlineData("targetGroups:\n  tg:\n    port: 80\n    colour: blue\n", "bad.yaml line 4, column 13: targetGroups.tg.colour: unknown key 'colour'")]
    [InlineData("loadBalancers:\n  lb:\n    listeners:\n      - { port: 80, targetGroup: nope }\n", "'nope' is not a target group defined in this scenario")]
    [InlineData("targetGroups: [\n", "bad.yaml line ")]
    [InlineData("region: us-east-1\nregion: eu-west-1\n", "bad.yaml line 2, column 1: not valid YAML")]
    [InlineData("targetGroups:\n  tg:\n    port: 80\n    deleteAfterLoad: true\nloadBalancers:\n  lb:\n    listeners:\n      - { port: 80, targetGroup: tg }\n",
        "bad.yaml line 8, column 7: loadBalancers.lb.listeners: target group 'tg' has deleteAfterLoad: true, so no listener may forward to it")]
    [InlineData("lightsail:\n  containerServices:\n    API:\n      scale: 1\n", "bad.yaml line 4, column 7: lightsail.containerServices.API: 'API' is not a container service name")]
    [InlineData("lightsail:\n  containerServices:\n    api:\n      scale: 21\n", "lightsail.containerServices.api.scale: expected a whole number from 1 to 20, found '21'.")]
    [InlineData("lightsail:\n  containerServices:\n    api:\n      deployments:\n        - containers: { api: { image: ':api.x.1', ports: { 80: HTTP } } }\n          publicEndpoint: { containerName: api, containerPort: 80 }\n",
        "lightsail.containerServices.api: image ':api.x.1' is neither pushed to the service (known: none) nor an application of this scenario.")]
    [InlineData("lightsail:\n  containerServices:\n    api:\n      deployments:\n        - containers: { api: { image: ':api.x.1', ports: { 80: HTTP } } }\n          publicEndpoint: { containerName: web, containerPort: 80 }\n",
        "the public endpoint must name a container of this deployment and one of its ports, found web:80.")]
    [InlineData("lightsail:\n  containerServices:\n    api:\n      deployments:\n        - from: 2\n", "lightsail.containerServices.api.deployments[0].from: expected the version of an earlier deployment (there is none), found '2'.")]
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
