using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.Ec2;
using DeployOps.Aws.Iam;
using DeployOps.Facts;
using DeployOps.Networking;
using DeployOps.Operations;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>
/// Test-VpcNetwork's flow-log check from facts alone: a CloudWatch Logs flow log needs its delivery role to exist in IAM
/// (absent: Fail with the role's creation or a re-created flow log; not read: Unknown), an S3 destination needs none.
/// </summary>
public sealed class FlowLogClassifierTests
{
    private const string Vpc = "vpc-0123456789abcdef0";
    private const string Group = "/aws/vpc/dev";
    private const string RoleArn = "arn:aws:iam::123456789012:role/service-role/dev-flow-logs";

    private static Ec2FlowLog CloudWatchFlowLog(string? role = RoleArn, string delivery = "SUCCESS", string? error = null) => new()
    {
        Id = "fl-0a1b2c3d", Status = "ACTIVE", ResourceId = Vpc, TrafficType = "ALL", DestinationType = "cloud-watch-logs", LogGroupName = Group,
        DeliverLogsPermissionArn = role, DeliverLogsStatus = delivery, DeliverLogsErrorMessage = error,
    };

    private static DiagnosticCheck FlowLogCheck(Ec2FlowLog flowLog, IReadOnlyDictionary<string, Fact<IamRole>> roles) =>
        VpcNetworkClassifier.Classify(new VpcNetworkFacts
        {
            Region = "us-east-1",
            Network = new VpcNetwork { VpcId = Vpc },
            FlowLogs = Fact<IReadOnlyList<Ec2FlowLog>>.Of(new[] { flowLog }),
            LogGroups = new Dictionary<string, Fact<bool>> { [Group] = Fact<bool>.Of(true) },
            DeliveryRoles = roles,
        }).Single(c => c.Name == $"Flow log {flowLog.Id}");

    private static Dictionary<string, Fact<IamRole>> Role(Fact<IamRole> role) => new() { [RoleArn] = role };

    [Fact]
    public void A_delivery_role_that_exists_passes_and_says_so()
    {
        var check = FlowLogCheck(CloudWatchFlowLog(), Role(Fact<IamRole>.Of(new IamRole { Name = "dev-flow-logs", Arn = RoleArn })));

        Assert.Equal("Pass", check.Outcome);
        Assert.Contains("IAM role dev-flow-logs exists", check.Evidence);
    }

    [Fact]
    public void A_delivery_role_that_does_not_exist_fails_with_the_role_to_create_and_the_flow_log_to_recreate()
    {
        var check = FlowLogCheck(CloudWatchFlowLog(delivery: "FAILED", error: "Access error"), Role(Fact<IamRole>.NotFound()));

        Assert.Equal("Fail", check.Outcome);
        Assert.Contains(check.Evidence, e => e.StartsWith("IAM role dev-flow-logs does not exist (NoSuchEntity)", StringComparison.Ordinal));
        Assert.Contains("aws iam create-role --role-name dev-flow-logs ", check.Fix, StringComparison.Ordinal);
        Assert.Contains("\"Principal\":{\"Service\":\"vpc-flow-logs.amazonaws.com\"}", check.Fix, StringComparison.Ordinal);
        Assert.Contains("aws ec2 delete-flow-logs --flow-log-ids fl-0a1b2c3d", check.Fix, StringComparison.Ordinal);
        Assert.Contains($"--resource-ids {Vpc} --resource-type VPC --traffic-type ALL --log-group-name {Group} --deliver-logs-permission-arn <role ARN>", check.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain("aws iam get-role", check.Fix, StringComparison.Ordinal); // the missing role is the cause, not a thing to check
    }

    [Fact]
    public void A_role_that_exists_while_delivery_fails_points_at_its_trust_and_permissions()
    {
        var check = FlowLogCheck(CloudWatchFlowLog(delivery: "FAILED", error: "Access error"), Role(Fact<IamRole>.Of(new IamRole { Name = "dev-flow-logs", Arn = RoleArn })));

        Assert.Equal("Fail", check.Outcome);
        Assert.Contains("aws iam get-role --role-name dev-flow-logs", check.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain("create-role", check.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_that_could_not_be_read_makes_the_check_unknown_never_pass()
    {
        var check = FlowLogCheck(CloudWatchFlowLog(), Role(Fact<IamRole>.Unread(new Gap("IAM role dev-flow-logs", "AccessDenied: not authorized to perform iam:GetRole"))));

        Assert.Equal("Unknown", check.Outcome);
        Assert.Contains(check.Evidence, e => e.Contains("AccessDenied", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cloudwatch_logs_flow_log_without_a_role_fails()
    {
        var check = FlowLogCheck(CloudWatchFlowLog(role: null), new Dictionary<string, Fact<IamRole>>());

        Assert.Equal("Fail", check.Outcome);
        Assert.Contains("names no delivery role", string.Join(" ", check.Evidence), StringComparison.Ordinal);
        Assert.Contains("--deliver-logs-permission-arn", check.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void An_s3_destination_needs_no_role()
    {
        var s3 = CloudWatchFlowLog(role: null) with { DestinationType = "s3", LogGroupName = null };

        var check = FlowLogCheck(s3, new Dictionary<string, Fact<IamRole>>());

        Assert.Equal("Pass", check.Outcome);
        Assert.DoesNotContain(check.Evidence, e => e.Contains("IAM role", StringComparison.Ordinal));
    }
}
