using System;
using System.Linq;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Tasks;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Sandbox.Tests;

/// <summary>
/// The RDS simulator's Aurora clusters and DB instances, and the VPC's failed NAT gateway and flow logs, read with the aws CLI (an
/// independent oracle) and real TCP connections: stopped, then starting for world minutes, then available; endpoints that
/// listen only while the cluster or instance is available and a security group admits the port; AWS/RDS metrics.
/// </summary>
public sealed class AuroraTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public AuroraTests(SandboxFixture sandbox) => _sandbox = sandbox;

    // This aws CLI (v1) does not apply AWS_ENDPOINT_URL to rds: name the endpoint on the command line.
    private string[] Rds(params string[] arguments) => ["rds", "--endpoint-url", _sandbox.Url.ToString().TrimEnd('/'), .. arguments];

    private async Task<JsonElement> ClusterAsync() =>
        (await AwsCli.RunJsonAsync(_sandbox.Url, Rds("describe-db-clusters", "--db-cluster-identifier", Lightwave.Aurora.Cluster))).GetProperty("DBClusters")[0];

    private static async Task<bool> ConnectsAsync(string host, int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port).WaitAsync(TimeSpan.FromSeconds(3));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Adds the rule the -unreachable scenarios lack (the backend's group on 5432) with the aws CLI, and waits until <paramref name="host"/> listens.</summary>
    private async Task AdmitBackendAndWaitAsync(string group, string host)
    {
        await AwsCli.RunAsync(_sandbox.Url, "ec2", "authorize-security-group-ingress", "--group-id", group, "--protocol", "tcp", "--port", "5432",
            "--source-group", await _sandbox.Aws.SecurityGroupIdAsync(Lightwave.BackendSecurityGroup));
        await Eventually.WaitUntilAsync(() => ConnectsAsync(host, 5432), "the endpoint listening once the rule exists");
    }

    [Fact]
    public async Task Db_stopped_starts_through_starting_to_available_and_its_endpoints_open_only_then()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.Aurora.Stopped);
        var cluster = await ClusterAsync();
        var (writer, reader) = (cluster.GetProperty("Endpoint").GetString()!, cluster.GetProperty("ReaderEndpoint").GetString()!);

        Assert.Equal("stopped", cluster.GetProperty("Status").GetString());
        Assert.Equal(Lightwave.Aurora.Port, cluster.GetProperty("Port").GetInt32());
        Assert.NotEqual(writer, reader);
        Assert.False(await ConnectsAsync(writer, Lightwave.Aurora.Port));

        var started = await AwsCli.RunJsonAsync(_sandbox.Url, Rds("start-db-cluster", "--db-cluster-identifier", Lightwave.Aurora.Cluster));
        Assert.Equal("starting", started.GetProperty("DBCluster").GetProperty("Status").GetString());
        Assert.Equal("starting", (await ClusterAsync()).GetProperty("Status").GetString());
        var again = await AwsCli.RunOnceAsync(_sandbox.Url, Rds("describe-db-clusters", "--query", "DBClusters[0].Status", "--output", "text"));
        Assert.Equal("starting", again.Trim());

        await Eventually.WaitUntilAsync(async () => (await ClusterAsync()).GetProperty("Status").GetString() == "available", "the cluster available after 5 world minutes");
        await Eventually.WaitUntilAsync(() => ConnectsAsync(writer, Lightwave.Aurora.Port), "the writer endpoint listening");
        Assert.True(await ConnectsAsync(reader, Lightwave.Aurora.Port));
        var state = (await _sandbox.StateAsync())["auroraClusters"]!.AsArray().Single()!;
        Assert.Equal(("available", true), ((string?)state["status"], (bool)state["listening"]!));
    }

    [Fact]
    public async Task Db_unreachable_keeps_the_available_cluster_closed_until_its_group_admits_5432()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.Aurora.Unreachable);
        var cluster = await ClusterAsync();
        var writer = cluster.GetProperty("Endpoint").GetString()!;
        var group = cluster.GetProperty("VpcSecurityGroups")[0].GetProperty("VpcSecurityGroupId").GetString()!;

        Assert.Equal("available", cluster.GetProperty("Status").GetString());
        Assert.False(await ConnectsAsync(writer, Lightwave.Aurora.Port));

        await AdmitBackendAndWaitAsync(group, writer);
    }

    [Fact]
    public async Task An_available_cluster_publishes_capacity_cpu_and_connections_under_its_identifier()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.Aurora.Healthy);

        var metrics = await Eventually.WaitForAsync(async () =>
        {
            var listed = await AwsCli.RunJsonAsync(_sandbox.Url, "cloudwatch", "list-metrics", "--namespace", "AWS/RDS");
            var names = listed.GetProperty("Metrics").EnumerateArray()
                .Where(m => m.GetProperty("Dimensions")[0].GetProperty("Value").GetString() == Lightwave.Aurora.Cluster)
                .Select(m => m.GetProperty("MetricName").GetString()!).Distinct().Order(StringComparer.Ordinal).ToArray();
            return names.Length == 3 ? names : null;
        }, "three AWS/RDS metrics of the cluster");

        Assert.Equal(new[] { "CPUUtilization", "DatabaseConnections", "ServerlessDatabaseCapacity" }, metrics);
    }

    [Fact]
    public async Task Db_reader_endpoint_keeps_the_url_in_a_secret_naming_the_reader_endpoint()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.Aurora.ReaderEndpoint);
        var reader = (await ClusterAsync()).GetProperty("ReaderEndpoint").GetString();

        var secret = await AwsCli.RunJsonAsync(_sandbox.Url, "secretsmanager", "get-secret-value", "--secret-id", Lightwave.Aurora.SecretName);

        Assert.Equal($"postgresql://lightwave:{Lightwave.Aurora.SecretPassword}@{reader}:5432/lightwave?sslmode=require", secret.GetProperty("SecretString").GetString());
    }

    [Fact]
    public async Task Nat_failed_shows_the_gateway_failed_and_the_flow_log_delivering_to_a_missing_group()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.NatFailed.Scenario);

        var nat = (await AwsCli.RunJsonAsync(_sandbox.Url, "ec2", "describe-nat-gateways")).GetProperty("NatGateways").EnumerateArray().Single();
        var flowLog = (await AwsCli.RunJsonAsync(_sandbox.Url, "ec2", "describe-flow-logs")).GetProperty("FlowLogs").EnumerateArray().Single();
        var groups = await AwsCli.RunJsonAsync(_sandbox.Url, "logs", "describe-log-groups", "--log-group-name-prefix", "/aws/vpc");

        Assert.Equal(("failed", Lightwave.NatFailed.FailureCode), (nat.GetProperty("State").GetString(), nat.GetProperty("FailureCode").GetString()));
        Assert.Equal(Lightwave.NatFailed.FlowLogGroup, flowLog.GetProperty("LogGroupName").GetString());
        Assert.EndsWith($":role/{Lightwave.NatFailed.FlowLogRole}", flowLog.GetProperty("DeliverLogsPermissionArn").GetString(), StringComparison.Ordinal);
        Assert.Empty(groups.GetProperty("logGroups").EnumerateArray());
    }

    private async Task<JsonElement> InstanceAsync() =>
        (await AwsCli.RunJsonAsync(_sandbox.Url, Rds("describe-db-instances", "--db-instance-identifier", Lightwave.DbInstance.Instance))).GetProperty("DBInstances")[0];

    [Fact]
    public async Task Db_instance_stopped_starts_through_starting_to_available_and_its_endpoint_opens_only_then()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.DbInstance.Stopped);
        var instance = await InstanceAsync();
        var address = instance.GetProperty("Endpoint").GetProperty("Address").GetString()!;

        Assert.Equal("stopped", instance.GetProperty("DBInstanceStatus").GetString());
        Assert.Equal((Lightwave.DbInstance.Engine, Lightwave.DbInstance.InstanceClass), (instance.GetProperty("Engine").GetString(), instance.GetProperty("DBInstanceClass").GetString()));
        Assert.Equal(Lightwave.DbInstance.Port, instance.GetProperty("Endpoint").GetProperty("Port").GetInt32());
        Assert.StartsWith("127.", address, StringComparison.Ordinal);
        Assert.False(await ConnectsAsync(address, Lightwave.DbInstance.Port));

        var started = await AwsCli.RunJsonAsync(_sandbox.Url, Rds("start-db-instance", "--db-instance-identifier", Lightwave.DbInstance.Instance));
        Assert.Equal("starting", started.GetProperty("DBInstance").GetProperty("DBInstanceStatus").GetString());
        Assert.Equal("starting", (await InstanceAsync()).GetProperty("DBInstanceStatus").GetString());
        var twice = await Assert.ThrowsAsync<InvalidOperationException>(() => AwsCli.RunAsync(_sandbox.Url, Rds("start-db-instance", "--db-instance-identifier", Lightwave.DbInstance.Instance)));
        Assert.Contains("(InvalidDBInstanceState)", twice.Message, StringComparison.Ordinal);

        await Eventually.WaitUntilAsync(async () => (await InstanceAsync()).GetProperty("DBInstanceStatus").GetString() == "available", "the instance available after 5 world minutes");
        await Eventually.WaitUntilAsync(() => ConnectsAsync(address, Lightwave.DbInstance.Port), "the instance endpoint listening");
        var state = (await _sandbox.StateAsync())["dbInstances"]!.AsArray().Single()!;
        Assert.Equal(("available", true), ((string?)state["status"], (bool)state["listening"]!));
    }

    [Fact]
    public async Task A_stopped_instance_stops_through_stopping_and_closes_its_endpoint()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.DbInstance.Healthy);
        var address = (await InstanceAsync()).GetProperty("Endpoint").GetProperty("Address").GetString()!;
        await Eventually.WaitUntilAsync(() => ConnectsAsync(address, Lightwave.DbInstance.Port), "the instance endpoint listening");

        var stopped = await AwsCli.RunJsonAsync(_sandbox.Url, Rds("stop-db-instance", "--db-instance-identifier", Lightwave.DbInstance.Instance));

        Assert.Equal("stopping", stopped.GetProperty("DBInstance").GetProperty("DBInstanceStatus").GetString());
        await Eventually.WaitUntilAsync(async () => !await ConnectsAsync(address, Lightwave.DbInstance.Port), "the instance endpoint closed");
        await Eventually.WaitUntilAsync(async () => (await InstanceAsync()).GetProperty("DBInstanceStatus").GetString() == "stopped", "the instance stopped after a world minute");
    }

    [Fact]
    public async Task Db_instance_unreachable_keeps_the_available_instance_closed_until_its_group_admits_5432()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.DbInstance.Unreachable);
        var instance = await InstanceAsync();
        var address = instance.GetProperty("Endpoint").GetProperty("Address").GetString()!;
        var group = instance.GetProperty("VpcSecurityGroups")[0].GetProperty("VpcSecurityGroupId").GetString()!;

        Assert.Equal("available", instance.GetProperty("DBInstanceStatus").GetString());
        Assert.False(await ConnectsAsync(address, Lightwave.DbInstance.Port));

        await AdmitBackendAndWaitAsync(group, address);
    }

    [Fact]
    public async Task An_available_instance_publishes_cpu_and_connections_under_its_instance_identifier_and_its_secret_names_its_endpoint()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.DbInstance.Healthy);

        var metrics = await Eventually.WaitForAsync(async () =>
        {
            var listed = await AwsCli.RunJsonAsync(_sandbox.Url, "cloudwatch", "list-metrics", "--namespace", "AWS/RDS", "--dimensions", $"Name=DBInstanceIdentifier,Value={Lightwave.DbInstance.Instance}");
            var names = listed.GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("MetricName").GetString()!).Distinct().Order(StringComparer.Ordinal).ToArray();
            return names.Length == 2 ? names : null;
        }, "two AWS/RDS metrics of the instance");
        var address = (await InstanceAsync()).GetProperty("Endpoint").GetProperty("Address").GetString();
        var secret = await AwsCli.RunJsonAsync(_sandbox.Url, "secretsmanager", "get-secret-value", "--secret-id", Lightwave.DbInstance.SecretName);

        Assert.Equal(new[] { "CPUUtilization", "DatabaseConnections" }, metrics);
        Assert.Equal($"postgresql://lightwave:{Lightwave.DbInstance.SecretPassword}@{address}:5432/lightwave", secret.GetProperty("SecretString").GetString());
    }

    [Fact]
    public async Task Flow_logs_have_their_delivery_role_in_iam_unless_the_scenario_deleted_it_and_then_ec2_says_their_delivery_failed()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.NatFailed.Scenario);
        var role = (await AwsCli.RunJsonAsync(_sandbox.Url, "iam", "get-role", "--role-name", Lightwave.NatFailed.FlowLogRole)).GetProperty("Role");
        var trust = role.GetProperty("AssumeRolePolicyDocument").ToString();

        await _sandbox.LoadScenarioAsync(Lightwave.FlowLogRoleDeleted.Scenario);
        var flowLog = (await AwsCli.RunJsonAsync(_sandbox.Url, "ec2", "describe-flow-logs")).GetProperty("FlowLogs").EnumerateArray().Single();
        var groups = await AwsCli.RunJsonAsync(_sandbox.Url, "logs", "describe-log-groups", "--log-group-name-prefix", Lightwave.FlowLogRoleDeleted.FlowLogGroup);
        var deleted = await Assert.ThrowsAsync<InvalidOperationException>(() => AwsCli.RunAsync(_sandbox.Url, "iam", "get-role", "--role-name", Lightwave.FlowLogRoleDeleted.FlowLogRole));

        Assert.Contains("vpc-flow-logs.amazonaws.com", trust, StringComparison.Ordinal);
        Assert.EndsWith($":role/{Lightwave.FlowLogRoleDeleted.FlowLogRole}", flowLog.GetProperty("DeliverLogsPermissionArn").GetString(), StringComparison.Ordinal);
        Assert.Single(groups.GetProperty("logGroups").EnumerateArray());
        Assert.Contains("NoSuchEntity", deleted.Message, StringComparison.Ordinal);
        Assert.Equal(("FAILED", "Access error"), (flowLog.GetProperty("DeliverLogsStatus").GetString(), flowLog.GetProperty("DeliverLogsErrorMessage").GetString()));

        await AwsCli.RunJsonAsync(_sandbox.Url, "iam", "create-role", "--role-name", Lightwave.FlowLogRoleDeleted.FlowLogRole, "--assume-role-policy-document", trust);
        var delivering = (await AwsCli.RunJsonAsync(_sandbox.Url, "ec2", "describe-flow-logs")).GetProperty("FlowLogs").EnumerateArray().Single();
        Assert.Equal("SUCCESS", delivering.GetProperty("DeliverLogsStatus").GetString());
    }
}
