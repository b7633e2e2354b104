using System;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Deployments;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Storage;
using DeployOps.Testing;
using DeployOps.Verification;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>
/// Invoke-EcsRollback's and Get-EcsTaskDefinitionHistory's engine against the sandbox: each mode reaches the right
/// revision (skipping failed and unverified ones as it should), sees the circuit breaker's own rollback, refuses the
/// running revision, and a waited rollback ends healthy and is recorded in the journal.
/// </summary>
public sealed class RollbackTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public RollbackTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private static RollbackRequest Request(RollbackMode mode, string? taskDefinition = null) =>
        new() { Cluster = Lightwave.Cluster, Service = Lightwave.Service, Mode = mode, TaskDefinition = taskDefinition };

    private static string Revision(int revision) => $"{Lightwave.TaskFamily}:{revision}";

    /// <summary>rollback-history with a journal that verified revision 2, as Wait-EcsDeployment would have.</summary>
    private static async Task<DeploymentJournal> JournalVerifyingAsync(TempDirectory folder, int revision)
    {
        var journal = new DeploymentJournal(new DeploymentStore(folder.Path));
        await journal.RecordAsync(new JournalEntry
        {
            Target = DeploymentJournal.EcsTarget("us-east-1", Lightwave.Cluster, Lightwave.Service),
            Revision = $"arn:aws:ecs:us-east-1:123456789012:task-definition/{Revision(revision)}",
            VerifiedBy = "test",
            VerifiedAt = DateTimeOffset.UtcNow.AddHours(-2),
        });
        return journal;
    }

    [Fact]
    public async Task To_previous_after_the_circuit_breaker_rolled_back_changes_nothing_and_says_so()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.CircuitBreakerRollback.Scenario);
        using var session = SandboxSessions.Create(_sandbox);
        var rollback = new EcsRollback(new AwsFacts(session, NullOperationObserver.Instance), journal: null);

        var plan = await Eventually.WaitForAsync(async () =>
        {
            var candidate = await rollback.PlanAsync(Request(RollbackMode.ToPrevious), default);
            return candidate.AlreadyRolledBack is null ? null : candidate;
        }, "the circuit breaker to roll back revision 3");

        Assert.False(plan.NeedsChange);
        Assert.Equal(Revision(Lightwave.CircuitBreakerRollback.RestoredRevision), AwsArn.LastSegment(plan.To));
        Assert.Contains($"({Revision(Lightwave.CircuitBreakerRollback.FailedRevision)}) failed", plan.Why);
        var outcome = Assert.Single(await rollback.ApplyAsync(plan, wait: null, default));
        Assert.False(((EcsRollbackResult)outcome.Value!).Changed);
        Assert.Equal(0, session.Calls.Snapshot().Where(c => c.Operation == "UpdateService").Sum(c => c.Calls));
    }

    [Fact]
    public async Task To_previous_during_a_failing_rollout_goes_to_the_revision_before_without_waiting()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.RollbackHistory.Scenario);
        using var session = SandboxSessions.Create(_sandbox);

        var plan = await new EcsRollback(new AwsFacts(session, NullOperationObserver.Instance), journal: null).PlanAsync(Request(RollbackMode.ToPrevious), default);

        Assert.True(plan.NeedsChange);
        Assert.Equal(Revision(Lightwave.RollbackHistory.FailingRevision), AwsArn.LastSegment(plan.From));
        Assert.Equal(Revision(Lightwave.RollbackHistory.CompletedRevision), AwsArn.LastSegment(plan.To));
    }

    [Fact]
    public async Task To_last_verified_skips_the_unverified_revision_ends_healthy_and_is_recorded()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.RollbackHistory.Scenario);
        using var folder = new TempDirectory();
        var journal = await JournalVerifyingAsync(folder, Lightwave.RollbackHistory.VerifiedRevision);
        using var session = SandboxSessions.Create(_sandbox);
        var rollback = new EcsRollback(new AwsFacts(session, NullOperationObserver.Instance), journal);

        var plan = await rollback.PlanAsync(Request(RollbackMode.ToLastVerified), default);
        var outcomes = await rollback.ApplyAsync(plan, new DeploymentWaitSettings(TimeSpan.FromMinutes(2)) { Recorder = new VerificationRecorder(journal, "test -Wait") }, default);

        Assert.Equal(Revision(Lightwave.RollbackHistory.VerifiedRevision), AwsArn.LastSegment(plan.To));
        var wait = outcomes.Select(o => o.Value).OfType<DeploymentWaitResult>().Single();
        Assert.True(wait.Succeeded, wait.Reason);
        Assert.Equal(Revision(Lightwave.RollbackHistory.VerifiedRevision), AwsArn.LastSegment(wait.TaskDefinition));
        Assert.Equal(journal.Path, wait.VerifiedIn);
        var target = DeploymentJournal.EcsTarget("us-east-1", Lightwave.Cluster, Lightwave.Service);
        Assert.Contains(journal.Of(target), v => v.VerifiedBy == "test -Wait" && AwsArn.LastSegment(v.Revision) == Revision(Lightwave.RollbackHistory.VerifiedRevision));
    }

    [Fact]
    public async Task The_running_revision_is_refused_and_a_missing_one_is_not_found()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.RollbackHistory.Scenario);
        using var session = SandboxSessions.Create(_sandbox);
        var rollback = new EcsRollback(new AwsFacts(session, NullOperationObserver.Instance), journal: null);

        var running = await Assert.ThrowsAsync<DeployOpsException>(() => rollback.PlanAsync(Request(RollbackMode.TaskDefinition, Revision(Lightwave.RollbackHistory.FailingRevision)), default));
        var missing = await Assert.ThrowsAsync<DeployOpsException>(() => rollback.PlanAsync(Request(RollbackMode.TaskDefinition, Revision(99)), default));
        var unverified = await Assert.ThrowsAsync<DeployOpsException>(() => rollback.PlanAsync(Request(RollbackMode.ToLastVerified), default));

        Assert.Equal(ErrorIds.RollbackTargetRunning, running.Error.ErrorId);
        Assert.Equal(ErrorIds.TaskDefinitionNotFound, missing.Error.ErrorId);
        Assert.Contains($"'{Revision(99)}'", missing.Error.Message);
        Assert.Equal(ErrorIds.NoVerifiedRevision, unverified.Error.ErrorId);
        Assert.Equal(0, session.Calls.Snapshot().Where(c => c.Operation is "UpdateService" or "DeregisterTaskDefinition").Sum(c => c.Calls));
    }

    [Fact]
    public async Task History_lists_revisions_newest_first_with_outcomes_verification_and_no_environment_values()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.RollbackHistory.Scenario);
        using var folder = new TempDirectory();
        var journal = await JournalVerifyingAsync(folder, Lightwave.RollbackHistory.VerifiedRevision);
        using var session = SandboxSessions.Create(_sandbox);

        var revisions = await new TaskDefinitionHistoryReader(new AwsFacts(session, NullOperationObserver.Instance), journal)
            .ReadAsync(new TaskDefinitionHistoryRequest { Cluster = Lightwave.Cluster, Service = Lightwave.Service }, default);

        Assert.Equal(new[] { 4, 3, 2, 1 }, revisions.Select(r => r.Revision));
        Assert.Equal(new[] { false, false, true, false }, revisions.Select(r => r.Verified));
        Assert.True(revisions[0].Running);
        Assert.Equal(Lightwave.RollbackHistory.FailingImage, Assert.Single(revisions[0].Images));
        Assert.Equal("Completed", revisions[1].LastOutcome);
        Assert.Contains("DATABASE_URL", revisions[0].EnvironmentNames);
        Assert.DoesNotContain(revisions.SelectMany(r => r.EnvironmentNames), n => n.Contains("postgres://", StringComparison.Ordinal));
    }
}
