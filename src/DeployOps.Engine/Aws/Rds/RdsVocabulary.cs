namespace DeployOps.Aws.Rds;

/// <summary>The DB cluster statuses DeployOps acts on (RDS's <c>Status</c> of a DBCluster), named once.</summary>
public static class RdsVocabulary
{
    public const string Available = "available";
    public const string Stopped = "stopped";
    public const string Starting = "starting";
    public const string Stopping = "stopping";

    /// <summary>
    /// Statuses a starting cluster does not come back from by waiting (RDS's failure states of a cluster): a wait for
    /// <see cref="Available"/> ends at once when it meets one.
    /// </summary>
    public static bool IsTerminalFailure(string status) =>
        status is "failed" or "inaccessible-encryption-credentials" or "inaccessible-encryption-credentials-recoverable" or "incompatible-parameters"
            or "incompatible-restore" or "migration-failed" or "deleting" or "stopped" or "stopping";
}
