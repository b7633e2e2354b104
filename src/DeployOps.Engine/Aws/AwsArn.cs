namespace DeployOps.Aws;

/// <summary>Reading names out of ARNs.</summary>
public static class AwsArn
{
    /// <summary>
    /// The last path segment of an ARN (<c>arn:aws:ecs:...:service/cluster/api</c> gives <c>api</c>; a task ARN gives the
    /// task id), or the value itself when it is already a name.
    /// </summary>
    public static string LastSegment(string nameOrArn) => nameOrArn.Substring(nameOrArn.LastIndexOf('/') + 1);

    /// <summary>
    /// The name in a target group or load balancer ARN (<c>...:targetgroup/web-tg/0123abcd</c> gives <c>web-tg</c>), or the
    /// value itself when it has no such path.
    /// </summary>
    public static string TargetGroupName(string arn)
    {
        var parts = arn.Split('/');
        return parts.Length >= 3 ? parts[parts.Length - 2] : arn;
    }

    /// <summary>The resource after the last colon (<c>arn:aws:sns:us-east-1:123456789012:alarms</c> gives <c>alarms</c>), or the value itself.</summary>
    public static string ColonResource(string arn) => arn.Substring(arn.LastIndexOf(':') + 1);

    /// <summary>
    /// CloudWatch's <c>LoadBalancer</c> dimension: the resource after <c>loadbalancer/</c>
    /// (<c>...:loadbalancer/app/web-alb/50dc6c495c0c9188</c> gives <c>app/web-alb/50dc6c495c0c9188</c>).
    /// </summary>
    public static string LoadBalancerDimension(string arn)
    {
        const string Marker = ":loadbalancer/";
        var at = arn.IndexOf(Marker, System.StringComparison.Ordinal);
        return at < 0 ? arn : arn.Substring(at + Marker.Length);
    }

    /// <summary>CloudWatch's <c>TargetGroup</c> dimension: the resource of the ARN (<c>targetgroup/web-tg/0123abcd</c>).</summary>
    public static string TargetGroupDimension(string arn) => ColonResource(arn);
}
