using System;

namespace DeployOps.Aws.CloudFormation;

/// <summary>
/// A stack's <c>StackStatus</c> (botocore cloudformation <c>StackStatus</c>) and what each means: the one place DeployOps
/// says which statuses are in progress, terminal, rolling back or failed.
/// </summary>
public static class CfnStackStatus
{
    public const string CreateInProgress = "CREATE_IN_PROGRESS";
    public const string CreateFailed = "CREATE_FAILED";
    public const string CreateComplete = "CREATE_COMPLETE";
    public const string RollbackInProgress = "ROLLBACK_IN_PROGRESS";
    public const string RollbackFailed = "ROLLBACK_FAILED";
    public const string RollbackComplete = "ROLLBACK_COMPLETE";
    public const string DeleteInProgress = "DELETE_IN_PROGRESS";
    public const string DeleteFailed = "DELETE_FAILED";
    public const string DeleteComplete = "DELETE_COMPLETE";
    public const string UpdateInProgress = "UPDATE_IN_PROGRESS";
    public const string UpdateCompleteCleanupInProgress = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS";
    public const string UpdateComplete = "UPDATE_COMPLETE";
    public const string UpdateFailed = "UPDATE_FAILED";
    public const string UpdateRollbackInProgress = "UPDATE_ROLLBACK_IN_PROGRESS";
    public const string UpdateRollbackFailed = "UPDATE_ROLLBACK_FAILED";
    public const string UpdateRollbackCompleteCleanupInProgress = "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS";
    public const string UpdateRollbackComplete = "UPDATE_ROLLBACK_COMPLETE";
    public const string ReviewInProgress = "REVIEW_IN_PROGRESS";
    public const string ImportInProgress = "IMPORT_IN_PROGRESS";
    public const string ImportComplete = "IMPORT_COMPLETE";
    public const string ImportRollbackInProgress = "IMPORT_ROLLBACK_IN_PROGRESS";
    public const string ImportRollbackFailed = "IMPORT_ROLLBACK_FAILED";
    public const string ImportRollbackComplete = "IMPORT_ROLLBACK_COMPLETE";

    /// <summary>Every status of the model's enum, in its order.</summary>
    public static readonly string[] All =
    {
        CreateInProgress, CreateFailed, CreateComplete, RollbackInProgress, RollbackFailed, RollbackComplete, DeleteInProgress, DeleteFailed,
        DeleteComplete, UpdateInProgress, UpdateCompleteCleanupInProgress, UpdateComplete, UpdateFailed, UpdateRollbackInProgress,
        UpdateRollbackFailed, UpdateRollbackCompleteCleanupInProgress, UpdateRollbackComplete, ReviewInProgress, ImportInProgress, ImportComplete,
        ImportRollbackInProgress, ImportRollbackFailed, ImportRollbackComplete,
    };

    /// <summary>CloudFormation is working on the stack (every <c>*_IN_PROGRESS</c>).</summary>
    public static bool IsInProgress(string status) => status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal);

    /// <summary>Nothing happens until someone acts: the stack's operation ended (well or not).</summary>
    public static bool IsTerminal(string status) => !IsInProgress(status);

    /// <summary>The stack is undoing an operation that failed or was cancelled.</summary>
    public static bool IsRollingBack(string status) => IsInProgress(status) && status.IndexOf("ROLLBACK", StringComparison.Ordinal) >= 0;

    /// <summary>The last operation did not do what was asked: it failed, or it was rolled back.</summary>
    public static bool IsFailure(string status) =>
        status.EndsWith("_FAILED", StringComparison.Ordinal) || status is RollbackComplete or UpdateRollbackComplete or ImportRollbackComplete;
}

/// <summary>A resource's <c>ResourceStatus</c> (botocore cloudformation <c>ResourceStatus</c>), and what each means.</summary>
public static class CfnResourceStatus
{
    public const string CreateInProgress = "CREATE_IN_PROGRESS";
    public const string CreateComplete = "CREATE_COMPLETE";
    public const string CreateFailed = "CREATE_FAILED";
    public const string UpdateInProgress = "UPDATE_IN_PROGRESS";
    public const string UpdateComplete = "UPDATE_COMPLETE";
    public const string UpdateFailed = "UPDATE_FAILED";
    public const string DeleteInProgress = "DELETE_IN_PROGRESS";
    public const string DeleteComplete = "DELETE_COMPLETE";
    public const string DeleteFailed = "DELETE_FAILED";
    public const string DeleteSkipped = "DELETE_SKIPPED";

    /// <summary>The reasons CloudFormation gives a resource it stopped because another failed (the cascade, never a root cause).</summary>
    public static bool IsCascade(string? reason) =>
        reason is not null && (reason.StartsWith("Resource creation cancelled", StringComparison.Ordinal) ||
                               reason.StartsWith("Resource update cancelled", StringComparison.Ordinal) ||
                               reason.StartsWith("Resource deletion cancelled", StringComparison.Ordinal));

    public static bool IsInProgress(string status) => status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal);

    public static bool IsFailed(string status) => status.EndsWith("_FAILED", StringComparison.Ordinal);

    /// <summary>The resource's operation ended well (created, updated, deleted, or deliberately kept).</summary>
    public static bool IsDone(string status) => status.EndsWith("_COMPLETE", StringComparison.Ordinal) || status == DeleteSkipped;
}

/// <summary>The resource types DeployOps knows more about.</summary>
public static class CfnResourceType
{
    public const string Stack = "AWS::CloudFormation::Stack";
    public const string CustomResource = "AWS::CloudFormation::CustomResource";
    public const string DbInstance = "AWS::RDS::DBInstance";
    public const string DbCluster = "AWS::RDS::DBCluster";
    public const string EcsService = "AWS::ECS::Service";

    /// <summary>A custom resource: <c>Custom::Name</c> or <c>AWS::CloudFormation::CustomResource</c>.</summary>
    public static bool IsCustom(string type) => type == CustomResource || type.StartsWith("Custom::", StringComparison.Ordinal);
}
