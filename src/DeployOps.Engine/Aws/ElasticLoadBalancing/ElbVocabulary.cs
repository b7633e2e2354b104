namespace DeployOps.Aws.ElasticLoadBalancing;

/// <summary>A target's <c>TargetHealth.State</c> (botocore elbv2 <c>TargetHealthStateEnum</c>).</summary>
public static class ElbTargetState
{
    public const string Initial = "initial";
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";
    public const string Unused = "unused";
    public const string Draining = "draining";
    public const string Unavailable = "unavailable";
}

/// <summary>A target's <c>TargetHealth.Reason</c> (botocore elbv2 <c>TargetHealthReasonEnum</c>), the ones runbooks decide on.</summary>
public static class ElbTargetReason
{
    public const string ResponseCodeMismatch = "Target.ResponseCodeMismatch";
    public const string Timeout = "Target.Timeout";
    public const string FailedHealthChecks = "Target.FailedHealthChecks";
}

/// <summary>Load balancer attribute keys (botocore elbv2 <c>LoadBalancerAttribute.Key</c>) and ALB's <c>State.Code</c> values runbooks decide on.</summary>
public static class ElbLoadBalancerVocabulary
{
    /// <summary>How long a connection may stay idle (1 to 4000 seconds, 60 by default): a target slower than this gets the client a 504.</summary>
    public const string IdleTimeoutAttribute = "idle_timeout.timeout_seconds";

    public const int DefaultIdleTimeoutSeconds = 60;

    public const int MinIdleTimeoutSeconds = 1;

    public const int MaxIdleTimeoutSeconds = 4000;

    public const string Active = "active";

    public const string InternetFacing = "internet-facing";

    public const string Internal = "internal";
}
