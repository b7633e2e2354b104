using static DeployOps.Aws.AwsErrorClassification;

namespace DeployOps.Aws.Logs;

/// <summary>Amazon CloudWatch Logs as the botocore model <c>logs/2014-03-28</c> describes it: JSON 1.1, and what its errors mean.</summary>
public static class CloudWatchLogsApi
{
    /// <summary>The description <see cref="AwsServices.Registry"/> registers.</summary>
    public static AwsServiceDescription Description { get; } =
        AwsServiceDescription.Json("CloudWatch Logs", "logs", "2014-03-28", "Logs_20140328") with
        {
            Errors = new AwsErrorTable
            {
                { "ResourceNotFoundException", NotFound },
                { "ResourceAlreadyExistsException", AlreadyExists },
                { "DataAlreadyAcceptedException", AlreadyExists },
                { "ConflictException", Conflict },
                { "OperationAbortedException", Conflict },
                { "LimitExceededException", LimitExceeded },
                { "ServiceQuotaExceededException", LimitExceeded },
                { "TooManyTagsException", LimitExceeded },
                { "InvalidParameterException", Validation },
                { "InvalidOperationException", Validation },
                { "InvalidSequenceTokenException", Validation },
                { "MalformedQueryException", Validation },
                { "ValidationException", Validation },
                { "AccessDeniedException", AccessDenied },
                { "UnrecognizedClientException", AccessDenied },
                { "ThrottlingException", Throttling },
                { "ServiceUnavailableException", ServiceUnavailable },
                { "InternalServerException", ServiceUnavailable },
                { "InternalStreamingException", ServiceUnavailable },
                { "SessionStreamingException", ServiceUnavailable },
                { "SessionTimeoutException", Other },
            },
        };
}
