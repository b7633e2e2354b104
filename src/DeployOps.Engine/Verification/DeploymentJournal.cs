using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Storage;

namespace DeployOps.Verification;

/// <summary>
/// One verified deployment: the revision (an ECS task definition ARN, a Lightsail deployment version) that ran and
/// passed DeployOps' verification (Wait-EcsDeployment completing, Test-DeploymentVerification passing).
/// </summary>
public sealed class JournalEntry
{
    /// <summary>What was deployed to: "ecs:&lt;region&gt;/&lt;cluster&gt;/&lt;service&gt;" or "lightsail:&lt;region&gt;/&lt;service&gt;" (see <see cref="DeploymentJournal.EcsTarget"/>).</summary>
    public string Target { get; set; } = "";

    /// <summary>The revision that was verified: a task definition ARN, or a Lightsail deployment version.</summary>
    public string Revision { get; set; } = "";

    /// <summary>The image(s) it ran, for people reading the journal.</summary>
    public List<string> Images { get; set; } = new();

    /// <summary>What verified it, e.g. "Wait-EcsDeployment" or "Test-DeploymentVerification".</summary>
    public string VerifiedBy { get; set; } = "";

    public DateTimeOffset VerifiedAt { get; set; }
}

/// <summary>The journal file: every verification, oldest first.</summary>
public sealed class JournalDocument
{
    public List<JournalEntry> Verifications { get; set; } = new();
}

/// <summary>
/// The deployment journal (<c>journal.json</c> in the <see cref="DeploymentStore"/>): which revisions of which services
/// were verified, so a rollback can go to the last verified one rather than "revision minus one", which may be another
/// bad build. Safe between processes.
/// </summary>
public sealed class DeploymentJournal
{
    /// <summary>The journal's file name in the store.</summary>
    public const string FileName = "journal.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly LockedJsonFile<JournalDocument> _file;

    public DeploymentJournal(DeploymentStore store)
    {
        _file = new LockedJsonFile<JournalDocument>(store.PathOf(FileName), Json);
    }

    /// <summary>The journal file.</summary>
    public string Path => _file.Path;

    /// <summary>The target key of an ECS service.</summary>
    public static string EcsTarget(string region, string cluster, string service) => $"ecs:{region}/{cluster}/{service}";

    /// <summary>The target key of a Lightsail container service.</summary>
    public static string LightsailTarget(string region, string service) => $"lightsail:{region}/{service}";

    /// <summary>Records that <paramref name="entry"/>'s revision was verified.</summary>
    public Task RecordAsync(JournalEntry entry, CancellationToken cancellationToken = default) =>
        _file.UpdateAsync(document =>
        {
            document.Verifications.Add(entry);
            return document;
        }, cancellationToken);

    /// <summary>Every verification of <paramref name="target"/>, newest first.</summary>
    public IReadOnlyList<JournalEntry> Of(string target) =>
        _file.Read().Verifications.Where(v => v.Target == target).OrderByDescending(v => v.VerifiedAt).ToList();

    /// <summary>True when <paramref name="revision"/> of <paramref name="target"/> was ever verified.</summary>
    public bool WasVerified(string target, string revision) => Of(target).Any(v => v.Revision == revision);
}
