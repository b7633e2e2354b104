using System;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Networking;
using DeployOps.Operations;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>Test-VpcNetwork's engine against the sandbox's VPC (runbook 004 "NAT gateway connectivity failures", "VPC flow logs not capturing traffic").</summary>
public sealed class VpcNetworkTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public VpcNetworkTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private async Task<(VpcNetworkReport Report, Aws.AwsCallCounter Calls)> InspectAsync(string scenario)
    {
        await _sandbox.LoadScenarioAsync(scenario);
        var vpc = (await AwsCli.RunAsync(_sandbox.Url, "ec2", "describe-vpcs", "--filters", $"Name=cidr,Values={Lightwave.NatFailed.VpcCidr}", "--query", "Vpcs[0].VpcId", "--output", "text")).Trim();
        using var session = SandboxSessions.Create(_sandbox);
        var report = await new VpcNetworkInspector(new AwsFacts(session, NullOperationObserver.Instance)).InspectAsync(vpc, default);
        Assert.Equal(vpc, report.VpcId);
        return (report, session.Calls);
    }

    private static DiagnosticCheck Check(VpcNetworkReport report, string prefix) => report.Checks.Single(c => c.Name.StartsWith(prefix, StringComparison.Ordinal));

    [Fact]
    public async Task Nat_failed_fails_the_gateway_with_its_failure_code_the_private_route_table_and_the_flow_log_without_its_log_group()
    {
        var (report, calls) = await InspectAsync(Lightwave.NatFailed.Scenario);

        Assert.Equal("Fail", report.Status);
        Assert.True(report.Complete);
        var nat = Check(report, "NAT gateway nat-");
        Assert.Equal(report.FailingCheck, nat.Name);
        Assert.EndsWith($"({Lightwave.Network.NatGateway})", nat.Name, StringComparison.Ordinal);
        Assert.Contains($"is failed: {Lightwave.NatFailed.FailureCode}", Assert.Single(nat.Evidence), StringComparison.Ordinal);
        Assert.Contains("create-nat-gateway", nat.Fix, StringComparison.Ordinal);

        var privateTable = report.Checks.Single(c => c.Name.EndsWith($"({Lightwave.Network.PrivateRouteTable})", StringComparison.Ordinal));
        Assert.Equal("Fail", privateTable.Outcome);
        Assert.Contains(privateTable.Evidence, e => e.Contains("which is failed", StringComparison.Ordinal) && e.Contains(Lightwave.Network.PrivateSubnetA, StringComparison.Ordinal));
        Assert.Equal("Pass", report.Checks.Single(c => c.Name.EndsWith($"({Lightwave.Network.PublicRouteTable})", StringComparison.Ordinal)).Outcome);
        Assert.Equal("Pass", Check(report, "Internet gateway").Outcome);

        var flowLog = Check(report, "Flow log fl-");
        Assert.Equal("Fail", flowLog.Outcome);
        Assert.Contains($"Log group {Lightwave.NatFailed.FlowLogGroup} does not exist", flowLog.Evidence);
        Assert.Contains($"aws logs create-log-group --log-group-name {Lightwave.NatFailed.FlowLogGroup}", flowLog.Fix, StringComparison.Ordinal);
        Assert.Contains(Lightwave.NatFailed.FlowLogRole, flowLog.Evidence[0], StringComparison.Ordinal);
        Assert.Contains($"IAM role {Lightwave.NatFailed.FlowLogRole} exists", flowLog.Evidence);
        Assert.All(calls.Snapshot(), c => Assert.Matches("^(Describe|List|Get)", c.Operation));
    }

    [Fact]
    public async Task Flow_log_role_deleted_fails_only_the_flow_log_naming_the_missing_role_and_its_fix()
    {
        var (report, calls) = await InspectAsync(Lightwave.FlowLogRoleDeleted.Scenario);

        Assert.Equal("Fail", report.Status);
        Assert.True(report.Complete);
        var flowLog = Check(report, "Flow log fl-");
        Assert.Equal((flowLog.Name, "Fail"), (report.FailingCheck, flowLog.Outcome));
        Assert.All(report.Checks.Where(c => c != flowLog), c => Assert.NotEqual("Fail", c.Outcome));
        Assert.Contains(flowLog.Evidence, e => e.StartsWith($"IAM role {Lightwave.FlowLogRoleDeleted.FlowLogRole} does not exist (NoSuchEntity)", StringComparison.Ordinal));
        Assert.DoesNotContain(flowLog.Evidence, e => e.Contains("Log group", StringComparison.Ordinal));
        Assert.EndsWith("delivery FAILED (Access error)", flowLog.Evidence[0], StringComparison.Ordinal);
        Assert.DoesNotContain("aws iam get-role", flowLog.Fix, StringComparison.Ordinal);
        Assert.Contains($"aws iam create-role --role-name {Lightwave.FlowLogRoleDeleted.FlowLogRole} ", flowLog.Fix, StringComparison.Ordinal);
        Assert.Contains("vpc-flow-logs.amazonaws.com", flowLog.Fix, StringComparison.Ordinal);
        Assert.Contains(flowLog.Fix!, report.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains(calls.Snapshot(), c => c.Operation == "GetRole");
    }

    [Fact]
    public async Task A_delivery_role_iam_will_not_show_makes_the_flow_log_unknown_and_the_report_incomplete_never_pass()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.FlowLogRoleDeleted.Scenario);
        await using (await _sandbox.FaultsAsync("""{"seed": 5, "rules": [{"service": "iam", "operation": "GetRole", "kind": "throttle", "rate": 1}]}"""))
        {
            var vpc = (await AwsCli.RunAsync(_sandbox.Url, "ec2", "describe-vpcs", "--filters", $"Name=cidr,Values={Lightwave.NatFailed.VpcCidr}", "--query", "Vpcs[0].VpcId", "--output", "text")).Trim();
            using var session = SandboxSessions.Create(_sandbox);

            var report = await new VpcNetworkInspector(new AwsFacts(session, NullOperationObserver.Instance)).InspectAsync(vpc, default);

            var flowLog = Check(report, "Flow log fl-");
            Assert.Equal(("Unknown", "Unknown", false), (flowLog.Outcome, report.Status, report.Complete));
            Assert.Contains($"IAM role {Lightwave.FlowLogRoleDeleted.FlowLogRole} (Throttling after {session.MaxAttempts} attempts)", Assert.Single(flowLog.Evidence), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Healthy_passes_the_gateways_and_route_tables_and_finds_no_flow_log()
    {
        var (report, _) = await InspectAsync("healthy");

        Assert.Equal("Pass", Check(report, "NAT gateway nat-").Outcome);
        Assert.All(report.Checks.Where(c => c.Name.StartsWith("Route table", StringComparison.Ordinal)), c => Assert.Equal("Pass", c.Outcome));
        Assert.Equal(2, report.Checks.Count(c => c.Name.StartsWith("Route table", StringComparison.Ordinal)));
        Assert.Equal("Skipped", Check(report, "VPC endpoints").Outcome);
        var flowLogs = Check(report, "Flow logs");
        Assert.Equal(("Fail", report.FailingCheck), (flowLogs.Outcome, flowLogs.Name));
        Assert.Contains("aws ec2 create-flow-logs --resource-type VPC", flowLogs.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_or_malformed_vpc_id_is_an_error_naming_it()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        using var session = SandboxSessions.Create(_sandbox);
        var inspector = new VpcNetworkInspector(new AwsFacts(session, NullOperationObserver.Instance));

        var missing = await Assert.ThrowsAsync<DeployOpsException>(() => inspector.InspectAsync("vpc-0123456789abcdef0", default));
        var malformed = await Assert.ThrowsAsync<DeployOpsException>(() => inspector.InspectAsync("subnet-12345678", default));

        Assert.Equal((ErrorIds.VpcNotFound, DeployOpsErrorKind.NotFound), (missing.Error.ErrorId, missing.Error.Kind));
        Assert.Equal(ErrorIds.InvalidVpcId, malformed.Error.ErrorId);
        Assert.Contains("'subnet-12345678' is not a VPC id", malformed.Error.Message, StringComparison.Ordinal);
    }
}
