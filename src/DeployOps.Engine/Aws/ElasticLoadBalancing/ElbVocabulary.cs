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
