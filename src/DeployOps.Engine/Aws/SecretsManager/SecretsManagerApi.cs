namespace DeployOps.Aws.SecretsManager;

/// <summary>
/// AWS Secrets Manager as the botocore model <c>secretsmanager/2017-10-17</c> describes it: JSON 1.1. No error table
/// yet: its codes fall to the common ones.
/// </summary>
public static class SecretsManagerApi
{
    /// <summary>The description <see cref="AwsServices.Registry"/> registers.</summary>
    public static AwsServiceDescription Description { get; } =
        AwsServiceDescription.Json("Secrets Manager", "secretsmanager", "2017-10-17", "secretsmanager");
}
