namespace DeployOps.Aws;

/// <summary>The wire protocol an AWS service speaks, as named in the botocore service model metadata.</summary>
public enum AwsProtocol
{
    /// <summary>JSON 1.1: POST / with an <c>X-Amz-Target</c> header (ECS, CloudWatch Logs, Lightsail).</summary>
    Json,

    /// <summary>The query protocol: form POST with Action and Version, XML responses wrapped in an <c>&lt;OpResult&gt;</c> element.</summary>
    Query,

    /// <summary>EC2's query dialect: lists are <c>Name.N</c>, responses have no result wrapper, errors are <c>Response/Errors/Error</c>.</summary>
    Ec2Query,
}

/// <summary>
/// What the AWS layer needs to know to call one service: how to find its endpoint, how to sign for it, how to frame
/// requests, and what its error codes mean. Values come from the botocore model's <c>metadata</c> block and its
/// <c>errors</c>. Each service's folder declares its own (e.g. <c>CloudFormation/CloudFormationApi.cs</c>) and
/// <see cref="AwsServices.Registry"/> lists them.
/// </summary>
/// <param name="ServiceId">The model's <c>serviceId</c>, e.g. <c>Elastic Load Balancing v2</c>; it names the endpoint variable.</param>
/// <param name="SigningName">The SigV4 service name (<c>signingName</c>, else <c>endpointPrefix</c>).</param>
/// <param name="EndpointPrefix">The host prefix of the default endpoint, e.g. <c>elasticloadbalancing</c>.</param>
/// <param name="Protocol">The wire protocol.</param>
/// <param name="ProtocolVersion">The JSON <c>targetPrefix</c> (JSON services) or the query <c>Version</c> (query services).</param>
public sealed record AwsServiceDescription(
    string ServiceId,
    string SigningName,
    string EndpointPrefix,
    AwsProtocol Protocol,
    string ProtocolVersion)
{
    /// <summary>The model's <c>apiVersion</c>, e.g. <c>2010-05-15</c>; for query services it is the <c>Version</c> sent.</summary>
    public string ApiVersion { get; init; } = Protocol == AwsProtocol.Json ? string.Empty : ProtocolVersion;

    /// <summary>The JSON <c>targetPrefix</c> (<c>X-Amz-Target: prefix.Operation</c>); null for query services.</summary>
    public string? TargetPrefix => Protocol == AwsProtocol.Json ? ProtocolVersion : null;

    /// <summary>What this service's error codes (and, for generic codes, messages) mean; codes it does not list fall to <see cref="AwsCommonErrors"/>.</summary>
    public AwsErrorTable Errors { get; init; } = AwsErrorTable.Empty;

    /// <summary>
    /// True for a service with one endpoint per partition instead of one per region (the model's <c>globalEndpoint</c>,
    /// IAM): <see cref="Configuration.AwsEndpointResolver"/> gives its partition endpoint and signing region.
    /// </summary>
    public bool IsGlobal { get; init; }

    /// <summary>The service-specific endpoint variable, e.g. <c>AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2</c>.</summary>
    public string EndpointVariable => "AWS_ENDPOINT_URL_" + ServiceId.ToUpperInvariant().Replace(' ', '_');

    /// <summary>A JSON 1.1 service; <paramref name="signingName"/> defaults to the endpoint prefix, as in botocore.</summary>
    public static AwsServiceDescription Json(string serviceId, string endpointPrefix, string apiVersion, string targetPrefix, string? signingName = null) =>
        new(serviceId, signingName ?? endpointPrefix, endpointPrefix, AwsProtocol.Json, targetPrefix) { ApiVersion = apiVersion };

    /// <summary>A query service; <paramref name="signingName"/> defaults to the endpoint prefix, as in botocore.</summary>
    public static AwsServiceDescription Query(string serviceId, string endpointPrefix, string apiVersion, string? signingName = null) =>
        new(serviceId, signingName ?? endpointPrefix, endpointPrefix, AwsProtocol.Query, apiVersion);

    /// <summary>The service id, e.g. <c>ECS</c>.</summary>
    public override string ToString() => ServiceId;
}
