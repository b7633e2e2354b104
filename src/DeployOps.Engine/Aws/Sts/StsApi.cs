namespace DeployOps.Aws.Sts;

/// <summary>AWS STS as the botocore model <c>sts/2011-06-15</c> describes it: query. Its errors are the common ones.</summary>
public static class StsApi
{
    /// <summary>The description <see cref="AwsServices.Registry"/> registers.</summary>
    public static AwsServiceDescription Description { get; } = AwsServiceDescription.Query("STS", "sts", "2011-06-15");
}
