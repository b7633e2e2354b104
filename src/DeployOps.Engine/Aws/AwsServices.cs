using DeployOps.Aws.CloudFormation;
using DeployOps.Aws.CloudWatch;
using DeployOps.Aws.Ec2;
using DeployOps.Aws.Iam;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.ElasticLoadBalancing;
using DeployOps.Aws.Lightsail;
using DeployOps.Aws.Logs;
using DeployOps.Aws.Rds;
using DeployOps.Aws.SecretsManager;
using DeployOps.Aws.Sns;
using DeployOps.Aws.Sts;
using DeployOps.Aws.Wafv2;

namespace DeployOps.Aws;

/// <summary>
/// The services DeployOps calls. Each service's folder holds its description (<c>XxxApi</c>), its typed client and
/// models; <see cref="Registry"/> is the one place that makes it available to a session.
/// </summary>
public static class AwsServices
{
    /// <summary>
    /// Every service a session can call, with its typed client when it has one. A session resolves each one's endpoint
    /// when it is created and builds clients on first use (<see cref="AwsSession.Client{TClient}"/>).
    /// </summary>
    public static AwsServiceRegistry Registry { get; } = new()
    {
        AwsServiceRegistration.Json(EcsApi.Description, protocol => new EcsClient(protocol)),
        AwsServiceRegistration.Query(ElasticLoadBalancingApi.Description, protocol => new ElasticLoadBalancingClient(protocol)),
        AwsServiceRegistration.Query(Ec2Api.Description, protocol => new Ec2Client(protocol)),
        AwsServiceRegistration.Json(CloudWatchLogsApi.Description, protocol => new CloudWatchLogsClient(protocol)),
        AwsServiceRegistration.Query(StsApi.Description, protocol => new StsClient(protocol)),
        AwsServiceRegistration.Query(CloudFormationApi.Description, protocol => new CloudFormationClient(protocol)),
        AwsServiceRegistration.Query(RdsApi.Description, protocol => new RdsClient(protocol)),
        AwsServiceRegistration.Json(LightsailApi.Description, protocol => new LightsailClient(protocol)),
        AwsServiceRegistration.Query(CloudWatchApi.Description, protocol => new CloudWatchClient(protocol)),
        AwsServiceRegistration.Json(Wafv2Api.Description, protocol => new Wafv2Client(protocol)),
        AwsServiceRegistration.Query(SnsApi.Description, protocol => new SnsClient(protocol)),
        AwsServiceRegistration.Json(SecretsManagerApi.Description, protocol => new SecretsManagerClient(protocol)),
        AwsServiceRegistration.Query(IamApi.Description, protocol => new IamClient(protocol)),
    };

    /// <summary>Amazon ECS (JSON 1.1).</summary>
    public static AwsServiceDescription Ecs => EcsApi.Description;

    /// <summary>Elastic Load Balancing v2: application and network load balancers (query).</summary>
    public static AwsServiceDescription ElasticLoadBalancingV2 => ElasticLoadBalancingApi.Description;

    /// <summary>Amazon EC2 (EC2 query dialect).</summary>
    public static AwsServiceDescription Ec2 => Ec2Api.Description;

    /// <summary>Amazon CloudWatch Logs (JSON 1.1).</summary>
    public static AwsServiceDescription CloudWatchLogs => CloudWatchLogsApi.Description;

    /// <summary>AWS Security Token Service (query).</summary>
    public static AwsServiceDescription Sts => StsApi.Description;

    /// <summary>AWS CloudFormation (query).</summary>
    public static AwsServiceDescription CloudFormation => CloudFormationApi.Description;

    /// <summary>Amazon Lightsail (JSON 1.1).</summary>
    public static AwsServiceDescription Lightsail => LightsailApi.Description;

    /// <summary>Amazon RDS (query).</summary>
    public static AwsServiceDescription Rds => RdsApi.Description;

    /// <summary>The description of the service whose id is <paramref name="serviceId"/> (e.g. <c>ECS</c>), or null when none is registered.</summary>
    public static AwsServiceDescription? Find(string serviceId) => Registry.Find(serviceId)?.Service;
}
