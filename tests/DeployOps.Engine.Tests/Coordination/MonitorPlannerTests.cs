using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using DeployOps.Coordination;
using DeployOps.Monitoring;
using DeployOps.Notifications;
using Xunit;

namespace DeployOps.Engine.Tests.Coordination;

/// <summary>The monitor's rules without AWS or Slack: what it notifies, and that a resumed monitor loses and repeats nothing.</summary>
public sealed class MonitorPlannerTests
{
    private const string StackId = "arn:aws:cloudformation:us-east-1:123456789012:stack/lightwave-dev-app/1";
    private static readonly DateTimeOffset Start = new(2025, 1, 14, 10, 0, 0, TimeSpan.Zero);
    private static readonly MonitorSettings Settings = new() { ProgressInterval = TimeSpan.FromMinutes(5), StuckAfter = TimeSpan.FromMinutes(15) };

    private static MonitorCheckpoint NewCheckpoint() => new()
    {
        CorrelationId = "deploy-1",
        StackName = "lightwave-dev-app",
        StackId = StackId,
        DeploymentStartedAt = Start,
        MonitorStartedAt = Start,
    };

    private static StackProgress Stack(string status) => new(StackId, "lightwave-dev-app", status, null, Start, null);

    private static int _id;

    private static StackProgressEvent Event(int minute, string logicalId, string type, string status, string? reason = null) =>
        new($"event-{++_id}", StackId, logicalId, null, type, status, reason, Start.AddMinutes(minute));

    private static StackProgressEvent StackEvent(int minute, string status, string? reason = null) => Event(minute, "lightwave-dev-app", StackStatusKinds.StackResourceType, status, reason);

    private static IReadOnlyList<string> Keys(MonitorPlan plan) => plan.Notifications.Select(n => n.Key).ToList();

    [Fact]
    public void A_deployment_is_announced_once_then_reported_every_interval_as_of_each_slot()
    {
        var checkpoint = NewCheckpoint();
        var events = new[]
        {
            StackEvent(0, "CREATE_IN_PROGRESS", "User Initiated"),
            Event(1, "Database", "AWS::RDS::DBInstance", "CREATE_IN_PROGRESS"),
            Event(2, "Topic", "AWS::SNS::Topic", "CREATE_IN_PROGRESS"),
            Event(3, "Topic", "AWS::SNS::Topic", "CREATE_COMPLETE"),
            Event(7, "Service", "AWS::ECS::Service", "CREATE_IN_PROGRESS"),
        };

        var plan = MonitorPlanner.Plan(checkpoint, Stack("CREATE_IN_PROGRESS"), events, null, Start.AddMinutes(11), Settings);

        Assert.Equal(new[] { "deploy-1:started", "deploy-1:progress:1", "deploy-1:progress:2" }, Keys(plan));
        Assert.False(plan.Finished);
        var first = plan.Notifications[1].Text;
        Assert.StartsWith("lightwave-dev-app: CREATE_IN_PROGRESS for 5 min (as of 10:05:00 UTC); 1 of 2 resources done.", first, StringComparison.Ordinal);
        Assert.Contains("In progress: Database (AWS::RDS::DBInstance, 4 min)", first, StringComparison.Ordinal);
        Assert.Contains("1 of 3 resources done", plan.Notifications[2].Text, StringComparison.Ordinal);
        Assert.Contains("Service (AWS::ECS::Service, 3 min)", plan.Notifications[2].Text, StringComparison.Ordinal);
        Assert.Empty(Keys(MonitorPlanner.Plan(checkpoint, Stack("CREATE_IN_PROGRESS"), Array.Empty<StackProgressEvent>(), null, Start.AddMinutes(14), Settings)));
    }

    [Fact]
    public void A_monitor_resumed_from_its_checkpoint_sends_the_slots_it_missed_and_nothing_twice()
    {
        // Run 1 polls at minutes 1 and 6, saving its checkpoint after each; it dies after minute 6.
        var events = new[]
        {
            StackEvent(0, "CREATE_IN_PROGRESS", "User Initiated"),
            Event(1, "Database", "AWS::RDS::DBInstance", "CREATE_IN_PROGRESS"),
            Event(9, "Database", "AWS::RDS::DBInstance", "CREATE_COMPLETE"),
            Event(14, "Service", "AWS::ECS::Service", "CREATE_IN_PROGRESS"),
            Event(19, "Service", "AWS::ECS::Service", "CREATE_COMPLETE"),
            StackEvent(19, "CREATE_COMPLETE"),
        };
        var sent = new List<OutboxEntry>();
        var checkpoint = NewCheckpoint();
        sent.AddRange(MonitorPlanner.Plan(checkpoint, Stack("CREATE_IN_PROGRESS"), events.Where(e => e.Timestamp <= Start.AddMinutes(1)).ToList(), null, Start.AddMinutes(1), Settings).Notifications);
        sent.AddRange(MonitorPlanner.Plan(checkpoint, Stack("CREATE_IN_PROGRESS"), Array.Empty<StackProgressEvent>(), null, Start.AddMinutes(6), Settings).Notifications);
        var saved = JsonSerializer.Serialize(checkpoint);

        // Run 2 starts at minute 21 from the saved checkpoint, with the events it has not seen.
        var resumed = JsonSerializer.Deserialize<MonitorCheckpoint>(saved)!;
        var unseen = events.Where(e => !resumed.SeenEventIds.Contains(e.EventId)).ToList();
        var plan = MonitorPlanner.Plan(resumed, Stack("CREATE_COMPLETE"), unseen, null, Start.AddMinutes(21), Settings);
        sent.AddRange(plan.Notifications);

        Assert.True(plan.Finished);
        Assert.Equal(new[] { "deploy-1:started", "deploy-1:progress:1", "deploy-1:progress:2", "deploy-1:progress:3", "deploy-1:finished" },
            sent.Select(n => n.Key));
        Assert.Contains("1 of 1 resources done", sent[2].Text, StringComparison.Ordinal);
        Assert.Contains("In progress: Service (AWS::ECS::Service, 1 min)", sent[3].Text, StringComparison.Ordinal);
        Assert.StartsWith("Deployment deploy-1 of lightwave-dev-app completed: CREATE_COMPLETE after 21 min.", sent[4].Text, StringComparison.Ordinal);

        // Planning the same moment again (a crash after queueing, before the checkpoint was saved) gives the same keys.
        var replayed = JsonSerializer.Deserialize<MonitorCheckpoint>(saved)!;
        Assert.Equal(Keys(plan), Keys(MonitorPlanner.Plan(replayed, Stack("CREATE_COMPLETE"), unseen, null, Start.AddMinutes(21), Settings)));
    }

    [Fact]
    public void A_failed_deployment_names_its_first_failure_not_the_cancellations_after_it()
    {
        var checkpoint = NewCheckpoint();
        var events = new[]
        {
            StackEvent(0, "CREATE_IN_PROGRESS", "User Initiated"),
            Event(1, "Database", "AWS::RDS::DBInstance", "CREATE_IN_PROGRESS"),
            Event(1, "Service", "AWS::ECS::Service", "CREATE_IN_PROGRESS"),
            Event(3, "Service", "AWS::ECS::Service", "CREATE_FAILED", "Resource handler returned message: \"Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'.\""),
            Event(3, "Database", "AWS::RDS::DBInstance", "CREATE_FAILED", "Resource creation cancelled"),
            StackEvent(3, "ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [Service, Database]."),
            StackEvent(4, "ROLLBACK_COMPLETE"),
        };

        var plan = MonitorPlanner.Plan(checkpoint, Stack("ROLLBACK_COMPLETE"), events, null, Start.AddMinutes(4), Settings);

        var finished = plan.Notifications.Last();
        Assert.Equal((NotificationKind.Failed, "deploy-1:finished"), (finished.Kind, finished.Key));
        Assert.Contains("First failure: Service (AWS::ECS::Service) CREATE_FAILED: Resource handler returned message", finished.Text, StringComparison.Ordinal);
        Assert.Equal("Failed", checkpoint.Outcome);
    }

    [Fact]
    public void No_event_for_the_stuck_threshold_is_notified_once_per_quiet_period()
    {
        var checkpoint = NewCheckpoint();
        var settings = Settings with { ProgressInterval = TimeSpan.Zero };
        var first = new[] { StackEvent(0, "CREATE_IN_PROGRESS", "User Initiated"), Event(1, "Database", "AWS::RDS::DBInstance", "CREATE_IN_PROGRESS") };

        Assert.Equal(new[] { "deploy-1:started" }, Keys(MonitorPlanner.Plan(checkpoint, Stack("CREATE_IN_PROGRESS"), first, null, Start.AddMinutes(15), settings)));
        var stuck = MonitorPlanner.Plan(checkpoint, Stack("CREATE_IN_PROGRESS"), Array.Empty<StackProgressEvent>(), null, Start.AddMinutes(16), settings);
        Assert.Equal(NotificationKind.Stuck, Assert.Single(stuck.Notifications).Kind);
        Assert.Contains("no stack event for 15 min (last: Database AWS::RDS::DBInstance CREATE_IN_PROGRESS at 10:01:00 UTC). In progress: Database (AWS::RDS::DBInstance, 15 min).",
            stuck.Notifications[0].Text, StringComparison.Ordinal);
        Assert.Empty(MonitorPlanner.Plan(checkpoint, Stack("CREATE_IN_PROGRESS"), Array.Empty<StackProgressEvent>(), null, Start.AddMinutes(30), settings).Notifications);

        var moved = MonitorPlanner.Plan(checkpoint, Stack("CREATE_IN_PROGRESS"), new[] { Event(31, "Database", "AWS::RDS::DBInstance", "CREATE_COMPLETE") }, null, Start.AddMinutes(47), settings);
        Assert.Equal(NotificationKind.Stuck, Assert.Single(moved.Notifications).Kind);
    }

    [Fact]
    public void Per_resource_group_progress_is_sent_when_every_resource_of_a_group_is_done()
    {
        var checkpoint = NewCheckpoint();
        var settings = Settings with { ProgressInterval = TimeSpan.Zero, ProgressPerResourceGroup = true };
        var events = new[]
        {
            Event(1, "Subnet1", "AWS::EC2::Subnet", "CREATE_IN_PROGRESS"),
            Event(1, "Subnet2", "AWS::EC2::Subnet", "CREATE_IN_PROGRESS"),
            Event(2, "Subnet1", "AWS::EC2::Subnet", "CREATE_COMPLETE"),
            Event(3, "Database", "AWS::RDS::DBInstance", "CREATE_IN_PROGRESS"),
            Event(4, "Subnet2", "AWS::EC2::Subnet", "CREATE_COMPLETE"),
        };

        var plan = MonitorPlanner.Plan(checkpoint, Stack("CREATE_IN_PROGRESS"), events, null, Start.AddMinutes(5), settings);

        var group = Assert.Single(plan.Notifications, n => n.Kind == NotificationKind.Progress);
        Assert.Equal("deploy-1:group:EC2:2", group.Key);
        Assert.StartsWith("lightwave-dev-app: every EC2 resource is done (2 of 2, at 10:04:00 UTC); 2 of 3 resources done.", group.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void With_an_ECS_service_the_deployment_completes_only_when_its_rollout_does()
    {
        var settings = Settings with { FollowsEcsService = true };
        var checkpoint = NewCheckpoint();
        var stack = Stack("UPDATE_COMPLETE");

        var waiting = MonitorPlanner.Plan(checkpoint, stack, Array.Empty<StackProgressEvent>(), new EcsRolloutObservation("api", "IN_PROGRESS", 1, 2, null), Start.AddMinutes(1), settings);
        var failed = MonitorPlanner.Plan(checkpoint, stack, Array.Empty<StackProgressEvent>(), new EcsRolloutObservation("api", "FAILED", 0, 2, "tasks failed to start"), Start.AddMinutes(2), settings);

        Assert.False(waiting.Finished);
        Assert.True(failed.Finished);
        var finished = failed.Notifications.Single(n => n.Key == "deploy-1:finished");
        Assert.Equal(NotificationKind.Failed, finished.Kind);
        Assert.Contains("First failure: ECS service api rollout FAILED, 0/2 running: tasks failed to start.", finished.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AWS::RDS::DBInstance", "RDS")]
    [InlineData("AWS::ECS::Service", "ECS")]
    [InlineData("Custom::DeploymentGate", "Custom")]
    public void A_resource_group_is_the_service_of_its_type(string type, string group) => Assert.Equal(group, MonitorPlanner.GroupOf(type));
}
