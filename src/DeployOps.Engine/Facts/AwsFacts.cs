using DeployOps.Aws;
using DeployOps.Coordination;
using DeployOps.Operations;
using DeployOps.Redaction;

namespace DeployOps.Facts;

/// <summary>
/// The fact readers of one run over one session, one per resource family. Each answers per item with a
/// <see cref="Fact{T}"/> under the one <see cref="FactPolicy"/>; they share the session's request limit and caches
/// (a task definition is read once per run). Runbooks compose them, hand the facts to a pure classifier, and plan,
/// apply, wait and verify.
/// </summary>
public sealed class AwsFacts
{
    public AwsFacts(AwsSession session, IOperationObserver observer)
    {
        Session = session;
        Observer = observer;
        Policy = new FactPolicy(session.MaxAttempts);
        Identity = new IdentityReader(this);
        Services = new ServiceReader(this);
        TargetGroups = new TargetGroupReader(this);
        Tasks = new TaskReader(this);
        TaskDefinitions = new TaskDefinitionReader(this);
        Logs = new ApplicationLogReader(this);
        Network = new NetworkPathReader(this);
        StackProgress = new StackReaderProgressSource(this);
        Stacks = new StackReader(this);
        Databases = new RdsReader(this);
        Lightsail = new LightsailReader(this);
        DeploymentHistory = new DeploymentHistoryReader(this);
        Metrics = new MetricReader(this);
        Waf = new WafReader(this);
        Alarms = new AlarmReader(this);
        LoadBalancers = new LoadBalancerReader(this);
        Secrets = new SecretReader(this);
        Iam = new IamReader(this);
    }

    public AwsSession Session { get; }

    public IOperationObserver Observer { get; }

    public FactPolicy Policy { get; }

    /// <summary>Takes secrets out of what this run reports; knows the environment values of every task definition read.</summary>
    public SecretRedactor Redactor { get; } = new();

    /// <summary>Who the credentials are (STS).</summary>
    public IdentityReader Identity { get; }

    /// <summary>ECS services and their deployments.</summary>
    public ServiceReader Services { get; }

    /// <summary>Target groups and their targets' health.</summary>
    public TargetGroupReader TargetGroups { get; }

    /// <summary>ECS tasks, stopped ones and why.</summary>
    public TaskReader Tasks { get; }

    /// <summary>Task definitions, read once per run.</summary>
    public TaskDefinitionReader TaskDefinitions { get; }

    /// <summary>Application logs (the awslogs streams of tasks).</summary>
    public ApplicationLogReader Logs { get; }

    /// <summary>The network path from a load balancer to a service's tasks (security groups, subnets) and the VPC's routing.</summary>
    public NetworkPathReader Network { get; }

    /// <summary>
    /// CloudFormation as the deployment registry and the monitor read it (stack status, events, stacks in progress): the
    /// one seam to point at a typed CloudFormation reader.
    /// </summary>
    internal IStackProgressSource StackProgress { get; }
    /// <summary>CloudFormation stacks: status, resources, template, events, nested stacks.</summary>
    public StackReader Stacks { get; }

    /// <summary>RDS instances and clusters, their events, their subnet groups' free addresses.</summary>
    public RdsReader Databases { get; }

    /// <summary>Lightsail container services: the service, its deployments, pushed images and container logs.</summary>
    public LightsailReader Lightsail { get; }

    /// <summary>A service's deployments as ECS still shows them (deployments, events, tasks).</summary>
    public DeploymentHistoryReader DeploymentHistory { get; }

    /// <summary>CloudWatch metrics: ECS services' CPU and memory utilization.</summary>
    public MetricReader Metrics { get; }

    /// <summary>AWS WAF in front of a load balancer: web ACL, sampled requests, BlockedRequests by rule.</summary>
    public WafReader Waf { get; }

    /// <summary>CloudWatch alarms, their state history, and their SNS topics' subscriptions.</summary>
    public AlarmReader Alarms { get; }

    /// <summary>Application Load Balancers: listeners, rules, attributes, target groups, VPC and CloudWatch figures.</summary>
    public LoadBalancerReader LoadBalancers { get; }

    /// <summary>Secrets Manager secrets, read in memory only for what a check needs (a database's host and port).</summary>
    public SecretReader Secrets { get; }

    /// <summary>IAM roles: whether a flow log's delivery role exists.</summary>
    public IamReader Iam { get; }
}
