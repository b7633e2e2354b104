using System.Collections.Generic;

namespace DeployOps.Sandbox.Scenarios;

/// <summary>A scenario: the AWS resources an account holds plus how its applications behave.</summary>
public sealed record ScenarioDefinition
{
    public required string Name { get; init; }

    public string Description { get; init; } = "";

    public string Region { get; init; } = "us-east-1";

    /// <summary>Behaviour profiles keyed by container image, e.g. <c>lightwave/backend:1.4.2</c>.</summary>
    public IReadOnlyDictionary<string, AppProfile> Applications { get; init; } = new Dictionary<string, AppProfile>();

    public string VpcCidr { get; init; } = "10.0.0.0/16";

    public IReadOnlyList<SubnetDefinition> Subnets { get; init; } = [];

    /// <summary>The internet gateway attached to the VPC (a VPC has at most one), or null for none.</summary>
    public string? InternetGateway { get; init; }

    public IReadOnlyList<NatGatewayDefinition> NatGateways { get; init; } = [];

    public IReadOnlyList<RouteTableDefinition> RouteTables { get; init; } = [];

    public IReadOnlyList<VpcEndpointDefinition> VpcEndpoints { get; init; } = [];

    public IReadOnlyList<NetworkAclDefinition> NetworkAcls { get; init; } = [];

    public IReadOnlyList<SecurityGroupDefinition> SecurityGroups { get; init; } = [];

    public IReadOnlyList<TargetGroupDefinition> TargetGroups { get; init; } = [];

    public IReadOnlyList<LoadBalancerDefinition> LoadBalancers { get; init; } = [];

    public IReadOnlyList<string> LogGroups { get; init; } = [];

    /// <summary>Secrets Manager secrets the account holds, by name, with their values (task definitions name them in <c>secrets</c>).</summary>
    public IReadOnlyDictionary<string, string> SecretsManager { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<TaskDefinitionDefinition> TaskDefinitions { get; init; } = [];

    public IReadOnlyList<ServiceDefinition> Services { get; init; } = [];

    public WorldTimings Timings { get; init; } = new();

    /// <summary>The Slack workspace notifications go to (every scenario has one; <c>slack:</c> changes it).</summary>
    public SlackDefinition Slack { get; init; } = new();

    /// <summary>CloudFormation templates by name (<c>scenarios/templates/NAME.yaml</c> or <c>.json</c>), for stacks and TemplateURLs.</summary>
    public IReadOnlyDictionary<string, string> Templates { get; init; } = new Dictionary<string, string>();

    /// <summary>Stacks: the ones with a template are built at load, with their past; every one's resources behave as declared.</summary>
    public IReadOnlyList<StackDefinition> Stacks { get; init; } = [];

    /// <summary>How RDS DB instances behave, by identifier, whoever creates them.</summary>
    public IReadOnlyDictionary<string, DatabaseBehaviour> Databases { get; init; } = new Dictionary<string, DatabaseBehaviour>();
    /// <summary>Lightsail container services (the Lightsail simulator's part; moto has no Lightsail).</summary>
    public LightsailDefinition Lightsail { get; init; } = new();

    /// <summary>WAF web ACLs with rate-based rules, associated with load balancers (the WAF simulator enforces them).</summary>
    public IReadOnlyList<WebAclDefinition> WebAcls { get; init; } = [];

    /// <summary>SNS topics and their subscriptions (some left pending confirmation).</summary>
    public IReadOnlyList<SnsTopicDefinition> SnsTopics { get; init; } = [];

    /// <summary>CloudWatch metric alarms, with their actions and a past of state changes.</summary>
    public IReadOnlyList<AlarmDefinition> Alarms { get; init; } = [];
    /// <summary>Aurora clusters (<c>auroraClusters</c>): the RDS simulator's cluster lives, endpoints and metrics.</summary>
    public IReadOnlyList<AuroraClusterDefinition> AuroraClusters { get; init; } = [];

    /// <summary>VPC flow logs (<c>network.flowLogs</c>).</summary>
    public IReadOnlyList<FlowLogDefinition> FlowLogs { get; init; } = [];

    /// <summary>RDS DB instances (<c>dbInstances</c>): the RDS simulator's stoppable instances, their endpoints and metrics.</summary>
    public IReadOnlyList<DbInstanceDefinition> DbInstances { get; init; } = [];
}

/// <param name="UsedIpAddresses">Addresses other resources already hold in the subnet (the loader gives them to one network interface).</param>
public sealed record SubnetDefinition(string Name, string Cidr, string AvailabilityZone, int UsedIpAddresses = 0);

/// <summary>A security group rule; <paramref name="SourceGroup"/> is the peer group (the source of an ingress rule, the destination of an egress rule).</summary>
public sealed record IngressRuleDefinition(string Protocol, int FromPort, int ToPort, string? Cidr, string? SourceGroup);

/// <param name="Egress">Outbound rules; null keeps EC2's default rule (all traffic to anywhere).</param>
public sealed record SecurityGroupDefinition(string Name, string Description, IReadOnlyList<IngressRuleDefinition> Ingress, IReadOnlyList<IngressRuleDefinition>? Egress = null);

/// <summary>A public NAT gateway in <paramref name="Subnet"/> (with an Elastic IP of its own).</summary>
/// <param name="State"><c>available</c>, <c>failed</c> or <c>deleted</c>: a failed or deleted gateway passes no traffic.</param>
/// <param name="FailureCode">EC2's <c>FailureCode</c> of a failed gateway, e.g. <c>Gateway.NotAttached</c>.</param>
public sealed record NatGatewayDefinition(string Name, string Subnet, string State = "available", string? FailureCode = null);

/// <summary>
/// A flow log of the VPC delivering to CloudWatch Logs group <paramref name="LogGroup"/> with role <paramref name="Role"/> (made in IAM,
/// trusting vpc-flow-logs.amazonaws.com; deleted once the flow log exists when <paramref name="DeleteRoleAfterLoad"/>).
/// </summary>
public sealed record FlowLogDefinition(string Name, string LogGroup, string Role, string TrafficType, bool DeleteRoleAfterLoad = false);

/// <summary>
/// A database the RDS simulator runs with a real endpoint (<c>auroraClusters.NAME</c>, <c>dbInstances.NAME</c>): its
/// engine and port, its DB subnet group's subnets and its security groups, whether it starts <c>stopped</c>, how long
/// starting takes, and the load it reports to CloudWatch while available.
/// </summary>
public abstract record DatabaseServerDefinition
{
    public required string Name { get; init; }

    public string Engine { get; init; } = "aurora-postgresql";

    public int Port { get; init; } = 5432;

    public IReadOnlyList<string> Subnets { get; init; } = [];

    public IReadOnlyList<string> SecurityGroups { get; init; } = [];

    public bool Stopped { get; init; }

    /// <summary>World seconds a start takes to make it available.</summary>
    public double StartSeconds { get; init; } = 300;

    public double CpuPercent { get; init; } = 20;

    public double Connections { get; init; } = 12;
}

/// <summary>An Aurora cluster (<c>auroraClusters.NAME</c>) and its Serverless v2 capacity range and use.</summary>
public sealed record AuroraClusterDefinition : DatabaseServerDefinition
{
    public double MinCapacity { get; init; } = 0.5;

    public double MaxCapacity { get; init; } = 2;

    /// <summary>ACUs in use (ServerlessDatabaseCapacity).</summary>
    public double Capacity { get; init; } = 1;
}

/// <summary>An RDS DB instance (<c>dbInstances.NAME</c>): engine postgres, mysql or mariadb, and its instance class.</summary>
public sealed record DbInstanceDefinition : DatabaseServerDefinition
{
    public string InstanceClass { get; init; } = "db.t3.micro";
}

/// <summary>A route: its destination and exactly one target, the VPC's internet gateway or a NAT gateway of the scenario.</summary>
public sealed record RouteDefinition(string Destination, string? InternetGateway, string? NatGateway);

/// <summary>A route table and the subnets associated with it; a subnet in none uses the VPC's main route table (local routes only).</summary>
public sealed record RouteTableDefinition(string Name, IReadOnlyList<string> Subnets, IReadOnlyList<RouteDefinition> Routes);

/// <param name="Service">The full service name, e.g. com.amazonaws.us-east-1.logs.</param>
/// <param name="Type">Interface (in subnets, with security groups) or Gateway (in route tables: s3, dynamodb).</param>
public sealed record VpcEndpointDefinition(string Name, string Service, string Type, IReadOnlyList<string> Subnets, IReadOnlyList<string> SecurityGroups,
    IReadOnlyList<string> RouteTables);

/// <param name="Protocol">tcp, udp or -1 (all).</param>
public sealed record NetworkAclEntryDefinition(int Rule, bool Egress, string Protocol, int FromPort, int ToPort, string Cidr, bool Allow);

/// <summary>A network ACL and the subnets associated with it (the others keep the VPC's default ACL, which allows everything).</summary>
public sealed record NetworkAclDefinition(string Name, IReadOnlyList<string> Subnets, IReadOnlyList<NetworkAclEntryDefinition> Entries);

public sealed record HealthCheckDefinition
{
    public string Protocol { get; init; } = "HTTP";

    public string Port { get; init; } = "traffic-port";

    public string Path { get; init; } = "/";

    public string Matcher { get; init; } = "200";

    public int IntervalSeconds { get; init; } = 30;

    public int TimeoutSeconds { get; init; } = 5;

    public int HealthyThreshold { get; init; } = 5;

    public int UnhealthyThreshold { get; init; } = 2;
}

/// <param name="DeleteAfterLoad">Deleted once the services are created (their load balancer mappings still name it), as if someone deleted it by hand.</param>
public sealed record TargetGroupDefinition(string Name, int Port, string Protocol, string TargetType, int DeregistrationDelaySeconds, HealthCheckDefinition HealthCheck,
    bool DeleteAfterLoad);

public sealed record ListenerDefinition(int Port, string Protocol, string TargetGroup)
{
    /// <summary>Path rules before the default action, in priority order.</summary>
    public IReadOnlyList<ListenerRuleDefinition> Rules { get; init; } = [];
}

/// <summary>A listener rule: requests whose path matches one of <paramref name="PathPatterns"/> go to <paramref name="TargetGroup"/>.</summary>
public sealed record ListenerRuleDefinition(int Priority, IReadOnlyList<string> PathPatterns, string TargetGroup);

/// <summary>Requests the world's users send to a load balancer: <paramref name="PerMinute"/> (world time) GETs of <paramref name="Path"/> on every listener.</summary>
public sealed record TrafficDefinition(string Path, double PerMinute);

public sealed record LoadBalancerDefinition(string Name, string Scheme, IReadOnlyList<string> Subnets, IReadOnlyList<string> SecurityGroups, IReadOnlyList<ListenerDefinition> Listeners)
{
    /// <summary>The <c>idle_timeout.timeout_seconds</c> attribute; null leaves ALB's default (60).</summary>
    public int? IdleTimeoutSeconds { get; init; }

    /// <summary>Client traffic the sandbox sends to the load balancer, so its metrics show what users meet.</summary>
    public IReadOnlyList<TrafficDefinition> Traffic { get; init; } = [];
}

public sealed record ContainerDefinition
{
    public required string Name { get; init; }

    public required string Image { get; init; }

    public bool Essential { get; init; } = true;

    public int? Memory { get; init; }

    public int? MemoryReservation { get; init; }

    public IReadOnlyList<int> Ports { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Secrets by variable name: the ARN of the Secrets Manager secret or SSM parameter, or the name of a Secrets Manager
    /// secret (the loader writes its ARN: the real one when the scenario creates it, else the ARN it would have).
    /// </summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    public string? LogGroup { get; init; }

    public string LogStreamPrefix { get; init; } = "ecs";
}

public sealed record TaskDefinitionDefinition(string Family, int Revision, int Cpu, int Memory, IReadOnlyList<ContainerDefinition> Containers);

public sealed record LoadBalancerMappingDefinition(string TargetGroup, string ContainerName, int ContainerPort);

public enum ServiceStart
{
    /// <summary>The service has been running its task definition for a while: deployment COMPLETED, targets healthy.</summary>
    Steady,

    /// <summary>The service's deployment starts now.</summary>
    Deploy,
}

public sealed record ServiceDefinition
{
    public required string Name { get; init; }

    public required string Cluster { get; init; }

    public required string TaskDefinition { get; init; }

    /// <summary>A task definition the service ran (COMPLETED) before this one; it then deploys <see cref="TaskDefinition"/>.</summary>
    public string? PreviousTaskDefinition { get; init; }

    public int DesiredCount { get; init; } = 1;

    public string LaunchType { get; init; } = "FARGATE";

    public IReadOnlyList<string> Subnets { get; init; } = [];

    public IReadOnlyList<string> SecurityGroups { get; init; } = [];

    public bool AssignPublicIp { get; init; }

    public IReadOnlyList<LoadBalancerMappingDefinition> LoadBalancers { get; init; } = [];

    public int MinimumHealthyPercent { get; init; } = 100;

    public int MaximumPercent { get; init; } = 200;

    public bool CircuitBreakerEnabled { get; init; }

    public bool CircuitBreakerRollback { get; init; }

    public int HealthCheckGracePeriodSeconds { get; init; }

    public ServiceStart Start { get; init; } = ServiceStart.Steady;
}

/// <summary>How long the world's ECS takes for each step, in world seconds.</summary>
public sealed record WorldTimings
{
    public double ProvisioningSeconds { get; init; } = 10;

    public double PullSeconds { get; init; } = 10;

    public double StopSeconds { get; init; } = 5;

    public double StoppedRetentionSeconds { get; init; } = 3600;

    /// <summary>How often the world's ECS scheduler looks at each service.</summary>
    public double SchedulerIntervalSeconds { get; init; } = 5;
}

public enum AppFailureKind
{
    None,

    /// <summary>The process exits at start with <see cref="AppFailure.ExitCode"/>, after its failure log lines.</summary>
    Crash,

    /// <summary>Killed for memory: exit 137, container reason <c>OutOfMemoryError: Container killed due to memory usage</c>.</summary>
    OutOfMemory,

    /// <summary>The image cannot be pulled: <c>CannotPullContainerError</c>, the container never starts.</summary>
    ImagePull,
}

public sealed record AppFailure
{
    public AppFailureKind Kind { get; init; }

    /// <summary>World seconds after the container starts at which it fails.</summary>
    public double AfterSeconds { get; init; } = 2;

    public int ExitCode { get; init; } = 1;

    public IReadOnlyList<string> Logs { get; init; } = [];
}

public sealed record AppRoute(int Status, string Body, string ContentType, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>World seconds the route takes to answer; null: the profile's <see cref="AppProfile.SlowSeconds"/>.</summary>
    public double? SlowSeconds { get; init; }

    /// <summary>True: the route resets the connection instead of answering; null: the profile's <see cref="AppProfile.ResetConnection"/>.</summary>
    public bool? ResetConnection { get; init; }
}

public sealed record AppProfile
{
    public required string Image { get; init; }

    /// <summary>The port the application listens on inside the task.</summary>
    public int Port { get; init; } = 8000;

    public double StartupDelaySeconds { get; init; } = 5;

    public IReadOnlyList<string> StartupLogs { get; init; } = [];

    /// <summary>The line the app logs once it listens; empty when it never says so (a partial startup).</summary>
    public string ListeningLog { get; init; } = "Listening on port {port}";

    /// <summary>Variables the task definition must set; the value is the log lines the app dies with (exit 1) when one is missing.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> RequiredEnvironment { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyDictionary<string, AppRoute> Routes { get; init; } = new Dictionary<string, AppRoute>();

    public int DefaultStatus { get; init; } = 404;

    public IReadOnlyList<string> CorsAllowOrigins { get; init; } = [];

    public AppFailure Failure { get; init; } = new();

    /// <summary>World seconds every request takes to answer unless its route says otherwise (a slow app: 504 behind an ALB whose idle timeout is shorter).</summary>
    public double SlowSeconds { get; init; }

    /// <summary>True: every request is answered with a TCP reset unless its route says otherwise (502 behind an ALB).</summary>
    public bool ResetConnection { get; init; }

    /// <summary>
    /// How long the app keeps an idle connection open (its <c>Keep-Alive: timeout=</c>); null: longer than any load balancer's
    /// idle timeout. Shorter than the ALB's idle timeout, a request the ALB sends on a connection the app has just closed is a 502.
    /// </summary>
    public double? KeepAliveSeconds { get; init; }
}

/// <summary>A Slack channel of the sandbox's workspace.</summary>
public sealed record SlackChannelDefinition(string Id, string Name, bool Archived);

/// <summary>A span of world seconds after the scenario loaded, e.g. an outage from minute 10 to minute 20.</summary>
/// <param name="Status">What Slack answers in an outage (500, 502, 503, 504).</param>
/// <param name="RetryAfterSeconds">What a rate-limit window's 429 says to wait.</param>
public sealed record SlackWindow(double FromSeconds, double ToSeconds, int Status, int RetryAfterSeconds);

/// <summary>
/// The sandbox's Slack workspace: the bot token chat.postMessage takes, the incoming webhook (its path after /services/)
/// and its channel, the channels, and the declared outages and rate-limit windows. The defaults are a contract
/// (tests/DeployOps.Testing/Lightwave.cs, <c>Lightwave.Slack</c>).
/// </summary>
public sealed record SlackDefinition
{
    public const string DefaultBotToken = "xoxb-100000000001-200000000002-LightwaveSandboxBot";
    public const string DefaultWebhook = "T0LIGHTWAVE/B0DEPLOYS/LightwaveSandboxWebhookKey";
    public const string DeploymentsChannel = "C0A9M9DPFUY";
    public const string ArchivedChannel = "C0ARCHIVED1";

    public string BotToken { get; init; } = DefaultBotToken;

    public string Webhook { get; init; } = DefaultWebhook;

    public string WebhookChannel { get; init; } = DeploymentsChannel;

    public IReadOnlyList<SlackChannelDefinition> Channels { get; init; } =
    [
        new(DeploymentsChannel, "kiro-updates", false),
        new(ArchivedChannel, "old-deployments", true),
    ];

    public IReadOnlyList<SlackWindow> Outages { get; init; } = [];

    public IReadOnlyList<SlackWindow> RateLimits { get; init; } = [];
}

/// <summary>What a stack does to a resource: the actions a scenario can make slow, stuck or failing.</summary>
public enum ResourceActionKind
{
    Create,
    Update,
    Delete,

    /// <summary>What a rollback does to it (an update undone, or a delete after a failed create).</summary>
    Rollback,
}

/// <summary>How one resource of a stack behaves (<c>stacks.NAME.resources.LOGICAL_ID</c>).</summary>
public sealed record ResourceBehaviour
{
    public static ResourceBehaviour Default { get; } = new();

    /// <summary>World seconds each action takes; null for the resource type's usual time.</summary>
    public double? Seconds { get; init; }

    /// <summary>Actions that never finish (CloudFormation waits, as for an RDS instance that stays creating).</summary>
    public IReadOnlySet<ResourceActionKind> Stuck { get; init; } = new HashSet<ResourceActionKind>();

    /// <summary>Actions that fail, with CloudFormation's status reason; a failure stays (a retry fails again).</summary>
    public IReadOnlyDictionary<ResourceActionKind, string> Failures { get; init; } = new Dictionary<ResourceActionKind, string>();

    /// <summary>For a custom resource: the lines its function logs in /aws/lambda/NAME each time it runs.</summary>
    public IReadOnlyList<string> FunctionLogs { get; init; } = [];
}

/// <summary>A stack of a scenario (<c>stacks.NAME</c>).</summary>
public sealed record StackDefinition
{
    public required string Name { get; init; }

    /// <summary>The template it is created from at load; null for a stack whose resources' behaviour is all that is declared.</summary>
    public string? Template { get; init; }

    /// <summary>Parameter values; <c>{subnet:NAME}</c>, <c>{securityGroup:NAME}</c>, <c>{targetGroup:NAME}</c> and <c>{vpc}</c> name the scenario's resources.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>World seconds before the load at which CreateStack was called.</summary>
    public double CreatedSecondsAgo { get; init; }

    public bool DisableRollback { get; init; }

    /// <summary>Updates after the create, oldest first.</summary>
    public IReadOnlyList<StackUpdateDefinition> Updates { get; init; } = [];

    /// <summary>World seconds before the load at which DeleteStack was called; null when it was not.</summary>
    public double? DeletedSecondsAgo { get; init; }

    public IReadOnlyDictionary<string, ResourceBehaviour> Resources { get; init; } = new Dictionary<string, ResourceBehaviour>();

    /// <summary>Past incarnations of the stack (created, then deleted), for deployment history; null for none.</summary>
    public StackHistoryDefinition? History { get; init; }
}

/// <summary>An update of a scenario's stack: its template (null keeps the stack's), parameters laid over the stack's, and when.</summary>
public sealed record StackUpdateDefinition(string? Template, IReadOnlyDictionary<string, string> Parameters, double SecondsAgo);

/// <param name="Deployments">How many past incarnations.</param>
/// <param name="HoursApart">World hours between two of them; the newest was deleted that long before the stack's create.</param>
/// <param name="Jitter">How much each resource's duration varies around its usual time (0.2 = up to 20% either way).</param>
/// <param name="Seed">The seed of the durations, so the history is the same at every load.</param>
public sealed record StackHistoryDefinition(int Deployments, double HoursApart, double Jitter, int Seed);

/// <summary>How an RDS DB instance behaves (<c>databases.IDENTIFIER</c>).</summary>
public sealed record DatabaseBehaviour
{
    public required string Identifier { get; init; }

    /// <summary>World seconds from CreateDBInstance to available (RDS's usual 15 minutes by default).</summary>
    public double CreateSeconds { get; init; } = 900;

    /// <summary>It stays creating.</summary>
    public bool Stuck { get; init; }

    /// <summary>It ends failed after <see cref="CreateSeconds"/>, with this event message.</summary>
    public string? FailureReason { get; init; }

    /// <summary>Events RDS reports along the way, world seconds after the create.</summary>
    public IReadOnlyList<ScriptedDatabaseEvent> Events { get; init; } = [];
}

public sealed record ScriptedDatabaseEvent(double AfterSeconds, string Message, string Category);
/// <summary>The Lightsail part of a scenario: container services and how long Lightsail takes for each step.</summary>
public sealed record LightsailDefinition
{
    public IReadOnlyList<LightsailServiceDefinition> ContainerServices { get; init; } = [];

    public LightsailTimings Timings { get; init; } = new();
}

/// <summary>A container service: its power and scale, the images pushed to it, its deployment history and a deployment to start at load.</summary>
public sealed record LightsailServiceDefinition
{
    public required string Name { get; init; }

    /// <summary>nano, micro, small, medium, large or xlarge.</summary>
    public string Power { get; init; } = "nano";

    public int Scale { get; init; } = 1;

    public IReadOnlyList<LightsailImageDefinition> Images { get; init; } = [];

    /// <summary>The deployments it has run, oldest first (versions 1, 2, ...): the last that did not fail is ACTIVE and runs steadily, the others are INACTIVE or FAILED.</summary>
    public IReadOnlyList<LightsailDeploymentDefinition> Deployments { get; init; } = [];

    /// <summary>A deployment that starts when the scenario loads (the next version), or null.</summary>
    public LightsailDeploymentDefinition? Deploy { get; init; }
}

/// <summary>A pushed image, <c>:&lt;service&gt;.&lt;label&gt;.&lt;number&gt;</c>, and the application profile it runs.</summary>
public sealed record LightsailImageDefinition(string Label, int Number, string Application, string Digest);

/// <summary>One deployment's specification: its containers and public endpoint; <see cref="Failed"/> for history that failed.</summary>
public sealed record LightsailDeploymentDefinition
{
    public IReadOnlyList<LightsailContainerDefinition> Containers { get; init; } = [];

    public required LightsailEndpointDefinition PublicEndpoint { get; init; }

    public bool Failed { get; init; }
}

/// <summary>A container of a deployment: its image (a pushed <c>:service.label.n</c> or an application's name), environment and ports.</summary>
public sealed record LightsailContainerDefinition
{
    public required string Name { get; init; }

    public required string Image { get; init; }

    public IReadOnlyList<string> Command { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Port to protocol (HTTP, HTTPS, TCP, UDP).</summary>
    public IReadOnlyDictionary<int, string> Ports { get; init; } = new Dictionary<int, string>();
}

/// <summary>The container and port the service's public endpoint serves, and its health check (Lightsail's defaults when not given).</summary>
public sealed record LightsailEndpointDefinition(string ContainerName, int ContainerPort, LightsailHealthCheckDefinition HealthCheck);

/// <summary>A public endpoint's health check; Lightsail's defaults: healthy 2, unhealthy 2, timeout 2 s, interval 5 s, path /, success codes 200-499.</summary>
public sealed record LightsailHealthCheckDefinition
{
    public int HealthyThreshold { get; init; } = 2;

    public int UnhealthyThreshold { get; init; } = 2;

    public int TimeoutSeconds { get; init; } = 2;

    public int IntervalSeconds { get; init; } = 5;

    public string Path { get; init; } = "/";

    public string SuccessCodes { get; init; } = "200-499";
}

/// <summary>How long the world's Lightsail takes for each step, in world seconds.</summary>
public sealed record LightsailTimings
{
    /// <summary>A new service's PENDING time before it is READY (or starts its deployment).</summary>
    public double ProvisioningSeconds { get; init; } = 30;

    /// <summary>CREATING_DEPLOYMENT: from CreateContainerServiceDeployment until the nodes' containers start (pulls included).</summary>
    public double CreatingSeconds { get; init; } = 15;

    /// <summary>ACTIVATING_DEPLOYMENT: from every node healthy until the deployment is ACTIVE.</summary>
    public double ActivatingSeconds { get; init; } = 10;

    /// <summary>A deployment whose nodes are not all healthy this long after their containers started FAILS.</summary>
    public double ActivationTimeoutSeconds { get; init; } = 300;

    /// <summary>UPDATING after a power change, or before re-enabling a disabled service settles.</summary>
    public double UpdatingSeconds { get; init; } = 10;

    /// <summary>DELETING before the service is gone.</summary>
    public double DeletingSeconds { get; init; } = 10;
}
