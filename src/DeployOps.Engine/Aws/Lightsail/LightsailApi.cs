using static DeployOps.Aws.AwsErrorClassification;

namespace DeployOps.Aws.Lightsail;

/// <summary>
/// Amazon Lightsail as the botocore model <c>lightsail/2016-11-28</c> describes it: JSON 1.1, and what its errors mean.
/// Lightsail answers a name in use with <c>InvalidInputException</c>, so its message decides.
/// </summary>
public static class LightsailApi
{
    /// <summary>The description <see cref="AwsServices.Registry"/> registers.</summary>
    public static AwsServiceDescription Description { get; } =
        AwsServiceDescription.Json("Lightsail", "lightsail", "2016-11-28", "Lightsail_20161128") with
        {
            Errors = new AwsErrorTable
            {
                { "NotFoundException", NotFound },
                AwsErrorRule.ForMessage("InvalidInputException", "already in use|already exists", AlreadyExists),
                { "InvalidInputException", Validation },
                { "AccessDeniedException", AccessDenied },
                { "UnauthenticatedException", AccessDenied },
                { "AccountSetupInProgressException", Conflict },
                { "RegionSetupInProgressException", Conflict },
                { "OperationFailureException", Other },
                { "ServiceException", ServiceUnavailable },
            },
        };
}
