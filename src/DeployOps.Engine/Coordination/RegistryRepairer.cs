using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Storage;

namespace DeployOps.Coordination;

/// <summary>What one step of Repair-DeploymentRegistry does (runbook 001, "registry unavailable").</summary>
public enum RegistryRepairAction
{
    /// <summary>Nothing to repair: the registry is readable.</summary>
    Check,

    /// <summary><c>mkdir -p .deployment-registry</c>.</summary>
    CreateFolder,

    /// <summary><c>chmod 755 .deployment-registry</c>.</summary>
    SetFolderPermissions,

    /// <summary><c>echo '{"deployments":[]}' &gt; deployments.json</c>.</summary>
    CreateFile,

    /// <summary><c>chmod 644 deployments.json</c>.</summary>
    SetFilePermissions,

    /// <summary><c>cp deployments.json deployments.json.corrupted-&lt;time&gt;</c>.</summary>
    BackUpCorruptedFile,

    /// <summary>Writes the empty registry over the corrupted one.</summary>
    Reinitialise,

    /// <summary>Re-adds a deployment CloudFormation shows in progress.</summary>
    RestoreActiveDeployment,

    /// <summary>A problem DeployOps may not fix (another owner's file, a folder in the file's place): said, not changed.</summary>
    Report,
}

/// <summary>How a repair step ended.</summary>
public enum RegistryRepairOutcome
{
    /// <summary>Planned, not applied yet.</summary>
    Planned,

    Done,

    Failed,

    /// <summary>A problem reported for the operator to fix.</summary>
    Reported,

    /// <summary>Nothing needed doing.</summary>
    NoChange,
}

/// <summary>One step of Repair-DeploymentRegistry, planned (what -WhatIf shows) or applied (what the cmdlet writes).</summary>
public sealed class RegistryRepairStep : IChangePlan
{
    internal RegistryRepairStep(RegistryRepairAction action, string target, string detail, string registryPath, Func<CancellationToken, Task>? apply)
    {
        ActionKind = action;
        Target = target;
        Detail = detail;
        RegistryPath = registryPath;
        ApplyChange = apply;
        OutcomeKind = apply is null ? (action == RegistryRepairAction.Check ? RegistryRepairOutcome.NoChange : RegistryRepairOutcome.Reported) : RegistryRepairOutcome.Planned;
    }

    /// <summary>The step, as a name (see <see cref="RegistryRepairAction"/>).</summary>
    public string Action => ActionKind.ToString();

    /// <summary>The file, folder or stack the step is about.</summary>
    public string Target { get; }

    /// <summary>What the step does or found, in a sentence.</summary>
    public string Detail { get; private set; }

    /// <summary>Planned, Done, Failed, Reported or NoChange.</summary>
    public string Outcome => OutcomeKind.ToString();

    /// <summary>The registry file.</summary>
    public string RegistryPath { get; }

    /// <summary>True when the step changes something (and so goes through ShouldProcess).</summary>
    public bool IsChange => ApplyChange is not null;

    string IChangePlan.ShouldProcessTarget => Target;

    string IChangePlan.ShouldProcessAction => Detail;

    internal RegistryRepairAction ActionKind { get; }

    internal RegistryRepairOutcome OutcomeKind { get; private set; }

    internal Func<CancellationToken, Task>? ApplyChange { get; }

    /// <summary>Applies the step; its outcome and detail say how it went. A step that is no change is returned as it is.</summary>
    public async Task<RegistryRepairStep> ApplyAsync(CancellationToken cancellationToken)
    {
        if (ApplyChange is null)
        {
            return this;
        }

        try
        {
            await ApplyChange(cancellationToken).ConfigureAwait(false);
            return With(RegistryRepairOutcome.Done, Detail);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or RegistryUnavailableException)
        {
            return With(RegistryRepairOutcome.Failed, $"{Detail} failed: {ex.Message}");
        }
    }

    private RegistryRepairStep With(RegistryRepairOutcome outcome, string detail) =>
        new(ActionKind, Target, detail, RegistryPath, ApplyChange) { OutcomeKind = outcome };

    public override string ToString() => $"{Action} {Target}: {Outcome}";
}

/// <summary>The state of the registry's folder, file and content, as Repair-DeploymentRegistry finds it.</summary>
public sealed class RegistryCondition
{
    internal RegistryCondition(bool folderExists, int? folderMode, bool fileExists, bool fileIsFolder, int? fileMode, RegistryProblem? contentProblem, string contentDetail)
    {
        FolderExists = folderExists;
        FolderMode = folderMode;
        FileExists = fileExists;
        FileIsFolder = fileIsFolder;
        FileMode = fileMode;
        ContentProblem = contentProblem;
        ContentDetail = contentDetail;
    }

    public bool FolderExists { get; }

    public int? FolderMode { get; }

    public bool FileExists { get; }

    public bool FileIsFolder { get; }

    public int? FileMode { get; }

    /// <summary>Why the content cannot be used (Corrupted, AccessDenied), or null when it reads.</summary>
    public RegistryProblem? ContentProblem { get; }

    /// <summary>What reading the content found.</summary>
    public string ContentDetail { get; }

    /// <summary>A corrupted registry is reinitialised with the stacks CloudFormation shows in progress.</summary>
    public bool NeedsCloudFormation => ContentProblem == RegistryProblem.Corrupted;
}

/// <summary>
/// Repair-DeploymentRegistry's engine (runbook 001, "registry unavailable"): inspects the registry's folder, file,
/// permissions and content, and plans one step per problem, each applied on its own so -WhatIf shows every one:
/// a missing folder or file is created; permissions the owner lacks are set to 755 and 644 where the user may (and
/// reported otherwise); a corrupted file is backed up as <c>deployments.json.corrupted-&lt;time&gt;</c>, reinitialised,
/// and the deployments CloudFormation shows in progress are re-added.
/// </summary>
public sealed class RegistryRepairer
{
    private readonly DeploymentRegistry _registry;
    private readonly Func<DateTimeOffset> _now;

    public RegistryRepairer(DeploymentRegistry registry, Func<DateTimeOffset>? now = null)
    {
        _registry = registry;
        _now = now ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>What is there now; reads only.</summary>
    public RegistryCondition Inspect()
    {
        var folder = _registry.Store.Folder;
        var path = _registry.Path;
        var folderExists = Directory.Exists(folder);
        var fileIsFolder = Directory.Exists(path);
        var fileExists = File.Exists(path);
        RegistryProblem? problem = null;
        var detail = "not read";
        if (fileExists)
        {
            try
            {
                var records = _registry.Read();
                detail = $"{records.Count} deployment(s), {records.Count(r => r.IsActive)} active";
            }
            catch (RegistryUnavailableException ex)
            {
                problem = ex.Problem;
                detail = ex.Message;
            }
        }

        return new RegistryCondition(folderExists, FilePermissions.TryGetMode(folder), fileExists, fileIsFolder, FilePermissions.TryGetMode(path), problem, detail);
    }

    /// <summary>
    /// The steps that repair <paramref name="condition"/>; <paramref name="facts"/> (needed when
    /// <see cref="RegistryCondition.NeedsCloudFormation"/>) reads the stacks in progress.
    /// </summary>
    public async Task<IReadOnlyList<RegistryRepairStep>> PlanAsync(RegistryCondition condition, AwsFacts? facts, CancellationToken cancellationToken)
    {
        var folder = _registry.Store.Folder;
        var path = _registry.Path;
        var steps = new List<RegistryRepairStep>();
        if (!condition.FolderExists)
        {
            steps.Add(Step(RegistryRepairAction.CreateFolder, folder, $"Create the registry folder {folder}", _ => Run(() => Directory.CreateDirectory(folder))));
        }
        else if (condition.FolderMode is { } folderMode && FilePermissions.MissingForFolder(folderMode) is { } folderLacks)
        {
            steps.Add(Permissions(RegistryRepairAction.SetFolderPermissions, folder, folderMode, FilePermissions.FolderMode, folderLacks));
        }

        if (condition.FileIsFolder)
        {
            steps.Add(Step(RegistryRepairAction.Report, path, $"{path} is a folder, not the registry file: move it away, then run Repair-DeploymentRegistry again.", null));
            return steps;
        }

        if (!condition.FileExists)
        {
            steps.Add(Step(RegistryRepairAction.CreateFile, path, $"Create {path} holding {DeploymentRegistry.EmptyDocument}",
                ct => _registry.WriteAsync(Array.Empty<RegistryEntry>(), ct)));
            return steps;
        }

        if (condition.FileMode is { } fileMode && FilePermissions.MissingForFile(fileMode) is { } fileLacks)
        {
            steps.Add(Permissions(RegistryRepairAction.SetFilePermissions, path, fileMode, FilePermissions.FileMode, fileLacks));
        }

        switch (condition.ContentProblem)
        {
            case RegistryProblem.Corrupted:
                var backup = $"{path}.corrupted-{_now().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
                steps.Add(Step(RegistryRepairAction.BackUpCorruptedFile, path, $"Back up the corrupted registry to {backup} ({condition.ContentDetail})",
                    _ => Run(() => File.Copy(path, backup, overwrite: false))));
                steps.Add(Step(RegistryRepairAction.Reinitialise, path, $"Reinitialise {path} as {DeploymentRegistry.EmptyDocument}",
                    ct => _registry.WriteAsync(Array.Empty<RegistryEntry>(), ct)));
                steps.AddRange(await RestoreStepsAsync(facts, cancellationToken).ConfigureAwait(false));
                break;
            case RegistryProblem.AccessDenied when steps.All(s => s.ActionKind != RegistryRepairAction.SetFilePermissions):
                steps.Add(Step(RegistryRepairAction.Report, path,
                    $"This user may not read or write {path} although its permissions look right ({condition.ContentDetail}); ask its owner or an administrator to give you read and write access.", null));
                break;
        }

        if (steps.Count == 0)
        {
            steps.Add(Step(RegistryRepairAction.Check, path, $"Nothing to repair: {path} is readable and holds {condition.ContentDetail}.", null));
        }

        return steps;
    }

    private async Task<IReadOnlyList<RegistryRepairStep>> RestoreStepsAsync(AwsFacts? facts, CancellationToken cancellationToken)
    {
        if (facts is null)
        {
            throw new ArgumentNullException(nameof(facts), "A corrupted registry is restored from CloudFormation: pass the facts.");
        }

        var stacks = await facts.StackProgress.ListInProgressAsync(cancellationToken).ConfigureAwait(false);
        if (!stacks.IsRead)
        {
            return new[]
            {
                Step(RegistryRepairAction.Report, "CloudFormation",
                    $"The stacks in progress could not be read ({stacks}): add the active deployments with Register-DeploymentRecord.", null),
            };
        }

        return stacks.Value.OrderBy(s => s.LastChanged).Select(stack =>
        {
            var entry = new RegistryEntry
            {
                CorrelationId = RecoveredCorrelationId(stack),
                StackName = stack.StackName,
                Status = RegistryEntry.ActiveStatus,
                StartedAt = stack.LastChanged,
                StartedBy = "Repair-DeploymentRegistry",
            };
            return Step(RegistryRepairAction.RestoreActiveDeployment, stack.StackName,
                $"Re-add the active deployment of stack {stack.StackName} ({stack.Status} since {stack.LastChanged.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC) as {entry.CorrelationId}",
                ct => _registry.AddIfMissingAsync(entry, ct));
        }).ToList();
    }

    /// <summary>The correlation id a restored deployment gets: the stack and when it last changed, so a second repair finds it again.</summary>
    internal static string RecoveredCorrelationId(StackProgress stack)
    {
        var name = stack.StackName.Length > 96 ? stack.StackName.Substring(0, 96) : stack.StackName;
        return $"recovered-{name}-{stack.LastChanged.UtcDateTime:yyyyMMddHHmmss}";
    }

    private RegistryRepairStep Permissions(RegistryRepairAction action, string target, int mode, int wanted, string lacks)
    {
        if (!FilePermissions.Supported)
        {
            return Step(RegistryRepairAction.Report, target, $"{target} has mode {FilePermissions.Octal(mode)}: its owner may not {lacks} it; set it to {FilePermissions.Octal(wanted)}.", null);
        }

        return Step(action, target, $"Set the permissions of {target} to {FilePermissions.Octal(wanted)} (they are {FilePermissions.Octal(mode)}: the owner may not {lacks} it)",
            _ => Run(() => FilePermissions.SetModeOf(target, wanted)));
    }

    private RegistryRepairStep Step(RegistryRepairAction action, string target, string detail, Func<CancellationToken, Task>? apply) =>
        new(action, target, detail, _registry.Path, apply);

    private static Task Run(Action action)
    {
        action();
        return Task.CompletedTask;
    }
}
