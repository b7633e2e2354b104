using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Coordination;
using DeployOps.Engine.Tests.Support;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Storage;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Coordination;

/// <summary>
/// Runbook 001, "deployment stuck in queue" and "registry unavailable", against the sandbox's <c>registry-stale</c>
/// scenario: the registry reconciled with the stacks CloudFormation (moto) holds, and a corrupted registry rebuilt from them.
/// </summary>
public sealed class RegistrySandboxTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _sandbox;
    private readonly TempDirectory _folder = new();

    public RegistrySandboxTests(SandboxFixture sandbox) => _sandbox = sandbox;

    public void Dispose() => _folder.Dispose();

    private DeploymentRegistry Registry(string json)
    {
        var registry = new DeploymentRegistry(new DeploymentStore(Path.Combine(_folder.Path, DeploymentStore.DefaultFolderName)));
        Directory.CreateDirectory(registry.Store.Folder);
        File.WriteAllText(registry.Path, json);
        return registry;
    }

    [Fact]
    public async Task Active_records_whose_stacks_finished_or_vanished_are_stale_and_the_deploying_one_is_in_progress()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.RegistryStale.Scenario);
        using var session = SandboxSessions.Create(_sandbox);
        var registry = Registry(Lightwave.RegistryStale.RegistryJson);

        var reconciled = await new DeploymentCoordinator(new AwsFacts(session, NullOperationObserver.Instance)).ReconcileAsync(registry.ReadRecords(), default);

        var byId = reconciled.ToDictionary(r => r.CorrelationId!);
        Assert.Equal(RecordReconciliation.Stale, byId[Lightwave.RegistryStale.StaleCompleteId].ReconciliationKind);
        Assert.Equal("CREATE_COMPLETE", byId[Lightwave.RegistryStale.StaleCompleteId].StackStatus);
        Assert.Equal(RecordReconciliation.Stale, byId[Lightwave.RegistryStale.StaleDeletedId].ReconciliationKind);
        Assert.StartsWith($"stack {Lightwave.RegistryStale.DeletedStack} does not exist", byId[Lightwave.RegistryStale.StaleDeletedId].Detail, StringComparison.Ordinal);
        Assert.Equal(RecordReconciliation.InProgress, byId[Lightwave.RegistryStale.ActiveId].ReconciliationKind);
        Assert.Equal("CREATE_IN_PROGRESS", byId[Lightwave.RegistryStale.ActiveId].StackStatus);
        Assert.Equal("Completed", byId[Lightwave.RegistryStale.CompletedId].Status);
        Assert.All(reconciled.Where(r => r.IsActive), r => Assert.Equal(Lightwave.Region, r.Region));
    }

    [Fact]
    public async Task When_the_stack_finishes_its_active_record_turns_stale()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.RegistryStale.Scenario);
        using var session = SandboxSessions.Create(_sandbox);
        var registry = Registry(Lightwave.RegistryStale.RegistryJson);
        var coordinator = new DeploymentCoordinator(new AwsFacts(session, NullOperationObserver.Instance));

        var release = await _sandbox.PostControlAsync("_sandbox/stacks/release",
            $$"""{"stack": "{{Lightwave.RegistryStale.InProgressStack}}", "resource": "{{Lightwave.RegistryStale.Gate}}"}""");
        Assert.True(release.IsSuccessStatusCode, await release.Content.ReadAsStringAsync());

        var record = await Eventually.WaitForAsync(async () =>
        {
            var all = await coordinator.ReconcileAsync(registry.ReadRecords(), default);
            var data = all.Single(r => r.CorrelationId == Lightwave.RegistryStale.ActiveId);
            return data.StackStatus == "CREATE_COMPLETE" ? data : null;
        }, "lightwave-dev-data to complete once its gate opens");

        Assert.Equal(RecordReconciliation.Stale, record.ReconciliationKind);
    }

    [Fact]
    public async Task A_corrupted_registry_is_backed_up_reinitialised_and_refilled_from_the_stacks_in_progress()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.RegistryStale.Scenario);
        using var session = SandboxSessions.Create(_sandbox);
        var facts = new AwsFacts(session, NullOperationObserver.Instance);
        const string Corrupted = "{\"deployments\": [ {\"correlation_id\": \"deploy-1\", \"stack_na";
        var registry = Registry(Corrupted);
        var repairer = new RegistryRepairer(registry);

        var condition = repairer.Inspect();
        Assert.Equal(RegistryProblem.Corrupted, condition.ContentProblem);
        var steps = await repairer.PlanAsync(condition, facts, default);

        Assert.Equal(
            new[] { RegistryRepairAction.BackUpCorruptedFile, RegistryRepairAction.Reinitialise, RegistryRepairAction.RestoreActiveDeployment },
            steps.Select(s => s.ActionKind));
        Assert.Equal(Lightwave.RegistryStale.InProgressStack, steps[2].Target);
        Assert.Equal(Corrupted, File.ReadAllText(registry.Path));

        foreach (var step in steps)
        {
            var applied = await step.ApplyAsync(default);
            Assert.True(applied.OutcomeKind == RegistryRepairOutcome.Done, applied.Detail);
        }

        var backup = Assert.Single(Directory.GetFiles(registry.Store.Folder, DeploymentRegistry.FileName + ".corrupted-*"));
        Assert.Equal(Corrupted, File.ReadAllText(backup));
        var restored = Assert.Single(registry.Read());
        Assert.Equal((Lightwave.RegistryStale.InProgressStack, true), (restored.StackName, restored.IsActive));
        Assert.StartsWith("recovered-" + Lightwave.RegistryStale.InProgressStack + "-", restored.CorrelationId, StringComparison.Ordinal);

        // A second repair finds a healthy registry and changes nothing.
        var again = await repairer.PlanAsync(repairer.Inspect(), facts, default);
        Assert.Equal(RegistryRepairAction.Check, Assert.Single(again).ActionKind);
    }

    [Fact]
    public async Task With_the_registry_unreadable_coordination_falls_back_to_the_stacks_cloudformation_shows_in_progress()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.RegistryStale.Scenario);
        using var session = SandboxSessions.Create(_sandbox);
        var registry = Registry("not json");

        var unavailable = Assert.Throws<RegistryUnavailableException>(() => registry.Read());
        Assert.Equal(RegistryProblem.Corrupted, unavailable.Problem);
        var fallback = await new DeploymentCoordinator(new AwsFacts(session, NullOperationObserver.Instance)).InProgressStacksAsync(default);

        var only = Assert.Single(fallback);
        Assert.Equal((Lightwave.RegistryStale.InProgressStack, RecordSource.CloudFormation, "CREATE_IN_PROGRESS"), (only.StackName, only.SourceKind, only.StackStatus));
        Assert.Null(only.CorrelationId);
    }
}
