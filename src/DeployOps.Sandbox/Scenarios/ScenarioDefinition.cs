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

    public IReadOnlyList<SecurityGroupDefinition> SecurityGroups { get; init; } = [];

    public IReadOnlyList<TargetGroupDefinition> TargetGroups { get; init; } = [];

    public IReadOnlyList<LoadBalancerDefinition> LoadBalancers { get; init; } = [];

    public IReadOnlyList<string> LogGroups { get; init; } = [];

    public IReadOnlyList<TaskDefinitionDefinition> TaskDefinitions { get; init; } = [];

    public IReadOnlyList<ServiceDefinition> Services { get; init; } = [];

    public WorldTimings Timings { get; init; } = new();

    /// <summary>The Slack workspace notifications go to (every scenario has one; <c>slack:</c> changes it).</summary>
    public SlackDefinition Slack { get; init; } = new();

    /// <summary>CloudFormation stacks created in moto as the scenario loads, each left in a given state.</summary>
    public IReadOnlyList<MotoStackDefinition> MotoStacks { get; init; } = [];
}

public sealed record SubnetDefinition(string Name, string Cidr, string AvailabilityZone);

public sealed record IngressRuleDefinition(string Protocol, int FromPort, int ToPort, string? Cidr, string? SourceGroup);

public sealed record SecurityGroupDefinition(string Name, string Description, IReadOnlyList<IngressRuleDefinition> Ingress);

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

public sealed record ListenerDefinition(int Port, string Protocol, string TargetGroup);

public sealed record LoadBalancerDefinition(string Name, string Scheme, IReadOnlyList<string> Subnets, IReadOnlyList<string> SecurityGroups, IReadOnlyList<ListenerDefinition> Listeners);

public sealed record ContainerDefinition
{
    public required string Name { get; init; }

    public required string Image { get; init; }

    public bool Essential { get; init; } = true;

    public int? Memory { get; init; }

    public int? MemoryReservation { get; init; }

    public IReadOnlyList<int> Ports { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Secrets by variable name: the ARN of the Secrets Manager secret or SSM parameter.</summary>
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

public sealed record AppRoute(int Status, string Body, string ContentType, IReadOnlyDictionary<string, string> Headers);

public sealed record AppProfile
{
    public required string Image { get; init; }

    /// <summary>The port the application listens on inside the task.</summary>
    public int Port { get; init; } = 8000;

    public double StartupDelaySeconds { get; init; } = 5;

    public IReadOnlyList<string> StartupLogs { get; init; } = [];

    public string ListeningLog { get; init; } = "Listening on port {port}";

    /// <summary>Variables the task definition must set; the value is the log lines the app dies with (exit 1) when one is missing.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> RequiredEnvironment { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyDictionary<string, AppRoute> Routes { get; init; } = new Dictionary<string, AppRoute>();

    public int DefaultStatus { get; init; } = 404;

    public IReadOnlyList<string> CorsAllowOrigins { get; init; } = [];

    public AppFailure Failure { get; init; } = new();
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

/// <summary>The state a <see cref="MotoStackDefinition"/> is left in.</summary>
public enum MotoStackState
{
    /// <summary>CREATE_COMPLETE.</summary>
    Complete,

    /// <summary>Created, then deleted: DELETE_COMPLETE, gone by name.</summary>
    Deleted,

    /// <summary>CREATE_IN_PROGRESS, held by custom resources (Gate1, Gate2, ...) until each is answered through moto.</summary>
    InProgress,
}

/// <summary>
/// A CloudFormation stack made in moto (which finishes stacks at once): a log group, plus, for an in-progress stack,
/// <see cref="Gates"/> custom resources whose Lambda never answers, so the stack stays CREATE_IN_PROGRESS until a test
/// answers them (moto's <c>PUT /cloudformation_&lt;region&gt;/cfnresponse</c>).
/// </summary>
/// <param name="OpenEverySeconds">When set, gate k opens by itself k times this many world seconds after the load.</param>
public sealed record MotoStackDefinition(string Name, MotoStackState State, int Gates, double? OpenEverySeconds);
