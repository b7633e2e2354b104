using static DeployOps.Aws.AwsErrorClassification;

namespace DeployOps.Aws.Iam;

/// <summary>
/// AWS IAM as the botocore model <c>iam/2010-05-08</c> describes it: query, one endpoint per partition (its
/// <c>globalEndpoint</c>, iam.amazonaws.com, signed for us-east-1), and what its errors mean (the wire codes are the
/// model's <c>error.code</c>, e.g. <c>NoSuchEntity</c>, <c>EntityAlreadyExists</c>).
/// </summary>
public static class IamApi
{
    /// <summary>The description <see cref="AwsServices.Registry"/> registers.</summary>
    public static AwsServiceDescription Description { get; } = AwsServiceDescription.Query("IAM", "iam", "2010-05-08") with
    {
        IsGlobal = true,
        Errors = new AwsErrorTable
        {
            { "NoSuchEntity", NotFound },
            { "NotSupportedService", NotFound },
            { "FeatureDisabled", NotFound },
            { "ReportInProgress", NotFound }, // the credential report is not ready yet (HTTP 404)
            { "ReportNotPresent", NotFound },
            { "ReportExpired", NotFound },
            { "OrganizationNotFoundException", NotFound },
            { "EntityAlreadyExists", AlreadyExists },
            { "DuplicateCertificate", AlreadyExists },
            { "DuplicateSSHPublicKey", AlreadyExists },
            { "ConcurrentModification", Conflict },
            { "DeleteConflict", Conflict },
            { "EntityTemporarilyUnmodifiable", Conflict },
            { "FeatureEnabled", Conflict },
            AwsErrorRule.ForCodes("LimitExceeded$", LimitExceeded),
            { "ServiceFailure", ServiceUnavailable },
            { "PolicyEvaluation", ServiceUnavailable },
            { "OpenIdIdpCommunicationError", ServiceUnavailable },
            { "AccountNotManagementOrDelegatedAdministratorException", AccessDenied },
            { "CallerIsNotManagementAccountException", AccessDenied },
            { "OrganizationNotInAllFeaturesModeException", AccessDenied },
            { "ServiceAccessNotEnabledException", AccessDenied },
            AwsErrorRule.ForCodes("^Invalid|^Malformed|^KeyPairMismatch$|^PasswordPolicyViolation$|^PolicyNotAttachable$|^UnmodifiableEntity$|^UnrecognizedPublicKeyEncoding$", Validation),
        },
    };
}
