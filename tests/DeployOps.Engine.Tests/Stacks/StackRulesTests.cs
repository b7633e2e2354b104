using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.CloudFormation;
using DeployOps.Stacks;
using Xunit;

namespace DeployOps.Engine.Tests.Stacks;

/// <summary>
/// CloudFormation's rules as runbook 001 needs them, without AWS: which actions each status allows, ContinueUpdateRollback's
/// ResourcesToSkip (only resources whose rollback failed, Nested.LogicalId for a nested stack's), and the root cause as the
/// first failure, never the cascade of cancellations after it.
/// </summary>
public sealed class StackRulesTests
{
    private const string StackId = "arn:aws:cloudformation:us-east-1:123456789012:stack/lightwave-dev-stack/1";
    private const string NestedId = "arn:aws:cloudformation:us-east-1:123456789012:stack/lightwave-dev-stack-Network-X/2";
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("UPDATE_IN_PROGRESS", StackAction.CancelUpdate, true)]
    [InlineData("CREATE_IN_PROGRESS", StackAction.CancelUpdate, false)]
    [InlineData("UPDATE_ROLLBACK_IN_PROGRESS", StackAction.CancelUpdate, false)]
    [InlineData("CREATE_IN_PROGRESS", StackAction.Delete, true)]
    [InlineData("UPDATE_ROLLBACK_FAILED", StackAction.ContinueRollback, true)]
    [InlineData("UPDATE_ROLLBACK_FAILED", StackAction.Delete, true)]
    [InlineData("UPDATE_COMPLETE", StackAction.ContinueRollback, false)]
    [InlineData("ROLLBACK_COMPLETE", StackAction.Delete, true)]
    [InlineData("ROLLBACK_COMPLETE", StackAction.Update, false)]
    [InlineData("ROLLBACK_COMPLETE", StackAction.ContinueRollback, false)]
    [InlineData("DELETE_FAILED", StackAction.DeleteRetaining, true)]
    [InlineData("DELETE_FAILED", StackAction.Delete, true)]
    [InlineData("UPDATE_ROLLBACK_FAILED", StackAction.DeleteRetaining, false)]
    [InlineData("CREATE_COMPLETE", StackAction.DeleteRetaining, false)]
    [InlineData("DELETE_IN_PROGRESS", StackAction.Delete, false)]
    [InlineData("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", StackAction.CancelUpdate, false)]
    public void Each_status_allows_only_what_CloudFormation_accepts(string status, StackAction action, bool allowed) =>
        Assert.Equal(allowed, StackActionTable.Allows(status, action));

    [Theory]
    [InlineData("CREATE_IN_PROGRESS")]
    [InlineData("UPDATE_ROLLBACK_IN_PROGRESS")]
    [InlineData("DELETE_IN_PROGRESS")]
    [InlineData("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")]
    public void Every_in_progress_status_means_wait(string status) =>
        Assert.Contains(StackActionTable.For(status), r => r.Action == StackAction.Wait);

    [Fact]
    public void A_stack_in_review_waits_for_its_change_set_not_for_CloudFormation() =>
        Assert.DoesNotContain(StackActionTable.For("REVIEW_IN_PROGRESS"), r => r.Action == StackAction.Wait);

    [Fact]
    public void RetainResources_is_valid_only_in_DELETE_FAILED() =>
        Assert.Equal(new[] { "DELETE_FAILED" }, StackActionTable.StatusesAllowing(StackAction.DeleteRetaining));

    [Fact]
    public void Only_resources_whose_rollback_failed_may_be_skipped()
    {
        var events = new Events()
            .Stack("UPDATE_IN_PROGRESS")
            .Resource("Database", "AWS::RDS::DBInstance", "UPDATE_IN_PROGRESS")
            .Resource("Database", "AWS::RDS::DBInstance", "UPDATE_COMPLETE")
            .Resource("Migration", "Custom::DatabaseMigration", "UPDATE_FAILED", "Failed to apply migration 0043")
            .Resource("Service", "AWS::ECS::Service", "UPDATE_FAILED", "Resource update cancelled")
            .Stack("UPDATE_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to update: [Migration]")
            .Resource("Database", "AWS::RDS::DBInstance", "UPDATE_FAILED", "Cannot modify DB instance class: storage-optimization")
            .Stack("UPDATE_ROLLBACK_FAILED");
        var tree = new StackTree("lightwave-dev-stack", new[]
        {
            Resource("Database", "AWS::RDS::DBInstance", "UPDATE_FAILED"),
            Resource("Migration", "Custom::DatabaseMigration", "UPDATE_FAILED"),
            Resource("Service", "AWS::ECS::Service", "UPDATE_FAILED"),
            Resource("Bucket", "AWS::S3::Bucket", "UPDATE_COMPLETE"),
        }, events.NewestFirst, new Dictionary<string, StackTree>());

        Assert.Equal(new[] { "Database" }, RollbackSkipList.Compute(tree));
        Assert.Equal(new[] { "Migration", "Bucket" }, RollbackSkipList.Refused(tree, new[] { "Database", "Migration", "Bucket" }));
        Assert.Empty(RollbackSkipList.Refused(tree, Array.Empty<string>()));
    }

    [Fact]
    public void A_nested_stack_resource_is_named_NestedLogicalId_dot_LogicalId()
    {
        var nestedEvents = new Events(NestedId, "lightwave-dev-stack-Network-X")
            .Stack("UPDATE_IN_PROGRESS")
            .Resource("Subnet", "AWS::EC2::Subnet", "UPDATE_FAILED", "The subnet has dependencies")
            .Stack("UPDATE_ROLLBACK_IN_PROGRESS")
            .Resource("Subnet", "AWS::EC2::Subnet", "UPDATE_FAILED", "The subnet has dependencies and cannot be replaced")
            .Stack("UPDATE_ROLLBACK_FAILED");
        var nested = new StackTree("lightwave-dev-stack-Network-X", new[] { Resource("Subnet", "AWS::EC2::Subnet", "UPDATE_FAILED") }, nestedEvents.NewestFirst,
            new Dictionary<string, StackTree>());
        var parentEvents = new Events()
            .Stack("UPDATE_IN_PROGRESS")
            .Resource("Network", CfnResourceType.Stack, "UPDATE_FAILED", "Embedded stack failed", NestedId)
            .Stack("UPDATE_ROLLBACK_IN_PROGRESS")
            .Resource("Network", CfnResourceType.Stack, "UPDATE_FAILED", "Embedded stack rollback failed", NestedId)
            .Stack("UPDATE_ROLLBACK_FAILED");
        var tree = new StackTree("lightwave-dev-stack", new[] { Resource("Network", CfnResourceType.Stack, "UPDATE_FAILED") }, parentEvents.NewestFirst,
            new Dictionary<string, StackTree> { ["Network"] = nested });

        Assert.Equal(new[] { "Network.Subnet" }, RollbackSkipList.Compute(tree));
        Assert.Equal(new[] { "Subnet" }, RollbackSkipList.Refused(tree, new[] { "Subnet" }));
    }

    [Fact]
    public void The_root_cause_is_the_first_failure_not_the_cancellations_after_it()
    {
        var events = new Events()
            .Stack("CREATE_IN_PROGRESS")
            .Resource("Service", "AWS::ECS::Service", "CREATE_IN_PROGRESS")
            .Resource("Database", "AWS::RDS::DBInstance", "CREATE_IN_PROGRESS")
            .Resource("Database", "AWS::RDS::DBInstance", "CREATE_FAILED", "Resource creation cancelled")
            .Resource("DnsRecord", "Custom::DnsRecord", "CREATE_FAILED", "Resource creation cancelled")
            .Stack("ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [Service, Database, DnsRecord]");
        // The first real failure comes after a cancellation in time order: CloudFormation's cascade is not the cause.
        events.Resource("Service", "AWS::ECS::Service", "CREATE_FAILED", "Resource handler returned message: \"Service did not stabilize\"");

        var cause = StackRootCause.Find(events.NewestFirst);

        Assert.NotNull(cause);
        Assert.Equal("Service", cause!.LogicalResourceId);
        Assert.Contains("did not stabilize", cause.Reason);
    }

    [Fact]
    public void A_rollback_no_resource_caused_is_explained_by_the_stacks_rollback_event()
    {
        var events = new Events()
            .Stack("UPDATE_IN_PROGRESS", "User Initiated")
            .Resource("Service", "AWS::ECS::Service", "UPDATE_IN_PROGRESS")
            .Resource("Service", "AWS::ECS::Service", "UPDATE_COMPLETE")
            .Stack("UPDATE_ROLLBACK_IN_PROGRESS", "Rollback triggered by alarm: lightwave-dev-5xx (ALARM)")
            .Resource("Service", "AWS::ECS::Service", "UPDATE_IN_PROGRESS");

        var cause = StackRootCause.Find(events.NewestFirst);

        Assert.Equal(("lightwave-dev-stack", "Rollback triggered by alarm: lightwave-dev-5xx (ALARM)"), (cause!.LogicalResourceId, cause.Reason));

        // The stack's summary of failed resources is never the cause: with no resource failure there is none to name.
        var summaryOnly = new Events().Stack("CREATE_IN_PROGRESS").Stack("ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [Database]");
        Assert.Null(StackRootCause.Find(summaryOnly.NewestFirst));
    }

    [Fact]
    public void A_nested_stack_failure_is_followed_to_the_resource_that_failed_there()
    {
        var nested = new Events(NestedId, "lightwave-dev-stack-Network-X")
            .Stack("CREATE_IN_PROGRESS")
            .Resource("NatGateway", "AWS::EC2::NatGateway", "CREATE_FAILED", "The maximum number of addresses has been reached.")
            .Stack("ROLLBACK_IN_PROGRESS");
        var parent = new Events()
            .Stack("CREATE_IN_PROGRESS")
            .Resource("Network", CfnResourceType.Stack, "CREATE_FAILED", "Embedded stack was not successfully created", NestedId)
            .Stack("ROLLBACK_IN_PROGRESS");

        var cause = StackRootCause.Find(parent.NewestFirst, id => id == NestedId ? nested.NewestFirst : null);

        Assert.Equal("Network.NatGateway", cause!.Path);
        Assert.Equal("The maximum number of addresses has been reached.", cause.Reason);
    }

    private static CfnStackResource Resource(string logicalId, string type, string status) => new()
    {
        LogicalResourceId = logicalId, ResourceType = type, ResourceStatus = status, PhysicalResourceId = logicalId.ToLowerInvariant(),
    };

    /// <summary>A stack's events, written oldest first, one second apart; <see cref="NewestFirst"/> as DescribeStackEvents gives them.</summary>
    private sealed class Events
    {
        private readonly List<CfnStackEvent> _oldestFirst = new();
        private readonly string _stackId;
        private readonly string _stackName;

        public Events(string stackId = StackId, string stackName = "lightwave-dev-stack")
        {
            _stackId = stackId;
            _stackName = stackName;
        }

        public IReadOnlyList<CfnStackEvent> NewestFirst => Enumerable.Reverse(_oldestFirst).ToList();

        public Events Stack(string status, string? reason = null) =>
            Add(_stackName, CfnResourceType.Stack, status, reason, _stackId);

        public Events Resource(string logicalId, string type, string status, string? reason = null, string? physicalId = null) =>
            Add(logicalId, type, status, reason, physicalId ?? logicalId.ToLowerInvariant());

        private Events Add(string logicalId, string type, string status, string? reason, string physicalId)
        {
            _oldestFirst.Add(new CfnStackEvent
            {
                EventId = Guid.NewGuid().ToString(), StackId = _stackId, StackName = _stackName, LogicalResourceId = logicalId, PhysicalResourceId = physicalId,
                ResourceType = type, ResourceStatus = status, ResourceStatusReason = reason, Timestamp = Start.AddSeconds(_oldestFirst.Count),
            });
            return this;
        }
    }
}
