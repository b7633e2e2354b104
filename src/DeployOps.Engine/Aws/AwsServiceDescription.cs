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
/// What the AWS layer needs to know to call one service: how to find its endpoint, how to sign for it
/// and how to frame requests. Values come from the botocore model's <c>metadata</c> block.
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
    /// <summary>The service-specific endpoint variable, e.g. <c>AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2</c>.</summary>
    public string EndpointVariable => "AWS_ENDPOINT_URL_" + ServiceId.ToUpperInvariant().Replace(' ', '_');
}

/// <summary>The services DeployOps calls. Adding one is one line here plus a thin typed client.</summary>
public static class AwsServices
{
    /// <summary>Amazon ECS (JSON 1.1).</summary>
    public static readonly AwsServiceDescription Ecs =
        new("ECS", "ecs", "ecs", AwsProtocol.Json, "AmazonEC2ContainerServiceV20141113");

    /// <summary>Elastic Load Balancing v2: application and network load balancers (query).</summary>
    public static readonly AwsServiceDescription ElasticLoadBalancingV2 =
        new("Elastic Load Balancing v2", "elasticloadbalancing", "elasticloadbalancing", AwsProtocol.Query, "2015-12-01");

    /// <summary>Amazon EC2 (EC2 query dialect).</summary>
    public static readonly AwsServiceDescription Ec2 =
        new("EC2", "ec2", "ec2", AwsProtocol.Ec2Query, "2016-11-15");

    /// <summary>Amazon CloudWatch Logs (JSON 1.1).</summary>
    public static readonly AwsServiceDescription CloudWatchLogs =
        new("CloudWatch Logs", "logs", "logs", AwsProtocol.Json, "Logs_20140328");

    /// <summary>AWS Security Token Service (query).</summary>
    public static readonly AwsServiceDescription Sts =
        new("STS", "sts", "sts", AwsProtocol.Query, "2011-06-15");

    /// <summary>AWS CloudFormation (query); no typed client yet.</summary>
    public static readonly AwsServiceDescription CloudFormation =
        new("CloudFormation", "cloudformation", "cloudformation", AwsProtocol.Query, "2010-05-15");

    /// <summary>Amazon Lightsail (JSON 1.1); no typed client yet.</summary>
    public static readonly AwsServiceDescription Lightsail =
        new("Lightsail", "lightsail", "lightsail", AwsProtocol.Json, "Lightsail_20161128");

    /// <summary>Amazon RDS (query); no typed client yet.</summary>
    public static readonly AwsServiceDescription Rds =
        new("RDS", "rds", "rds", AwsProtocol.Query, "2014-10-31");
}
