using static DeployOps.Aws.AwsErrorClassification;

namespace DeployOps.Aws.Wafv2;

/// <summary>
/// AWS WAFV2 as the botocore model <c>wafv2/2019-07-29</c> describes it: JSON 1.1, and what its errors mean (the wire
/// codes are the shape names, e.g. <c>WAFNonexistentItemException</c>).
/// </summary>
public static class Wafv2Api
{
    /// <summary>The description <see cref="AwsServices.Registry"/> registers.</summary>
    public static AwsServiceDescription Description { get; } =
        AwsServiceDescription.Json("WAFV2", "wafv2", "2019-07-29", "AWSWAF_20190729") with
        {
            Errors = new AwsErrorTable
            {
                { "WAFNonexistentItemException", NotFound },
                { "WAFSubscriptionNotFoundException", NotFound },
                { "WAFInternalErrorException", ServiceUnavailable },
                { "WAFTagOperationInternalErrorException", ServiceUnavailable },
                { "WAFUnavailableEntityException", Conflict },
                { "WAFOptimisticLockException", Conflict },
                { "WAFAssociatedItemException", Conflict },
                { "WAFDuplicateItemException", AlreadyExists },
                { "WAFLimitsExceededException", LimitExceeded },
                { "WAFServiceLinkedRoleErrorException", AccessDenied },
                { "WAFLogDestinationPermissionIssueException", AccessDenied },
                { "WAFFeatureNotIncludedInPricingPlanException", Validation },
                AwsErrorRule.ForCodes("^WAF(Invalid|Unsupported|Expired|ConfigurationWarning|TagOperation)", Validation),
            },
        };
}
