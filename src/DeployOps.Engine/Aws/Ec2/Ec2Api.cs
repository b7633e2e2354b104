using static DeployOps.Aws.AwsErrorClassification;

namespace DeployOps.Aws.Ec2;

/// <summary>
/// Amazon EC2 as the botocore model <c>ec2/2016-11-15</c> describes it: EC2's query dialect. The model lists no
/// errors; the codes are those of the EC2 API reference's "Error codes" page, which name families by suffix
/// (<c>InvalidGroup.NotFound</c>, <c>InvalidGroup.Duplicate</c>, <c>InvalidGroup.InUse</c>).
/// </summary>
public static class Ec2Api
{
    /// <summary>The description <see cref="AwsServices.Registry"/> registers.</summary>
    public static AwsServiceDescription Description { get; } =
        new AwsServiceDescription("EC2", "ec2", "ec2", AwsProtocol.Ec2Query, "2016-11-15")
        {
            Errors = new AwsErrorTable
            {
                AwsErrorRule.ForCodes(@"\.NotFound$", NotFound),
                AwsErrorRule.ForCodes(@"\.Duplicate$|AlreadyExists$", AlreadyExists),
                AwsErrorRule.ForCodes(@"\.InUse$|^DependencyViolation$|^IncorrectState$|^IncorrectInstanceState$|^ConcurrentTagAccess$|^OperationNotPermitted$", Conflict),
                { "RequestLimitExceeded", Throttling },
                AwsErrorRule.ForCodes(@"LimitExceeded$|^MaxIOPSLimitExceeded$|^VolumeLimitExceeded$|^InsufficientFreeAddressesInSubnet$", LimitExceeded),
                AwsErrorRule.ForCodes(@"^Insufficient.*Capacity$|^Unavailable$|^InternalError$|^ServerInternal$", ServiceUnavailable),
                { "UnauthorizedOperation", AccessDenied },
                { "AuthFailure", AccessDenied },
                { "Blocked", AccessDenied },
                AwsErrorRule.ForCodes(@"^Invalid|\.Malformed$|^MissingParameter$|^UnknownParameter$|^Unsupported", Validation),
            },
        };
}
