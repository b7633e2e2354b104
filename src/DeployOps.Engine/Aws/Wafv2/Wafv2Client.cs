using System;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Wafv2;

/// <summary>AWS WAFV2, typed (what runbook 004's "WAF blocking legitimate traffic" reads): the web ACL of a resource and sampled requests.</summary>
public sealed class Wafv2Client
{
    /// <summary>The scope of web ACLs in front of an ALB, API Gateway or AppSync (CLOUDFRONT is the other).</summary>
    public const string RegionalScope = "REGIONAL";

    /// <summary>GetSampledRequests' MaxItems: at most 500.</summary>
    public const int MaxSamples = 500;

    private static readonly AwsOperation GetWebAclForResourceOperation = AwsOperation.Idempotent("GetWebACLForResource");
    private static readonly AwsOperation GetSampledRequestsOperation = AwsOperation.Idempotent("GetSampledRequests");

    internal Wafv2Client(AwsJsonClient protocol)
    {
        Protocol = protocol;
    }

    /// <summary>The JSON client underneath, for operations without a typed method.</summary>
    public AwsJsonClient Protocol { get; }

    /// <summary>GetWebACLForResource: the web ACL associated with <paramref name="resourceArn"/>, or null when none is.</summary>
    public Task<WafWebAcl?> GetWebAclForResourceAsync(string resourceArn, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync<WafWebAcl?>(
            GetWebAclForResourceOperation,
            new AwsParameters { { "ResourceArn", resourceArn } },
            result => result.Member("WebACL") is { ValueKind: System.Text.Json.JsonValueKind.Object } acl ? WafWebAcl.Read(acl) : null,
            cancellationToken);

    /// <summary>
    /// GetSampledRequests: up to <paramref name="maxItems"/> requests sampled in [<paramref name="startTime"/>,
    /// <paramref name="endTime"/>] for the rule (or web ACL) whose metric name is <paramref name="ruleMetricName"/>.
    /// </summary>
    public Task<WafSampledRequests> GetSampledRequestsAsync(
        string webAclArn, string ruleMetricName, DateTimeOffset startTime, DateTimeOffset endTime, int maxItems, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(
            GetSampledRequestsOperation,
            new AwsParameters
            {
                { "WebAclArn", webAclArn },
                { "RuleMetricName", ruleMetricName },
                { "Scope", RegionalScope },
                { "TimeWindow", new AwsParameters { { "StartTime", startTime }, { "EndTime", endTime } } },
                { "MaxItems", (long)Math.Max(1, Math.Min(maxItems, MaxSamples)) },
            },
            WafSampledRequests.Read,
            cancellationToken);
}
