using System;

namespace DeployOps.Aws.Configuration;

/// <summary>
/// Finds a service's endpoint: the explicit -EndpointUrl; <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>; <c>AWS_ENDPOINT_URL</c>
/// (both ignored when <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c>); else <c>https://&lt;prefix&gt;.&lt;region&gt;.amazonaws.com</c>
/// (<c>.amazonaws.com.cn</c> in China regions); a global service (IAM) has one endpoint per partition, signed for the
/// partition's first region (botocore's partition endpoints: iam.amazonaws.com and us-east-1, iam.us-gov.amazonaws.com
/// and us-gov-west-1, iam.cn-north-1.amazonaws.com.cn and cn-north-1).
/// </summary>
public static class AwsEndpointResolver
{
    /// <summary>The endpoint for <paramref name="service"/> in <paramref name="region"/>.</summary>
    public static Uri Resolve(AwsServiceDescription service, string region, string? explicitEndpointUrl, IAwsEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(explicitEndpointUrl))
        {
            return Parse(explicitEndpointUrl!, "-EndpointUrl");
        }

        var ignoreConfigured = string.Equals(
            environment.GetVariable("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ignoreConfigured)
        {
            var serviceUrl = environment.GetVariable(service.EndpointVariable);
            if (serviceUrl is not null)
            {
                return Parse(serviceUrl, service.EndpointVariable);
            }

            var globalUrl = environment.GetVariable("AWS_ENDPOINT_URL");
            if (globalUrl is not null)
            {
                return Parse(globalUrl, "AWS_ENDPOINT_URL");
            }
        }

        var suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        if (service.IsGlobal)
        {
            var signingRegion = SigningRegion(service, region);
            return new Uri(signingRegion == "us-east-1" ? $"https://{service.EndpointPrefix}.{suffix}/"
                : signingRegion == "us-gov-west-1" ? $"https://{service.EndpointPrefix}.us-gov.{suffix}/"
                : $"https://{service.EndpointPrefix}.{signingRegion}.{suffix}/");
        }

        return new Uri($"https://{service.EndpointPrefix}.{region}.{suffix}/");
    }

    /// <summary>
    /// The region requests to <paramref name="service"/> are signed for: the session's, or for a global service the
    /// region of its partition's endpoint (also behind an endpoint override, as botocore signs IAM for us-east-1).
    /// </summary>
    public static string SigningRegion(AwsServiceDescription service, string region) =>
        !service.IsGlobal ? region
        : region.StartsWith("cn-", StringComparison.Ordinal) ? "cn-north-1"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "us-gov-west-1"
        : "us-east-1";

    private static Uri Parse(string value, string source)
    {
        var trimmed = value.Trim();
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host))
        {
            return uri;
        }

        throw new AwsConfigurationException(
            AwsConfigurationProblem.InvalidEndpointUrl,
            $"The endpoint URL '{trimmed}' (from {source}) is not valid. Expected an absolute http or https URL "
            + "such as https://ecs.us-east-1.amazonaws.com or http://127.0.0.1:5000.",
            value: trimmed);
    }
}
