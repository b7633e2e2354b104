namespace DeployOps.Aws.Wafv2;

/// <summary>AWS WAFV2 as the botocore model <c>wafv2/2019-07-29</c> describes it: JSON 1.1. No error table yet: its codes fall to the common ones.</summary>
public static class Wafv2Api
{
    /// <summary>The description <see cref="AwsServices.Registry"/> registers.</summary>
    public static AwsServiceDescription Description { get; } =
        AwsServiceDescription.Json("WAFV2", "wafv2", "2019-07-29", "AWSWAF_20190729");
}
