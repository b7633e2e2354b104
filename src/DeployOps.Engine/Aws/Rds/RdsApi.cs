using static DeployOps.Aws.AwsErrorClassification;

namespace DeployOps.Aws.Rds;

/// <summary>
/// Amazon RDS (and Aurora) as the botocore model <c>rds/2014-10-31</c> describes it: query, and what its errors mean.
/// RDS names its codes by family (<c>DBClusterNotFoundFault</c>, <c>DBInstanceAlreadyExists</c>,
/// <c>StorageQuotaExceeded</c>, <c>InvalidDBClusterStateFault</c>), so most rules match a family.
/// </summary>
public static class RdsApi
{
    /// <summary>The description <see cref="AwsServices.Registry"/> registers.</summary>
    public static AwsServiceDescription Description { get; } =
        AwsServiceDescription.Query("RDS", "rds", "2014-10-31") with
        {
            Errors = new AwsErrorTable
            {
                { "ExportTaskAlreadyExists", Conflict }, // "You can't start an export task that's already running."
                AwsErrorRule.ForCodes("NotFound(Fault)?$", NotFound),
                AwsErrorRule.ForCodes("AlreadyExists?(Fault)?$|AlreadyRegisteredFault$", AlreadyExists),
                AwsErrorRule.ForCodes(@"QuotaExceeded(Fault)?$|^QuotaExceeded\.|LimitReached$", LimitExceeded),
                AwsErrorRule.ForCodes("^Invalid.*State(Fault)?$|^InvalidRestoreFault$", Conflict),
                { "DBInstanceNotReady", Conflict },
                { "DBUpgradeDependencyFailure", Conflict },
                { "IntegrationConflictOperationFault", Conflict },
                { "SubnetAlreadyInUse", Conflict },
                AwsErrorRule.ForCodes("^Insufficient", ServiceUnavailable),
                { "KMSKeyNotAccessibleFault", AccessDenied },
                { "SNSNoAuthorization", AccessDenied },
                { "IamRoleMissingPermissions", AccessDenied },
                AwsErrorRule.ForCodes("^Invalid|NotSupported(Fault)?$|NotAvailable(InAZ)?Fault$|^Unsupported|NotAllowedFault$", Validation),
                { "DBSubnetGroupDoesNotCoverEnoughAZs", Validation },
                { "PointInTimeRestoreNotEnabled", Validation },
                { "CreateCustomDBEngineVersionFault", Validation },
                { "SNSInvalidTopic", Validation },
                { "VpcEncryptionControlViolationException", Validation },
            },
        };
}
