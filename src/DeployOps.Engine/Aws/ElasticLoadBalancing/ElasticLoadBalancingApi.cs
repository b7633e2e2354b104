using DeployOps.Errors;
using static DeployOps.Aws.AwsErrorClassification;

namespace DeployOps.Aws.ElasticLoadBalancing;

/// <summary>
/// Elastic Load Balancing v2 as the botocore model <c>elbv2/2015-12-01</c> describes it: query, and what its errors
/// mean (the wire codes are the model's <c>error.code</c>, e.g. <c>TargetGroupNotFound</c>, not the shape names).
/// </summary>
public static class ElasticLoadBalancingApi
{
    /// <summary>The description <see cref="AwsServices.Registry"/> registers.</summary>
    public static AwsServiceDescription Description { get; } =
        AwsServiceDescription.Query("Elastic Load Balancing v2", "elasticloadbalancing", "2015-12-01") with
        {
            Errors = new AwsErrorTable
            {
                { "TargetGroupNotFound", NotFound, ErrorIds.TargetGroupNotFound },
                { "LoadBalancerNotFound", NotFound, ErrorIds.LoadBalancerNotFound },

                // AssociationNotFound, CertificateNotFound, ListenerNotFound, LoadBalancerNotFound, RuleNotFound, ...
                AwsErrorRule.ForCodes("NotFound$", NotFound),
                { "InvalidSecurityGroup", NotFound },
                AwsErrorRule.ForCodes("^Duplicate(Listener|LoadBalancerName|TargetGroupName|TrustStoreName)$", AlreadyExists),
                { "DuplicateTagKeys", Validation },
                AwsErrorRule.ForCodes("^TooMany|LimitExceeded$|^TargetGroupAssociationLimit$", LimitExceeded),
                AwsErrorRule.ForCodes("InUse$", Conflict),
                { "CapacityReservationPending", Conflict },
                { "TrustStoreNotReady", Conflict },
                { "PriorRequestNotComplete", Throttling },
                { "HealthUnavailable", ServiceUnavailable },
                { "InsufficientCapacity", ServiceUnavailable },
                AwsErrorRule.ForCodes("^Invalid|^Unsupported|NotSupported$|^IncompatibleProtocols$", Validation),
                { "OperationNotPermitted", Validation },
                { "DeleteAssociationSameAccount", Validation },
            },
        };
}
