using System;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Engine.Tests.Support;
using DeployOps.Storage;
using DeployOps.Verification;
using Xunit;

namespace DeployOps.Engine.Tests.Verification;

public sealed class StartupSequenceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Started_but_never_listening_misses_the_second_phase()
    {
        var lines = new[] { (T0, "[Nest] Starting Nest application..."), (T0.AddSeconds(2), "[Nest] AppModule dependencies initialized") };

        var results = StartupSequence.Evaluate(lines, new[] { "Starting Nest application", "Listening on port" });

        Assert.Equal((true, 0.0), (results[0].Reached, results[0].Seconds!.Value));
        Assert.Equal("Listening on port", StartupSequence.FirstMissing(results)!.Phase);
    }

    [Fact]
    public void Phases_count_only_in_order_and_time_is_measured_from_the_previous_phase()
    {
        var lines = new[] { (T0, "Listening on port 3697 (from a previous run)"), (T0.AddSeconds(1), "Starting Nest application"), (T0.AddSeconds(4.5), "Listening on port 3697") };

        var results = StartupSequence.Evaluate(lines, new[] { "Starting Nest application", "/Listening on port \\d+/" });

        Assert.Null(StartupSequence.FirstMissing(results));
        Assert.Equal(3.5, results[1].Seconds);
        Assert.Equal("Listening on port 3697", results[1].Line);
    }

    [Fact]
    public async Task The_journal_keeps_verifications_per_target_newest_first()
    {
        using var folder = new TempDirectory();
        var journal = new DeploymentJournal(new DeploymentStore(folder.Path));
        var target = DeploymentJournal.EcsTarget("us-east-1", "web", "api");

        await journal.RecordAsync(new JournalEntry { Target = target, Revision = "arn:td/api:2", VerifiedBy = "Wait-EcsDeployment", VerifiedAt = T0 });
        await journal.RecordAsync(new JournalEntry { Target = target, Revision = "arn:td/api:3", VerifiedBy = "Wait-EcsDeployment", VerifiedAt = T0.AddHours(1) });
        await journal.RecordAsync(new JournalEntry { Target = DeploymentJournal.EcsTarget("us-east-1", "web", "other"), Revision = "arn:td/other:9", VerifiedAt = T0 });

        Assert.Equal(new[] { "arn:td/api:3", "arn:td/api:2" }, journal.Of(target).Select(v => v.Revision));
        Assert.True(journal.WasVerified(target, "arn:td/api:2"));
        Assert.False(journal.WasVerified(target, "arn:td/other:9"));
    }
}
