using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Errors;
using DeployOps.Storage;

namespace DeployOps.Estimates;

/// <summary>
/// <c>deployment-history.json</c> as runbook 001 reads it (<c>jq '.average_deployment_minutes'</c>,
/// <c>'.resource_averages'</c>, <c>'.deployments | length'</c>): the average deployment, the average minutes each resource
/// type takes to create, and every deployment collected, with its resources' times (what estimates are made from).
/// </summary>
public sealed class DeploymentHistoryDocument
{
    /// <summary>The mean duration of the collected creates and updates, in minutes.</summary>
    [JsonPropertyName("average_deployment_minutes")]
    public double AverageDeploymentMinutes { get; set; }

    /// <summary>Resource type to the mean minutes its creation takes (first CREATE_IN_PROGRESS to CREATE_COMPLETE).</summary>
    [JsonPropertyName("resource_averages")]
    public SortedDictionary<string, double> ResourceAverages { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The same for every action: CREATE, UPDATE, DELETE to resource type to mean minutes.</summary>
    [JsonPropertyName("resource_averages_by_action")]
    public SortedDictionary<string, SortedDictionary<string, double>> ResourceAveragesByAction { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every collected operation that succeeded, oldest first.</summary>
    [JsonPropertyName("deployments")]
    public List<HistoryDeployment> Deployments { get; set; } = new();

    [JsonPropertyName("updated_at")]
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Recomputes the averages from <see cref="Deployments"/>.</summary>
    public void Recompute()
    {
        var deployments = Deployments.Where(d => d.Operation is "CREATE" or "UPDATE").ToList();
        AverageDeploymentMinutes = deployments.Count == 0 ? 0 : Math.Round(deployments.Average(d => d.DurationMinutes), 2);
        ResourceAveragesByAction = new SortedDictionary<string, SortedDictionary<string, double>>(
            Deployments.SelectMany(d => d.Resources).GroupBy(r => r.Action, StringComparer.Ordinal).ToDictionary(
                byAction => byAction.Key,
                byAction => new SortedDictionary<string, double>(byAction.GroupBy(r => r.ResourceType, StringComparer.Ordinal)
                    .ToDictionary(byType => byType.Key, byType => Math.Round(byType.Average(r => r.DurationMinutes), 2), StringComparer.Ordinal), StringComparer.Ordinal),
                StringComparer.Ordinal),
            StringComparer.Ordinal);
        ResourceAverages = ResourceAveragesByAction.TryGetValue("CREATE", out var creates)
            ? new SortedDictionary<string, double>(creates, StringComparer.Ordinal)
            : new SortedDictionary<string, double>(StringComparer.Ordinal);
    }
}

/// <summary>One collected operation of a stack.</summary>
public sealed class HistoryDeployment
{
    /// <summary>The stack id and the event id that began the operation: what makes collecting twice add nothing twice.</summary>
    [JsonPropertyName("id")]
    public string Id { get; set; } = "";

    [JsonPropertyName("stack_name")]
    public string StackName { get; set; } = "";

    [JsonPropertyName("stack_id")]
    public string StackId { get; set; } = "";

    /// <summary>CREATE, UPDATE or DELETE.</summary>
    [JsonPropertyName("operation")]
    public string Operation { get; set; } = "";

    /// <summary>The status it ended in, e.g. CREATE_COMPLETE.</summary>
    [JsonPropertyName("status")]
    public string Status { get; set; } = "";

    [JsonPropertyName("started_at")]
    public DateTimeOffset StartedAt { get; set; }

    [JsonPropertyName("completed_at")]
    public DateTimeOffset CompletedAt { get; set; }

    [JsonPropertyName("duration_minutes")]
    public double DurationMinutes { get; set; }

    [JsonPropertyName("resources")]
    public List<HistoryResource> Resources { get; set; } = new();
}

/// <summary>One resource's action in a collected operation.</summary>
public sealed class HistoryResource
{
    [JsonPropertyName("logical_id")]
    public string LogicalId { get; set; } = "";

    [JsonPropertyName("type")]
    public string ResourceType { get; set; } = "";

    /// <summary>CREATE, UPDATE or DELETE.</summary>
    [JsonPropertyName("action")]
    public string Action { get; set; } = "";

    /// <summary>Minutes after the operation began that the resource's action began.</summary>
    [JsonPropertyName("started_minutes")]
    public double StartedMinutes { get; set; }

    [JsonPropertyName("duration_minutes")]
    public double DurationMinutes { get; set; }
}

/// <summary>
/// The deployment history file in the <see cref="DeploymentStore"/> (a <see cref="LockedJsonFile{T}"/>: atomic writes, a
/// lock between processes). Collecting merges new operations in by id, so collecting twice changes nothing.
/// </summary>
public sealed class DeploymentHistory
{
    /// <summary>The file's name in the store, as runbook 001 names it.</summary>
    public const string FileName = "deployment-history.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly LockedJsonFile<DeploymentHistoryDocument> _file;

    public DeploymentHistory(DeploymentStore store)
    {
        _file = new LockedJsonFile<DeploymentHistoryDocument>(store.PathOf(FileName), Json);
    }

    /// <summary>The file.</summary>
    public string Path => _file.Path;

    /// <summary>True when the file exists.</summary>
    public bool Exists => File.Exists(Path);

    /// <summary>The history (empty when the file does not exist); a file that cannot be read is <see cref="ErrorIds.HistoryFileInvalid"/>.</summary>
    public DeploymentHistoryDocument Read()
    {
        try
        {
            return _file.Read();
        }
        catch (Exception ex) when (ex is CorruptFileException or IOException or UnauthorizedAccessException)
        {
            throw Unreadable(ex);
        }
    }

    /// <summary>
    /// The history of <paramref name="store"/> for a report that can do without it: empty when there is no store or no
    /// file; a file that cannot be read is a gap in <paramref name="gaps"/> (the report then uses DeployOps' defaults).
    /// </summary>
    public static DeploymentHistoryDocument ReadOrEmpty(DeploymentStore? store, List<string> gaps)
    {
        if (store is null)
        {
            return new DeploymentHistoryDocument();
        }

        try
        {
            return new DeploymentHistory(store).Read();
        }
        catch (DeployOpsException ex) when (ex.Error.ErrorId == ErrorIds.HistoryFileInvalid)
        {
            gaps.Add(new Facts.Gap("the deployment history", ex.Message).ToString());
            return new DeploymentHistoryDocument();
        }
    }

    /// <summary>Adds the operations not there yet (by id), recomputes the averages, writes; returns the document and how many were added.</summary>
    public async Task<(DeploymentHistoryDocument Document, int Added)> MergeAsync(IReadOnlyList<HistoryDeployment> collected, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var added = 0;
        try
        {
            var document = await _file.UpdateAsync(document =>
            {
                var known = new HashSet<string>(document.Deployments.Select(d => d.Id), StringComparer.Ordinal);
                var fresh = collected.Where(d => known.Add(d.Id)).ToList();
                added = fresh.Count;
                document.Deployments = document.Deployments.Concat(fresh).OrderBy(d => d.StartedAt).ToList();
                document.Recompute();
                document.UpdatedAt = now;
                return document;
            }, cancellationToken).ConfigureAwait(false);
            return (document, added);
        }
        catch (Exception ex) when (ex is CorruptFileException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            throw Unreadable(ex);
        }
    }

    private DeployOpsException Unreadable(Exception ex) => new(new DeployOpsError(ErrorIds.HistoryFileInvalid, DeployOpsErrorKind.InvalidArgument,
        $"The deployment history '{Path}' cannot be used: {ex.Message}", Path, ex)
    {
        RecommendedAction = $"Move it aside and collect again (Update-DeploymentHistory), as runbook 001 does: rm {FileName}, then collect.",
    });
}
