using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Errors;
using DeployOps.Storage;

namespace DeployOps.Coordination;

/// <summary>
/// One deployment in runbook 001's <c>deployments.json</c>, in its snake_case fields. Fields DeployOps does not know
/// (a CI run id a script added) are kept as they are.
/// </summary>
public sealed class RegistryEntry
{
    /// <summary>The wire status of a deployment that is running (or registered to run).</summary>
    public const string ActiveStatus = "active";

    [JsonPropertyName("correlation_id")]
    public string? CorrelationId { get; set; }

    [JsonPropertyName("stack_name")]
    public string? StackName { get; set; }

    /// <summary><c>active</c>, <c>completed</c> or <c>failed</c>.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("started_at")]
    public DateTimeOffset? StartedAt { get; set; }

    [JsonPropertyName("started_by")]
    public string? StartedBy { get; set; }

    [JsonPropertyName("commit")]
    public string? Commit { get; set; }

    [JsonPropertyName("completed_at")]
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Members DeployOps does not know, written back unchanged.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }

    /// <summary>True while the record says the deployment runs.</summary>
    [JsonIgnore]
    public bool IsActive => string.Equals(Status, ActiveStatus, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The registry file: <c>{"deployments":[...]}</c>.</summary>
public sealed class RegistryDocument
{
    [JsonPropertyName("deployments")]
    public List<RegistryEntry>? Deployments { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

/// <summary>Why the registry cannot be used.</summary>
public enum RegistryProblem
{
    /// <summary>The registry folder does not exist.</summary>
    FolderMissing,

    /// <summary>The folder exists, <c>deployments.json</c> does not.</summary>
    FileMissing,

    /// <summary>The file is not <c>{"deployments":[...]}</c>: cut off, edited by hand, another format.</summary>
    Corrupted,

    /// <summary>The file or folder may not be read or written by this user.</summary>
    AccessDenied,

    /// <summary><c>deployments.json</c> is a folder.</summary>
    NotAFile,
}

/// <summary>The registry cannot be read or written; <see cref="Problem"/> says why (Repair-DeploymentRegistry fixes each).</summary>
public sealed class RegistryUnavailableException : Exception
{
    public RegistryUnavailableException(RegistryProblem problem, string path, string message, Exception? inner = null)
        : base(message, inner)
    {
        Problem = problem;
        Path = path;
    }

    public RegistryProblem Problem { get; }

    /// <summary>The registry file.</summary>
    public string Path { get; }

    /// <summary>The error a cmdlet reports: RegistryUnavailable, with the repair to run.</summary>
    public DeployOpsError ToError() => new(ErrorIds.RegistryUnavailable, Problem == RegistryProblem.AccessDenied ? DeployOpsErrorKind.PermissionDenied : DeployOpsErrorKind.NotFound,
        Message, Path, this)
    {
        RecommendedAction = "Run Repair-DeploymentRegistry (with -WhatIf first to see each step).",
    };
}

/// <summary>
/// The deployment registry of runbook 001: <c>deployments.json</c> in the <see cref="DeploymentStore"/>, the list of
/// deployments that are running or ran, which the coordinator consults before starting another. Reads never see a
/// half-written file and changes run under the store's lock between processes (<see cref="LockedJsonFile{T}"/>); a
/// registry that is missing, corrupted or not accessible is a <see cref="RegistryUnavailableException"/>.
/// </summary>
public sealed class DeploymentRegistry
{
    /// <summary>The registry's file name, as the runbook knows it.</summary>
    public const string FileName = "deployments.json";

    /// <summary>The registry's JSON: snake_case members from the entries' attributes, indented, no null members.</summary>
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = true,
    };

    // Correlation ids name files (the monitor's checkpoint), so only what every file system takes.
    private static readonly Regex CorrelationIdPattern = new("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant);
    private static readonly Regex StackNamePattern = new("^[A-Za-z][A-Za-z0-9-]{0,127}$", RegexOptions.CultureInvariant);

    private readonly LockedJsonFile<RegistryDocument> _file;

    public DeploymentRegistry(DeploymentStore store)
    {
        Store = store;
        _file = new LockedJsonFile<RegistryDocument>(store.PathOf(FileName), Json);
    }

    public DeploymentStore Store { get; }

    /// <summary>The registry file.</summary>
    public string Path => _file.Path;

    /// <summary>The empty registry, as the runbook initialises it.</summary>
    public static string EmptyDocument => "{\"deployments\":[]}";

    /// <summary>
    /// Every entry, in file order; throws <see cref="RegistryUnavailableException"/> when the registry is missing,
    /// corrupted or not accessible.
    /// </summary>
    public IReadOnlyList<RegistryEntry> Read()
    {
        ThrowIfMissing();
        return Guarded(() => Validated(_file.Read()).Deployments!);
    }

    /// <summary>Every entry as a <see cref="DeploymentRecord"/> (not yet held against CloudFormation); see <see cref="Read"/>.</summary>
    public IReadOnlyList<DeploymentRecord> ReadRecords() => Read().Select(entry => DeploymentRecord.From(entry, Store.Folder)).ToList();

    /// <summary>Adds a deployment; refuses a correlation id already used and a second active deployment of a stack.</summary>
    public Task<RegistryEntry> RegisterAsync(RegistryEntry entry, CancellationToken cancellationToken) =>
        ChangeAsync(entries =>
        {
            if (entries.FirstOrDefault(e => e.CorrelationId == entry.CorrelationId) is { } same)
            {
                throw new DeployOpsException(new DeployOpsError(ErrorIds.DuplicateCorrelationId, DeployOpsErrorKind.AlreadyExists,
                    $"The registry already has a deployment with correlation id '{entry.CorrelationId}' (stack {same.StackName}, {same.Status}). "
                    + "Use another id, or leave out -CorrelationId to get a new one.", entry.CorrelationId));
            }

            if (entries.FirstOrDefault(e => e.IsActive && string.Equals(e.StackName, entry.StackName, StringComparison.Ordinal)) is { } active)
            {
                throw new DeployOpsException(new DeployOpsError(ErrorIds.DeploymentAlreadyActive, DeployOpsErrorKind.Conflict,
                    $"Waiting for active deployment: stack {entry.StackName} already has deployment '{active.CorrelationId}' active, started "
                    + $"{Describe(active.StartedAt)} by {active.StartedBy ?? "unknown"}.", entry.StackName)
                {
                    RecommendedAction = "Check whether it still runs: Get-DeploymentRecord -Active (a record whose stack is *_COMPLETE or gone is Stale; "
                        + $"clean it with Remove-DeploymentRecord -CorrelationId {active.CorrelationId} or Remove-DeploymentRecord -Stale).",
                });
            }

            entries.Add(entry);
            return entry;
        }, cancellationToken);

    /// <summary>Marks a deployment completed or failed, now.</summary>
    public Task<RegistryEntry> CompleteAsync(string correlationId, bool failed, DateTimeOffset completedAt, CancellationToken cancellationToken) =>
        ChangeAsync(entries =>
        {
            var entry = Find(entries, correlationId);
            entry.Status = failed ? "failed" : "completed";
            entry.CompletedAt = completedAt;
            return entry;
        }, cancellationToken);

    /// <summary>Removes a deployment (the runbook's <c>cleanup &lt;correlation_id&gt;</c>) and returns it.</summary>
    public Task<RegistryEntry> RemoveAsync(string correlationId, CancellationToken cancellationToken) =>
        ChangeAsync(entries =>
        {
            var entry = Find(entries, correlationId);
            entries.Remove(entry);
            return entry;
        }, cancellationToken);

    /// <summary>Replaces the whole file with <paramref name="entries"/> (a reinitialised registry), under the lock.</summary>
    public Task WriteAsync(IReadOnlyList<RegistryEntry> entries, CancellationToken cancellationToken) =>
        GuardedAsync(() => _file.WriteAsync(new RegistryDocument { Deployments = entries.ToList() }, cancellationToken));

    /// <summary>Adds an entry to a registry known to be readable (a repair re-adding an active deployment), skipping a correlation id it has.</summary>
    public Task AddIfMissingAsync(RegistryEntry entry, CancellationToken cancellationToken) =>
        ChangeAsync(entries =>
        {
            if (entries.All(e => e.CorrelationId != entry.CorrelationId))
            {
                entries.Add(entry);
            }

            return entry;
        }, cancellationToken);

    /// <summary>Throws <see cref="DeployOpsException"/> InvalidCorrelationId unless <paramref name="correlationId"/> is usable.</summary>
    public static void ValidateCorrelationId(string correlationId)
    {
        if (!CorrelationIdPattern.IsMatch(correlationId))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidCorrelationId, DeployOpsErrorKind.InvalidArgument,
                $"'{correlationId}' is not a correlation id; expected 1 to 128 letters, digits, '.', '_' and '-', starting with a letter or digit, "
                + "e.g. deploy-20250114-a1b2c3.", correlationId));
        }
    }

    /// <summary>Throws <see cref="DeployOpsException"/> InvalidStackName unless <paramref name="stackName"/> is a CloudFormation stack name.</summary>
    public static void ValidateStackName(string stackName)
    {
        if (!StackNamePattern.IsMatch(stackName))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidStackName, DeployOpsErrorKind.InvalidArgument,
                $"'{stackName}' is not a CloudFormation stack name; expected a letter, then up to 127 letters, digits and '-', "
                + "e.g. CourtCaseManagementStack.", stackName));
        }
    }

    /// <summary>A new correlation id: <c>deploy-&lt;UTC time&gt;-&lt;6 hex digits&gt;</c>.</summary>
    public static string NewCorrelationId(DateTimeOffset now) => $"deploy-{now.UtcDateTime:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}".Substring(0, 29);

    private static string Describe(DateTimeOffset? time) => time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : "at an unknown time";

    private static RegistryEntry Find(List<RegistryEntry> entries, string correlationId) =>
        entries.FirstOrDefault(e => e.CorrelationId == correlationId)
        ?? throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.DeploymentRecordNotFound,
            $"The registry has no deployment with correlation id '{correlationId}'. See the ids with Get-DeploymentRecord.", correlationId));

    private async Task<RegistryEntry> ChangeAsync(Func<List<RegistryEntry>, RegistryEntry> change, CancellationToken cancellationToken)
    {
        ThrowIfMissing();
        RegistryEntry? changed = null;
        await GuardedAsync(() => _file.UpdateAsync(document =>
        {
            changed = change(Validated(document).Deployments!);
            return document;
        }, cancellationToken)).ConfigureAwait(false);
        return changed!;
    }

    private RegistryDocument Validated(RegistryDocument document)
    {
        if (document.Deployments is null)
        {
            throw Unavailable(RegistryProblem.Corrupted, $"The registry '{Path}' has no \"deployments\" list; expected {EmptyDocument} or a list of deployments.");
        }

        for (var i = 0; i < document.Deployments.Count; i++)
        {
            var entry = document.Deployments[i];
            if (entry is null || string.IsNullOrWhiteSpace(entry.CorrelationId) || string.IsNullOrWhiteSpace(entry.StackName))
            {
                throw Unavailable(RegistryProblem.Corrupted,
                    $"The registry '{Path}' is corrupted: deployment {i + 1} has no correlation_id or stack_name.");
            }
        }

        return document;
    }

    private void ThrowIfMissing()
    {
        if (Directory.Exists(Path))
        {
            throw Unavailable(RegistryProblem.NotAFile, $"The registry '{Path}' is a folder; expected a file holding {EmptyDocument}.");
        }

        if (!Directory.Exists(Store.Folder))
        {
            throw Unavailable(RegistryProblem.FolderMissing, $"The registry folder '{Store.Folder}' (from {SourceOf(Store)}) does not exist.");
        }

        if (!File.Exists(Path))
        {
            throw Unavailable(RegistryProblem.FileMissing, $"The registry '{Path}' (from {SourceOf(Store)}) does not exist.");
        }
    }

    private T Guarded<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (CorruptFileException ex)
        {
            throw Unavailable(RegistryProblem.Corrupted, $"The registry is corrupted: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw Unavailable(RegistryProblem.AccessDenied, $"The registry '{Path}' may not be read or written by this user: {ex.Message}", ex);
        }
    }

    private async Task GuardedAsync(Func<Task> change)
    {
        try
        {
            await change().ConfigureAwait(false);
        }
        catch (CorruptFileException ex)
        {
            throw Unavailable(RegistryProblem.Corrupted, $"The registry is corrupted: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw Unavailable(RegistryProblem.AccessDenied, $"The registry '{Path}' may not be read or written by this user: {ex.Message}", ex);
        }
        catch (TimeoutException ex)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.RegistryLocked, DeployOpsErrorKind.Conflict, ex.Message, Path, ex)
            {
                RecommendedAction = "Another DeployOps command holds the registry; try again when it has finished.",
            });
        }
    }

    private RegistryUnavailableException Unavailable(RegistryProblem problem, string message, Exception? inner = null) => new(problem, Path, message, inner);

    private static string SourceOf(DeploymentStore store) => string.IsNullOrEmpty(store.Source) ? "the path given" : store.Source;
}
