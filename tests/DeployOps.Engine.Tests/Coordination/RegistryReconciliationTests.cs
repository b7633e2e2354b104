using System;
using DeployOps.Coordination;
using DeployOps.Facts;
using Xunit;

namespace DeployOps.Engine.Tests.Coordination;

/// <summary>Runbook 001's reconciliation rule, without AWS: what an active record is, given its stack.</summary>
public sealed class RegistryReconciliationTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 14, 12, 0, 0, TimeSpan.Zero);

    private static DeploymentRecord Active(DateTimeOffset startedAt) => DeploymentRecord.From(new RegistryEntry
    {
        CorrelationId = "deploy-1",
        StackName = "lightwave-dev-app",
        Status = "active",
        StartedAt = startedAt,
    }, "/registry");

    private static Fact<StackProgress> Stack(string status, DateTimeOffset changed) =>
        Fact<StackProgress>.Of(new StackProgress("arn:aws:cloudformation:us-east-1:1:stack/lightwave-dev-app/1", "lightwave-dev-app", status, null, changed.AddDays(-30), changed));

    [Theory]
    [InlineData("CREATE_IN_PROGRESS", RecordReconciliation.InProgress)]
    [InlineData("UPDATE_ROLLBACK_IN_PROGRESS", RecordReconciliation.InProgress)]
    [InlineData("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", RecordReconciliation.InProgress)]
    [InlineData("CREATE_COMPLETE", RecordReconciliation.Stale)]
    [InlineData("UPDATE_COMPLETE", RecordReconciliation.Stale)]
    [InlineData("ROLLBACK_COMPLETE", RecordReconciliation.Stale)]
    [InlineData("UPDATE_ROLLBACK_COMPLETE", RecordReconciliation.Stale)]
    [InlineData("DELETE_COMPLETE", RecordReconciliation.Stale)]
    [InlineData("UPDATE_ROLLBACK_FAILED", RecordReconciliation.StackFailed)]
    [InlineData("DELETE_FAILED", RecordReconciliation.StackFailed)]
    [InlineData("CREATE_FAILED", RecordReconciliation.StackFailed)]
    public void An_active_record_is_judged_by_its_stack_status(string status, RecordReconciliation expected)
    {
        var verdict = RegistryReconciliation.Of(Active(Now.AddHours(-2)), Stack(status, Now.AddHours(-1)), Now);

        Assert.Equal(expected, verdict.Reconciliation);
        Assert.Equal(status, verdict.StackStatus);
        Assert.Contains($"stack lightwave-dev-app is {status} since 2025-01-14 11:00:00 UTC", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stale_record_says_it_is_stuck_in_the_queue_and_names_the_cleanup()
    {
        var verdict = RegistryReconciliation.Of(Active(Now.AddHours(-2)), Stack("CREATE_COMPLETE", Now.AddHours(-1)), Now);

        Assert.EndsWith("nothing deploys, the record is stuck in the queue.", verdict.Detail, StringComparison.Ordinal);
        Assert.Equal("Remove-DeploymentRecord -CorrelationId deploy-1 (runbook 001: cleanup deploy-1), then retry the deployment.", verdict.RecommendedAction);
    }

    [Fact]
    public void A_record_whose_stack_is_gone_is_stale()
    {
        var verdict = RegistryReconciliation.Of(Active(Now.AddHours(-2)), Fact<StackProgress>.NotFound(), Now);

        Assert.Equal(RecordReconciliation.Stale, verdict.Reconciliation);
        Assert.Null(verdict.StackStatus);
        Assert.StartsWith("stack lightwave-dev-app does not exist", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deployment_registered_moments_ago_is_starting_not_stale_until_the_grace_ends()
    {
        var complete = Stack("UPDATE_COMPLETE", Now.AddDays(-1));

        Assert.Equal(RecordReconciliation.Starting, RegistryReconciliation.Of(Active(Now.AddMinutes(-2)), complete, Now).Reconciliation);
        Assert.Equal(RecordReconciliation.Starting, RegistryReconciliation.Of(Active(Now.AddMinutes(-2)), Fact<StackProgress>.NotFound(), Now).Reconciliation);
        Assert.Equal(RecordReconciliation.Stale, RegistryReconciliation.Of(Active(Now - RegistryReconciliation.StartGrace), complete, Now).Reconciliation);
    }

    [Fact]
    public void A_stack_that_changed_after_a_recent_registration_finished_that_deployment()
    {
        // Registered 5 minutes ago, the stack completed 1 minute ago: the deployment ran and ended, the record is stale.
        var verdict = RegistryReconciliation.Of(Active(Now.AddMinutes(-5)), Stack("UPDATE_COMPLETE", Now.AddMinutes(-1)), Now);

        Assert.Equal(RecordReconciliation.Stale, verdict.Reconciliation);
    }

    [Fact]
    public void A_stack_that_could_not_be_read_leaves_the_record_unknown_never_stale()
    {
        var verdict = RegistryReconciliation.Of(Active(Now.AddHours(-2)), Fact<StackProgress>.Unread(new Gap("stack 'lightwave-dev-app'", "Throttling after 3 attempts")), Now);

        Assert.Equal(RecordReconciliation.Unknown, verdict.Reconciliation);
        Assert.Equal("Not read: stack 'lightwave-dev-app' (Throttling after 3 attempts)", verdict.Detail);
    }
}
