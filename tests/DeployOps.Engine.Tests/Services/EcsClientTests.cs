using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.Protocols;
using DeployOps.Engine.Tests.Support;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Services;

/// <summary>The typed ECS client over real HTTP against moto; the AWS CLI is the oracle for what moto holds.</summary>
public sealed class EcsClientTests : MotoSessionTest
{
    private const string ContainerDefinitions = """
        [{"name":"app","image":"nginx:1.27","essential":true,"memory":512,"memoryReservation":256,
          "portMappings":[{"containerPort":8080,"hostPort":8080,"protocol":"tcp","name":"http"}],
          "environment":[{"name":"MODE","value":"production"},{"name":"API_TOKEN","value":"s3cr3t-value"}],
          "secrets":[{"name":"DB_PASSWORD","valueFrom":"arn:aws:secretsmanager:us-east-1:123456789012:secret:db"}],
          "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/web","awslogs-region":"us-east-1"}}},
         {"name":"sidecar","image":"envoy","essential":false,"memory":128}]
        """;

    public EcsClientTests(MotoFixture moto)
        : base(moto)
    {
    }

    [Fact]
    public async Task DescribeServicesReadsWhatTheCliReads()
    {
        var (cluster, family) = await CreateClusterAndTaskDefinitionAsync();
        var network = await MotoNetwork.CreateAsync(Session);
        var targetGroupArn = $"arn:aws:elasticloadbalancing:us-east-1:{MotoSessions.Account}:targetgroup/web/0123456789abcdef";
        await AwsCli.RunJsonAsync(
            Moto.Url, "ecs", "create-service", "--cluster", cluster, "--service-name", "web", "--task-definition", family,
            "--desired-count", "2", "--launch-type", "FARGATE",
            "--load-balancers", $"targetGroupArn={targetGroupArn},containerName=app,containerPort=8080",
            "--network-configuration", $"awsvpcConfiguration={{subnets=[{network.SubnetA},{network.SubnetB}],securityGroups=[{network.SecurityGroupId}],assignPublicIp=ENABLED}}");
        var cli = (await AwsCli.RunJsonAsync(Moto.Url, "ecs", "describe-services", "--cluster", cluster, "--services", "web")).Get("services.0");

        var service = (await Session.Ecs.DescribeServicesAsync(cluster, new[] { "web" })).Found.Single();

        Assert.Equal(cli.Text("serviceArn"), service.Arn);
        Assert.Equal(("web", cli.Text("clusterArn"), "ACTIVE"), (service.Name, (string?)service.ClusterArn, service.Status));
        Assert.Equal((2, cli.Number("runningCount"), cli.Number("pendingCount")), (service.DesiredCount, (int?)service.RunningCount, (int?)service.PendingCount));
        Assert.Equal((cli.Text("taskDefinition"), "FARGATE"), (service.TaskDefinition, service.LaunchType));
        Assert.Equal(new EcsLoadBalancer(targetGroupArn, null, "app", 8080), service.LoadBalancers.Single());
        Assert.Equal(new[] { network.SubnetA, network.SubnetB }, service.NetworkConfiguration!.Subnets);
        Assert.Equal((network.SecurityGroupId, "ENABLED"), (service.NetworkConfiguration.SecurityGroups.Single(), service.NetworkConfiguration.AssignPublicIp));
        var deployment = service.Deployments.Single();
        Assert.Equal((cli.Text("deployments.0.id"), "PRIMARY", cli.Text("deployments.0.rolloutState")), (deployment.Id, deployment.Status, deployment.RolloutState));
        Assert.Equal((cli.Text("deployments.0.taskDefinition"), 2), (deployment.TaskDefinition, deployment.DesiredCount));
        AssertSameMillisecond(cli.Time("deployments.0.createdAt")!.Value, deployment.CreatedAt!.Value);
        AssertSameMillisecond(cli.Time("deployments.0.updatedAt")!.Value, deployment.UpdatedAt!.Value);
    }

    [Fact]
    public async Task ListServicesReturnsEveryService()
    {
        var (cluster, family) = await CreateClusterAndTaskDefinitionAsync();
        var names = await CreateServicesAsync(cluster, family, 12);

        var arns = await Session.Ecs.ListServicesAsync(cluster);

        Assert.Equal(names.OrderBy(n => n), arns.Select(arn => arn.Split('/').Last()).OrderBy(n => n));
    }

    [Fact]
    public async Task DescribeServicesBatchesByTenAndReportsMissingServices()
    {
        var (cluster, family) = await CreateClusterAndTaskDefinitionAsync();
        var names = await CreateServicesAsync(cluster, family, 21);
        var requested = names.Concat(new[] { "ghost-1", "ghost-2" }).ToList();
        var before = Session.Calls.Get("ECS", "DescribeServices").Calls;

        var result = await Session.Ecs.DescribeServicesAsync(cluster, requested);

        Assert.Equal(3, Session.Calls.Get("ECS", "DescribeServices").Calls - before);
        Assert.Equal(names.OrderBy(n => n), result.Found.Select(s => s.Name).OrderBy(n => n));
        Assert.Equal(new[] { "ghost-1", "ghost-2" }, result.Failures.Select(f => f.Arn!.Split('/').Last()).OrderBy(n => n));
        Assert.All(result.Failures, failure => Assert.Equal((AwsErrorCodes.EcsMissingReason, AwsErrorClassification.NotFound), (failure.Reason, failure.Classification)));
    }

    [Fact]
    public async Task UnknownClusterIsNotFound()
    {
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Session.Ecs.ListServicesAsync("no-such-cluster"));

        Assert.Equal(("ECS", "ListServices", "ClusterNotFoundException", 400), (error.Service, error.Operation, error.ErrorCode, error.HttpStatus));
        Assert.Equal(AwsErrorClassification.NotFound, error.Classification);
    }

    [Fact]
    public async Task UpdateServiceChangesTheServiceWithOneAttempt()
    {
        var (cluster, family) = await CreateClusterAndTaskDefinitionAsync();
        await CreateServicesAsync(cluster, family, 1, "api");

        var updated = await Session.Ecs.UpdateServiceAsync(new EcsUpdateServiceRequest(cluster, "api")
        {
            DesiredCount = 4,
            ForceNewDeployment = true,
        });
        var cli = (await AwsCli.RunJsonAsync(Moto.Url, "ecs", "describe-services", "--cluster", cluster, "--services", "api")).Get("services.0");

        Assert.Equal((4, 4), (updated.DesiredCount, cli.Number("desiredCount")));
        Assert.Equal(new AwsCallCount("ECS", "UpdateService", 1, 1), Session.Calls.Get("ECS", "UpdateService"));
    }

    [Fact]
    public async Task UpdatingAnUnknownServiceIsNotFound()
    {
        var (cluster, _) = await CreateClusterAndTaskDefinitionAsync();

        var error = await Assert.ThrowsAsync<AwsServiceException>(
            () => Session.Ecs.UpdateServiceAsync(new EcsUpdateServiceRequest(cluster, "ghost") { DesiredCount = 1 }));

        Assert.Equal(("ServiceNotFoundException", AwsErrorClassification.NotFound), (error.ErrorCode, error.Classification));
    }

    [Fact]
    public async Task DescribeTaskDefinitionReadsContainerDefinitions()
    {
        var (_, family) = await CreateClusterAndTaskDefinitionAsync();

        var definition = await Session.Ecs.DescribeTaskDefinitionAsync(family);

        Assert.Equal((family, 1, "awsvpc"), (definition.Family, definition.Revision, definition.NetworkMode));
        Assert.EndsWith($":task-definition/{family}:1", definition.Arn, StringComparison.Ordinal);
        var app = definition.ContainerDefinitions[0];
        Assert.Equal(("app", "nginx:1.27", true, 512, 256), (app.Name, app.Image, app.Essential, app.Memory, app.MemoryReservation));
        Assert.Equal(new EcsPortMapping(8080, 8080, "tcp", "http"), app.PortMappings.Single());
        Assert.Equal(new[] { new EcsEnvironmentVariable("MODE", "production"), new EcsEnvironmentVariable("API_TOKEN", "s3cr3t-value") }, app.Environment);
        Assert.Equal("arn:aws:secretsmanager:us-east-1:123456789012:secret:db", app.Secrets.Single(s => s.Name == "DB_PASSWORD").ValueFrom);
        Assert.Equal(("awslogs", "/ecs/web"), (app.LogConfiguration!.LogDriver, app.LogConfiguration.Options["awslogs-group"]));
        Assert.False(definition.ContainerDefinitions[1].Essential);
        Assert.DoesNotContain("s3cr3t-value", app.Environment[1].ToString());
    }

    [Fact]
    public async Task ListTaskDefinitionsFiltersByFamilyPrefix()
    {
        var (_, family) = await CreateClusterAndTaskDefinitionAsync();
        await RegisterTaskDefinitionAsync(family);
        await RegisterTaskDefinitionAsync(family + "-other");

        var arns = await Session.Ecs.ListTaskDefinitionsAsync(familyPrefix: family, status: EcsTaskDefinitionStatus.Active);

        Assert.Equal(new[] { $"{family}:1", $"{family}:2" }, arns.Select(arn => arn.Split('/').Last()));
    }

    [Fact]
    public async Task MissingTaskDefinitionIsNotFound()
    {
        var missing = await Assert.ThrowsAsync<AwsServiceException>(() => Session.Ecs.DescribeTaskDefinitionAsync("no-such-family:1"));

        Assert.Equal(("ClientException", AwsErrorClassification.NotFound), (missing.ErrorCode, missing.Classification));
    }

    [Fact]
    public async Task InvalidParameterIsValidation()
    {
        var (cluster, family) = await CreateClusterAndTaskDefinitionAsync();
        var awsvpc = new AwsParameters { { "awsvpcConfiguration", new AwsParameters { { "subnets", Array.Empty<string>() } } } };

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Session.Ecs.Protocol.CallAsync(
            AwsOperation.NonIdempotent("CreateService"),
            new AwsParameters { { "cluster", cluster }, { "serviceName", "bad" }, { "taskDefinition", family }, { "networkConfiguration", awsvpc } },
            CancellationToken.None));

        Assert.Equal(("InvalidParameterException", AwsErrorClassification.Validation), (error.ErrorCode, error.Classification));
    }

    [Fact]
    public async Task TasksAreListedAndDescribedWithTheirEniAddress()
    {
        var (cluster, family) = await CreateClusterAndTaskDefinitionAsync();
        var network = await MotoNetwork.CreateAsync(Session, "10.7");
        var run = await AwsCli.RunJsonAsync(
            Moto.Url, "ecs", "run-task", "--cluster", cluster, "--task-definition", family, "--launch-type", "FARGATE", "--count", "2",
            "--started-by", "deploy-42", "--network-configuration",
            $"awsvpcConfiguration={{subnets=[{network.SubnetA}],securityGroups=[{network.SecurityGroupId}]}}");
        var stoppedArn = run.Text("tasks.1.taskArn")!;
        await AwsCli.RunJsonAsync(Moto.Url, "ecs", "stop-task", "--cluster", cluster, "--task", stoppedArn, "--reason", "Scaling in");

        var running = await Session.Ecs.ListTasksAsync(new EcsListTasksRequest(cluster) { StartedBy = "deploy-42", DesiredStatus = EcsDesiredStatus.Running });
        var stopped = await Session.Ecs.ListTasksAsync(new EcsListTasksRequest(cluster) { DesiredStatus = EcsDesiredStatus.Stopped });
        var described = await Session.Ecs.DescribeTasksAsync(cluster, running.Concat(stopped).ToList());

        Assert.Equal(new[] { run.Text("tasks.0.taskArn")! }, running);
        Assert.Equal(new[] { stoppedArn }, stopped);
        var task = described.Found.Single(t => t.Arn == running[0]);
        var eniAddress = run.Get("tasks.0.attachments.0.details").EnumerateArray().Single(d => d.Text("name") == "privateIPv4Address").Text("value");
        Assert.Equal((eniAddress, "RUNNING", "deploy-42"), (task.PrivateIpv4Address, task.DesiredStatus, task.StartedBy));
        Assert.False(string.IsNullOrEmpty(task.LastStatus)); // moto moves lastStatus along as tasks are described
        Assert.Equal(("app", "nginx:1.27"), (task.Containers[0].Name, task.Containers[0].Image));
        var stoppedTask = described.Found.Single(t => t.Arn == stoppedArn);
        Assert.Equal(("STOPPED", "Scaling in"), (stoppedTask.DesiredStatus, stoppedTask.StoppedReason));
    }

    [Fact]
    public async Task DescribeTasksBatchesByAHundred()
    {
        var (cluster, family) = await CreateClusterAndTaskDefinitionAsync();
        var network = await MotoNetwork.CreateAsync(Session, "10.8");
        var awsvpc = new AwsParameters
        {
            { "awsvpcConfiguration", new AwsParameters { { "subnets", new[] { network.SubnetA } }, { "securityGroups", new[] { network.SecurityGroupId } } } },
        };
        for (var i = 0; i < 11; i++)
        {
            await Session.Ecs.Protocol.CallAsync(
                AwsOperation.NonIdempotent("RunTask"),
                new AwsParameters { { "cluster", cluster }, { "taskDefinition", family }, { "launchType", "FARGATE" }, { "count", 10 }, { "networkConfiguration", awsvpc } },
                CancellationToken.None);
        }

        var arns = await Session.Ecs.ListTasksAsync(new EcsListTasksRequest(cluster));
        var described = await Session.Ecs.DescribeTasksAsync(cluster, arns);

        Assert.Equal(110, arns.Count);
        Assert.Equal(arns.OrderBy(a => a), described.Found.Select(t => t.Arn).OrderBy(a => a));
        Assert.Equal(2, Session.Calls.Get("ECS", "DescribeTasks").Calls);
    }

    // The CLI prints microseconds, the JSON protocol's epoch seconds are read to the millisecond.
    private static void AssertSameMillisecond(DateTimeOffset expected, DateTimeOffset actual) =>
        Assert.InRange((actual - expected).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));

    private async Task<(string Cluster, string Family)> CreateClusterAndTaskDefinitionAsync()
    {
        var cluster = MotoSessions.UniqueName("cluster");
        var family = MotoSessions.UniqueName("web");
        await AwsCli.RunJsonAsync(Moto.Url, "ecs", "create-cluster", "--cluster-name", cluster);
        await RegisterTaskDefinitionAsync(family);
        return (cluster, family);
    }

    private Task RegisterTaskDefinitionAsync(string family) => AwsCli.RunJsonAsync(
        Moto.Url, "ecs", "register-task-definition", "--family", family, "--network-mode", "awsvpc",
        "--requires-compatibilities", "FARGATE", "--cpu", "256", "--memory", "1024", "--container-definitions", ContainerDefinitions);

    // Bulk creation goes through the engine's own JSON client: one CLI process per service would be slow.
    private async Task<string[]> CreateServicesAsync(string cluster, string family, int count, string? name = null)
    {
        var names = Enumerable.Range(1, count).Select(i => name ?? $"svc-{i:00}").ToArray();
        foreach (var service in names)
        {
            await Session.Ecs.Protocol.CallAsync(
                AwsOperation.NonIdempotent("CreateService"),
                new AwsParameters { { "cluster", cluster }, { "serviceName", service }, { "taskDefinition", family }, { "desiredCount", 1 } },
                CancellationToken.None);
        }

        return names;
    }
}
