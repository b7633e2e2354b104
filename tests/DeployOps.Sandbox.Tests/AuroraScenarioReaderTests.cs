using System;
using System.IO;
using System.Linq;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Sandbox.Tests;

/// <summary>The scenario keys of runbook 004's database and VPC sections: auroraClusters, a NAT gateway's state, flow logs.</summary>
public sealed class AuroraScenarioReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("deployops-scenarios-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_database_scenarios_declare_the_cluster_as_the_contract_says()
    {
        var healthy = Assert.Single(ScenarioReader.Read(Lightwave.Aurora.Healthy, ScenarioReader.DefaultDirectory).AuroraClusters);
        var stopped = Assert.Single(ScenarioReader.Read(Lightwave.Aurora.Stopped, ScenarioReader.DefaultDirectory).AuroraClusters);
        var overloaded = Assert.Single(ScenarioReader.Read(Lightwave.Aurora.Overloaded, ScenarioReader.DefaultDirectory).AuroraClusters);
        var unreachable = ScenarioReader.Read(Lightwave.Aurora.Unreachable, ScenarioReader.DefaultDirectory);
        var reader = ScenarioReader.Read(Lightwave.Aurora.ReaderEndpoint, ScenarioReader.DefaultDirectory);

        Assert.Equal((Lightwave.Aurora.Cluster, Lightwave.Aurora.Port, false, Lightwave.Aurora.MaxCapacity), (healthy.Name, healthy.Port, healthy.Stopped, healthy.MaxCapacity));
        Assert.Equal(new[] { Lightwave.Network.DatabaseSecurityGroup }, healthy.SecurityGroups);
        Assert.Equal((true, (double)Lightwave.Aurora.StartSeconds), (stopped.Stopped, stopped.StartSeconds));
        Assert.Equal((1.0, 86.0, 94.0), (overloaded.MaxCapacity, overloaded.Connections, overloaded.CpuPercent));
        Assert.Empty(unreachable.SecurityGroups.Single(g => g.Name == Lightwave.Network.DatabaseSecurityGroup).Ingress);
        var backend = reader.TaskDefinitions.Single().Containers.Single();
        Assert.False(backend.Environment.ContainsKey(Lightwave.Aurora.Variable));
        Assert.Equal(Lightwave.Aurora.SecretName, backend.Secrets[Lightwave.Aurora.Variable]);
        Assert.Contains(Lightwave.Aurora.SecretPassword, reader.SecretsManager[Lightwave.Aurora.SecretName], StringComparison.Ordinal);
    }

    [Fact]
    public void Nat_failed_declares_the_gateway_failed_and_a_flow_log()
    {
        var scenario = ScenarioReader.Read(Lightwave.NatFailed.Scenario, ScenarioReader.DefaultDirectory);

        var nat = Assert.Single(scenario.NatGateways);
        Assert.Equal((Lightwave.Network.NatGateway, "failed", Lightwave.NatFailed.FailureCode), (nat.Name, nat.State, nat.FailureCode));
        var flowLog = Assert.Single(scenario.FlowLogs);
        Assert.Equal((Lightwave.NatFailed.FlowLog, Lightwave.NatFailed.FlowLogGroup, Lightwave.NatFailed.FlowLogRole, "ALL"), (flowLog.Name, flowLog.LogGroup, flowLog.Role, flowLog.TrafficType));
        Assert.DoesNotContain(Lightwave.NatFailed.FlowLogGroup, scenario.LogGroups);
        Assert.False(flowLog.DeleteRoleAfterLoad);
    }

    [Fact]
    public void Flow_log_role_deleted_keeps_the_log_group_and_deletes_the_role_after_load()
    {
        var scenario = ScenarioReader.Read(Lightwave.FlowLogRoleDeleted.Scenario, ScenarioReader.DefaultDirectory);

        var flowLog = Assert.Single(scenario.FlowLogs);
        Assert.Equal((Lightwave.FlowLogRoleDeleted.FlowLog, Lightwave.FlowLogRoleDeleted.FlowLogRole, true), (flowLog.Name, flowLog.Role, flowLog.DeleteRoleAfterLoad));
        Assert.Contains(Lightwave.FlowLogRoleDeleted.FlowLogGroup, scenario.LogGroups);
        Assert.Single(scenario.NatGateways, n => n.State == "available");
    }

    [Theory]
    [InlineData("auroraClusters:\n  db:\n    subnets: [nope]\n", "auroraClusters.db.subnets: 'nope' is not a subnet defined in this scenario")]
    [InlineData("auroraClusters:\n  db:\n    engine: oracle\n    subnets: []\n", "auroraClusters.db.engine: expected one of aurora-postgresql, aurora-mysql, found 'oracle'")]
    [InlineData("auroraClusters:\n  db:\n    status: paused\n    subnets: []\n", "auroraClusters.db.status: expected one of available, stopped, found 'paused'")]
    [InlineData("auroraClusters:\n  db:\n    load: { sessions: 3 }\n    subnets: []\n", "auroraClusters.db.load.sessions: unknown key 'sessions'")]
    [InlineData("auroraClusters:\n  db:\n    maxCapacity: 0\n    subnets: []\n", "auroraClusters.db.maxCapacity: expected a number from 0.5 to 256, found '0'")]
    [InlineData("auroraClusters:\n  db: {}\n", "auroraClusters.db: expected a value for 'subnets'.")]
    [InlineData("network:\n  subnets: { a: { cidr: 10.0.0.0/24, availabilityZone: us-east-1a } }\n  natGateways:\n    nat: { subnet: a, state: broken }\n", "network.natGateways.nat.state: expected one of available, failed, deleted, found 'broken'")]
    [InlineData("network:\n  flowLogs:\n    fl: { logGroup: /aws/vpc/x }\n", "network.flowLogs.fl: expected a value for 'role'.")]
    [InlineData("network:\n  flowLogs:\n    fl: { logGroup: /aws/vpc/x, role: r, deleteRoleAfterLoad: maybe }\n", "network.flowLogs.fl.deleteRoleAfterLoad: expected")]
    public void Mistakes_in_the_database_and_vpc_keys_name_what_was_expected(string yaml, string expected)
    {
        File.WriteAllText(Path.Combine(_folder, "bad.yaml"), yaml);

        var error = Assert.Throws<ScenarioException>(() => ScenarioReader.Read("bad", _folder));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
