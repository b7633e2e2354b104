using System;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Logs;
using DeployOps.Aws.Rds;
using DeployOps.Aws.SecretsManager;
using DeployOps.Engine.Tests.Support;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Services;

/// <summary>
/// The typed operations Test-DatabaseConnectivity, Start-DatabaseCluster and Test-VpcNetwork added, over real HTTP against
/// moto: GetSecretValue (the value only inside the reader), StartDBCluster and a cluster's endpoints, DescribeFlowLogs,
/// DescribeLogGroups by prefix.
/// </summary>
public sealed class DatabaseAndVpcClientTests : MotoSessionTest
{
    public DatabaseAndVpcClientTests(MotoFixture moto)
        : base(moto)
    {
    }

    [Fact]
    public async Task GetSecretValue_hands_the_string_to_the_reader_and_an_unknown_secret_is_NotFound()
    {
        var name = MotoSessions.UniqueName("db-url");
        await AwsCli.RunJsonAsync(Moto.Url, "secretsmanager", "create-secret", "--name", name, "--secret-string", "postgres://u:p@db.example:5432/x");
        var client = Session.Client<SecretsManagerClient>();

        var address = await client.ReadSecretStringAsync(name, DeployOps.Databases.DatabaseAddress.Parse);
        var missing = await Assert.ThrowsAsync<AwsServiceException>(() => client.ReadSecretStringAsync(name + "-nope", value => value));

        Assert.Equal(new DeployOps.Databases.DatabaseAddress("db.example", 5432), address);
        Assert.Equal(AwsErrorClassification.NotFound, missing.Classification);
    }

    [Fact]
    public async Task StartDBCluster_starts_a_stopped_cluster_and_DescribeDBClusters_reads_its_endpoints_port_and_capacity()
    {
        var identifier = MotoSessions.UniqueName("aurora");
        await AwsCli.RunJsonAsync(Moto.Url, "rds", "--endpoint-url", Moto.Url.ToString().TrimEnd('/'), "create-db-cluster", "--db-cluster-identifier", identifier,
            "--engine", "aurora-postgresql", "--master-username", "app", "--master-user-password", "not-a-real-password", "--port", "5432",
            "--serverless-v2-scaling-configuration", "MinCapacity=0.5,MaxCapacity=4");
        await AwsCli.RunJsonAsync(Moto.Url, "rds", "--endpoint-url", Moto.Url.ToString().TrimEnd('/'), "stop-db-cluster", "--db-cluster-identifier", identifier);
        var rds = Session.Client<RdsClient>();

        var stopped = (await rds.DescribeDbClustersAsync(identifier)).Single();
        await rds.StartDbClusterAsync(identifier);
        var again = await Assert.ThrowsAsync<AwsServiceException>(() => rds.StartDbClusterAsync(identifier));

        Assert.Equal("stopped", stopped.Status);
        Assert.StartsWith($"{identifier}.cluster-", stopped.Endpoint, StringComparison.Ordinal);
        Assert.StartsWith($"{identifier}.cluster-ro-", stopped.ReaderEndpoint, StringComparison.Ordinal);
        Assert.Equal((5432, 0.5, 4.0), (stopped.Port, stopped.MinCapacity, stopped.MaxCapacity));
        Assert.Equal(("InvalidDBClusterStateFault", AwsErrorClassification.Conflict), (again.ErrorCode, again.Classification));
    }

    [Fact]
    public async Task DescribeFlowLogs_of_a_vpc_and_DescribeLogGroups_by_prefix()
    {
        var vpc = (await AwsCli.RunJsonAsync(Moto.Url, "ec2", "create-vpc", "--cidr-block", "10.9.0.0/16")).GetProperty("Vpc").GetProperty("VpcId").GetString()!;
        var group = "/aws/vpc/" + MotoSessions.UniqueName("flow");
        await AwsCli.RunJsonAsync(Moto.Url, "ec2", "create-flow-logs", "--resource-type", "VPC", "--resource-ids", vpc, "--traffic-type", "REJECT",
            "--log-group-name", group, "--deliver-logs-permission-arn", "arn:aws:iam::123456789012:role/flow");
        await AwsCli.RunJsonAsync(Moto.Url, "logs", "create-log-group", "--log-group-name", group);

        var flowLog = Assert.Single(await Session.Ec2.DescribeFlowLogsAsync(vpc));
        var names = await Session.Client<CloudWatchLogsClient>().DescribeLogGroupNamesAsync(group);

        Assert.Equal((vpc, "REJECT", group, "ACTIVE"), (flowLog.ResourceId, flowLog.TrafficType, flowLog.LogGroupName, flowLog.Status));
        Assert.Equal("arn:aws:iam::123456789012:role/flow", flowLog.DeliverLogsPermissionArn);
        Assert.Equal(new[] { group }, names);
    }
}
