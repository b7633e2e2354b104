using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DeployOps.Testing;
using Xunit;
using S = DeployOps.Testing.Lightwave.Stacks;

namespace DeployOps.Sandbox.Tests;

/// <summary>
/// The CloudFormation and RDS simulators through their real HTTP endpoint, with the aws CLI as an independent client: the
/// stack scenarios of runbook 001 are in the states they promise, and each action is legal only where CloudFormation allows
/// it and takes the stack where CloudFormation would (moto's cancel-update-stack answers 500).
/// </summary>
public sealed class CloudFormationTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public CloudFormationTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private Task<JsonElement> CliAsync(params string[] arguments) => AwsCli.RunJsonAsync(_sandbox.Url, [.. arguments, "--region", Lightwave.Region]);

    // aws CLI v1 points rds commands at https://rds.amazonaws.com whatever AWS_ENDPOINT_URL says; --endpoint-url still wins.
    private Task<JsonElement> RdsCliAsync(params string[] arguments) => CliAsync(["rds", .. arguments, "--endpoint-url", _sandbox.Url.ToString()]);

    /// <summary>The CLI's failure: its standard error (ValidationError and the message).</summary>
    private async Task<string> CliErrorAsync(params string[] arguments) =>
        (await Assert.ThrowsAsync<InvalidOperationException>(() => AwsCli.RunOnceAsync(_sandbox.Url, [.. arguments, "--region", Lightwave.Region]))).Message;

    private async Task<string> StatusAsync() =>
        (await CliAsync("cloudformation", "describe-stacks", "--stack-name", S.Stack)).GetProperty("Stacks")[0].GetProperty("StackStatus").GetString()!;

    private async Task<string> ResourceStatusAsync(string logicalId) =>
        (await CliAsync("cloudformation", "describe-stack-resource", "--stack-name", S.Stack, "--logical-resource-id", logicalId))
        .GetProperty("StackResourceDetail").GetProperty("ResourceStatus").GetString()!;

    private Task WaitForStatusAsync(string status) =>
        Eventually.WaitUntilAsync(async () => await StatusAsync() == status, $"{S.Stack} to be {status}", TimeSpan.FromMinutes(3));

    [Fact]
    public async Task A_stack_stuck_on_its_database_is_creating_with_the_database_creating_and_can_only_be_deleted()
    {
        await _sandbox.LoadScenarioAsync(S.StuckRds);

        Assert.Equal("CREATE_IN_PROGRESS", await StatusAsync());
        Assert.Equal(("CREATE_IN_PROGRESS", "CREATE_IN_PROGRESS"), (await ResourceStatusAsync(S.DatabaseResource), await ResourceStatusAsync(S.DnsRecordResource)));
        var instance = (await RdsCliAsync("describe-db-instances", "--db-instance-identifier", S.DatabaseInstance)).GetProperty("DBInstances")[0];
        Assert.Equal("creating", instance.GetProperty("DBInstanceStatus").GetString());
        var events = (await RdsCliAsync("describe-events", "--source-type", "db-instance", "--source-identifier", S.DatabaseInstance, "--duration", "120"))
            .GetProperty("Events").EnumerateArray().Select(e => e.GetProperty("Message").GetString()!).ToList();
        Assert.Contains(events, m => m.Contains(S.PlacementEvent, StringComparison.Ordinal));

        // The stack's last event is over 40 world minutes old: the runbook's "no new events for 15+ minutes".
        var stackEvents = (await CliAsync("cloudformation", "describe-stack-events", "--stack-name", S.Stack)).GetProperty("StackEvents").EnumerateArray().ToList();
        var newest = stackEvents.Max(e => e.GetProperty("Timestamp").GetDateTimeOffset());
        var created = stackEvents.Min(e => e.GetProperty("Timestamp").GetDateTimeOffset());
        Assert.InRange((newest - created).TotalMinutes, 0, 10);
        Assert.True(DateTimeOffset.UtcNow - newest > TimeSpan.FromMinutes(15), $"the newest stack event, {newest:u}, is less than 15 minutes old");

        var refused = await CliErrorAsync("cloudformation", "cancel-update-stack", "--stack-name", S.Stack);
        Assert.Contains("ValidationError", refused, StringComparison.Ordinal);
        Assert.Contains("CancelUpdateStack cannot be called from current stack status", refused, StringComparison.Ordinal);
        Assert.Contains("RetainResources can only be specified when the stack is in DELETE_FAILED state; it is in CREATE_IN_PROGRESS",
            await CliErrorAsync("cloudformation", "delete-stack", "--stack-name", S.Stack, "--retain-resources", S.DatabaseResource), StringComparison.Ordinal);
        Assert.Equal("CREATE_IN_PROGRESS", await StatusAsync());

        await CliAsync("cloudformation", "delete-stack", "--stack-name", S.Stack);
        Assert.Contains(await StatusAsync(), new[] { "DELETE_IN_PROGRESS", "DELETE_COMPLETE" });
    }

    [Fact]
    public async Task Cancelling_an_update_stuck_on_ecs_rolls_it_back_to_update_rollback_complete()
    {
        await _sandbox.LoadScenarioAsync(S.UpdateEcsFailing);
        Assert.Equal("UPDATE_IN_PROGRESS", await StatusAsync());

        await CliAsync("cloudformation", "cancel-update-stack", "--stack-name", S.Stack);

        Assert.Contains(await StatusAsync(), new[] { "UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE" });
        await WaitForStatusAsync("UPDATE_ROLLBACK_COMPLETE");
        Assert.Contains("CancelUpdateStack cannot be called from current stack status",
            await CliErrorAsync("cloudformation", "cancel-update-stack", "--stack-name", S.Stack), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_rollback_continues_only_when_it_skips_resources_whose_rollback_failed()
    {
        await _sandbox.LoadScenarioAsync(S.RollbackFailed);
        Assert.Equal("UPDATE_ROLLBACK_FAILED", await StatusAsync());
        Assert.Equal("UPDATE_FAILED", await ResourceStatusAsync(S.DatabaseResource));

        var refused = await CliErrorAsync("cloudformation", "continue-update-rollback", "--stack-name", S.Stack, "--resources-to-skip", S.ClusterResource);
        Assert.Contains($"ResourcesToSkip [{S.ClusterResource}] cannot be skipped", refused, StringComparison.Ordinal);
        Assert.Equal("UPDATE_ROLLBACK_FAILED", await StatusAsync());

        await CliAsync("cloudformation", "continue-update-rollback", "--stack-name", S.Stack, "--resources-to-skip", S.DatabaseResource);

        await WaitForStatusAsync("UPDATE_ROLLBACK_COMPLETE");
        Assert.Equal("UPDATE_COMPLETE", await ResourceStatusAsync(S.DatabaseResource));
    }

    [Fact]
    public async Task A_failed_delete_finishes_only_when_it_retains_the_resource_that_could_not_go()
    {
        await _sandbox.LoadScenarioAsync(S.DeleteFailed);
        Assert.Equal("DELETE_FAILED", await StatusAsync());
        Assert.Equal("DELETE_FAILED", await ResourceStatusAsync(S.AssetsBucketResource));

        await CliAsync("cloudformation", "delete-stack", "--stack-name", S.Stack, "--retain-resources", S.AssetsBucketResource);

        await Eventually.WaitUntilAsync(async () =>
        {
            try
            {
                await StatusAsync();
                return false;
            }
            catch (InvalidOperationException ex) when (ex.Message.Contains($"Stack with id {S.Stack} does not exist", StringComparison.Ordinal))
            {
                return true;
            }
        }, $"{S.Stack} to be deleted", TimeSpan.FromMinutes(3));
    }
}
