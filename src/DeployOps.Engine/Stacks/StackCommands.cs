using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws;

namespace DeployOps.Stacks;

/// <summary>A legal action as the exact command to run: DeployOps' cmdlet and the aws CLI's equivalent.</summary>
public sealed class CfnStackAction
{
    /// <summary>A <see cref="StackAction"/> name: Wait, CancelUpdate, ContinueRollback, Delete, DeleteRetaining, Update, Rollback.</summary>
    public string Action => ActionKind.ToString();

    internal StackAction ActionKind { get; init; }

    /// <summary>The PowerShell command, e.g. <c>Resume-CfnStackRollback -StackName s -ResourcesToSkip Database -Region us-east-1</c>.</summary>
    public string Command { get; init; } = "";

    /// <summary>The aws CLI command that does the same.</summary>
    public string AwsCliCommand { get; init; } = "";

    /// <summary>Why (and when) to take it.</summary>
    public string Description { get; init; } = "";

    public override string ToString() => Command;
}

/// <summary>Where the commands must point: the session's region, and its profile and endpoint when it has them.</summary>
public sealed record StackConnection(string Region, string? ProfileName, string? EndpointUrl)
{
    public static StackConnection Of(AwsSession session) => new(session.Region.Name, session.ProfileName, session.EndpointUrl);
}

/// <summary>Writes each legal action as the exact command (PowerShell and aws CLI), with the computed resource lists.</summary>
public static class StackCommands
{
    /// <summary>The commands for <paramref name="rules"/> on <paramref name="stackName"/>.</summary>
    /// <param name="resourcesToSkip">The resources ContinueUpdateRollback may skip (computed).</param>
    /// <param name="retainResources">The resources a delete in DELETE_FAILED keeps (the ones that failed to delete).</param>
    public static IReadOnlyList<CfnStackAction> For(IReadOnlyList<StackActionRule> rules, string stackName, StackConnection connection,
        IReadOnlyList<string> resourcesToSkip, IReadOnlyList<string> retainResources) =>
        rules.Select(rule =>
        {
            var cli = AwsCli(rule.Action, stackName, resourcesToSkip, retainResources) + AwsCliConnection(connection);
            return new CfnStackAction
            {
                ActionKind = rule.Action,
                Command = PowerShell(rule.Action, stackName, resourcesToSkip, retainResources) is { } command ? command + PowerShellConnection(connection) : cli,
                AwsCliCommand = cli,
                Description = rule.Why,
            };
        }).ToList();

    /// <summary>The DeployOps cmdlet for the action; null for the ones the deployment pipeline or the aws CLI does (update, rollback).</summary>
    private static string? PowerShell(StackAction action, string stack, IReadOnlyList<string> skip, IReadOnlyList<string> retain) => action switch
    {
        StackAction.Wait => $"Wait-CfnStack -StackName {stack}",
        StackAction.CancelUpdate => $"Stop-CfnStackUpdate -StackName {stack}",
        StackAction.ContinueRollback => $"Resume-CfnStackRollback -StackName {stack}" + (skip.Count == 0 ? "" : $" -ResourcesToSkip {string.Join(",", skip)}"),
        StackAction.Delete => $"Remove-CfnStack -StackName {stack} -Wait",
        StackAction.DeleteRetaining => $"Remove-CfnStack -StackName {stack} -RetainResources {string.Join(",", retain)} -Wait",
        _ => null,
    };

    private static string AwsCli(StackAction action, string stack, IReadOnlyList<string> skip, IReadOnlyList<string> retain) => action switch
    {
        StackAction.Wait => $"aws cloudformation describe-stacks --stack-name {stack} --query Stacks[0].StackStatus",
        StackAction.CancelUpdate => $"aws cloudformation cancel-update-stack --stack-name {stack}",
        StackAction.ContinueRollback => $"aws cloudformation continue-update-rollback --stack-name {stack}" + (skip.Count == 0 ? "" : $" --resources-to-skip {string.Join(" ", skip)}"),
        StackAction.Delete => $"aws cloudformation delete-stack --stack-name {stack}",
        StackAction.DeleteRetaining => $"aws cloudformation delete-stack --stack-name {stack} --retain-resources {string.Join(" ", retain)}",
        StackAction.Update => $"aws cloudformation deploy --stack-name {stack} --template-file <template>",
        _ => $"aws cloudformation rollback-stack --stack-name {stack}",
    };

    private static string PowerShellConnection(StackConnection connection) =>
        $" -Region {connection.Region}" + (connection.ProfileName is { } profile ? $" -ProfileName {profile}" : "") +
        (connection.EndpointUrl is { } endpoint ? $" -EndpointUrl {endpoint}" : "");

    private static string AwsCliConnection(StackConnection connection) =>
        $" --region {connection.Region}" + (connection.ProfileName is { } profile ? $" --profile {profile}" : "") +
        (connection.EndpointUrl is { } endpoint ? $" --endpoint-url {endpoint}" : "");
}
