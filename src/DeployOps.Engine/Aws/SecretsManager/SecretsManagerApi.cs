using static DeployOps.Aws.AwsErrorClassification;

namespace DeployOps.Aws.SecretsManager;

/// <summary>
/// AWS Secrets Manager as the botocore model <c>secretsmanager/2017-10-17</c> describes it: JSON 1.1, and what its errors
/// mean (the common codes cover throttling and access).
/// </summary>
public static class SecretsManagerApi
{
    /// <summary>The description <see cref="AwsServices.Registry"/> registers.</summary>
    public static AwsServiceDescription Description { get; } =
        AwsServiceDescription.Json("Secrets Manager", "secretsmanager", "2017-10-17", "secretsmanager") with
        {
            Errors = new AwsErrorTable
            {
                { "ResourceNotFoundException", NotFound }, // "Secrets Manager can't find the resource that you asked for."
                { "DecryptionFailure", AccessDenied }, // "Secrets Manager can't decrypt the protected secret text using the provided KMS key."
                { "InvalidRequestException", Conflict }, // e.g. the secret is scheduled for deletion
                { "InvalidParameterException", Validation },
                { "InternalServiceError", ServiceUnavailable },
            },
        };
}
