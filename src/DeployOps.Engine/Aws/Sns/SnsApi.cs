namespace DeployOps.Aws.Sns;

/// <summary>Amazon SNS as the botocore model <c>sns/2010-03-31</c> describes it: query. No error table yet: its codes fall to the common ones.</summary>
public static class SnsApi
{
    /// <summary>The description <see cref="AwsServices.Registry"/> registers.</summary>
    public static AwsServiceDescription Description { get; } = AwsServiceDescription.Query("SNS", "sns", "2010-03-31");
}
