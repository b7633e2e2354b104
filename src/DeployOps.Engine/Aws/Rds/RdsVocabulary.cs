namespace DeployOps.Aws.Rds;

/// <summary>The DB cluster and DB instance statuses DeployOps acts on (RDS's <c>Status</c>/<c>DBInstanceStatus</c>), named once.</summary>
public static class RdsVocabulary
{
    public const string Available = "available";
    public const string Stopped = "stopped";
    public const string Starting = "starting";
    public const string Stopping = "stopping";

    /// <summary>A DB instance whose allocated storage is full: it accepts no writes until the storage grows.</summary>
    public const string StorageFull = "storage-full";

    /// <summary>The prefix of the instance statuses RDS gives when a setting stops it working (incompatible-network, -parameters, -option-group, -restore, -credentials).</summary>
    public const string IncompatiblePrefix = "incompatible-";

    /// <summary>
    /// Statuses a starting cluster or instance does not come back from by waiting (RDS's failure states, a full storage,
    /// or someone stopping or deleting it): a wait for <see cref="Available"/> ends at once when it meets one.
    /// </summary>
    public static bool IsTerminalFailure(string status) =>
        status.StartsWith(IncompatiblePrefix, System.StringComparison.Ordinal)
        || status is "failed" or "inaccessible-encryption-credentials" or "inaccessible-encryption-credentials-recoverable" or "migration-failed"
            or StorageFull or "deleting" or Stopped or Stopping;
}
