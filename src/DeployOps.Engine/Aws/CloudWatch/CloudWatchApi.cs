using static DeployOps.Aws.AwsErrorClassification;

namespace DeployOps.Aws.CloudWatch;

/// <summary>
/// Amazon CloudWatch (metrics and alarms) as the botocore model <c>cloudwatch/2010-08-01</c> describes it. The model
/// now prefers RPC v2 CBOR but still lists <c>query</c> among its protocols; DeployOps speaks query, whose error codes
/// are the model's <c>error.code</c> values.
/// </summary>
public static class CloudWatchApi
{
    /// <summary>The description <see cref="AwsServices.Registry"/> registers.</summary>
    public static AwsServiceDescription Description { get; } =
        AwsServiceDescription.Query("CloudWatch", "monitoring", "2010-08-01") with
        {
            Errors = new AwsErrorTable
            {
                { "ResourceNotFound", NotFound },
                { "ResourceNotFoundException", NotFound },
                { "LimitExceeded", LimitExceeded },
                { "LimitExceededException", LimitExceeded },
                { "ConcurrentModificationException", Conflict },
                { "ConflictException", Conflict },
                { "InvalidParameterInput", Validation },
                { "InvalidFormat", Validation },
                { "InvalidNextToken", Validation },
                { "InvalidParameterCombination", Validation },
                { "InvalidParameterValue", Validation },
                { "MissingParameter", Validation },
                { "InternalServiceError", ServiceUnavailable },
            },
        };
}
