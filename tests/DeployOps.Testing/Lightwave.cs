namespace DeployOps.Testing;

/// <summary>The resource names the shipped scenarios promise (a contract other tests rely on).</summary>
public static class Lightwave
{
    public const string Region = "us-east-1";
    public const string Cluster = "lightwave-dev-ecs-cluster";
    public const string Service = "lightwave-backend-api-dev";
    public const string LoadBalancer = "lightwave-dev-alb";
    public const string TargetGroup = "lightwave-dev-backend-tg";
    public const string LogGroup = "/ecs/lightwave-dev-django-backend";
    public const string HealthPath = "/api/v1/health/health/";
    public const string WrongHealthPath = "/health/";
    public const string BackendSecurityGroup = "lightwave-dev-backend-sg";
    public const string AlbSecurityGroup = "lightwave-dev-alb-sg";
    public const string TaskFamily = "lightwave-backend-dev";
    public const string SecretKeyLogLine = "django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty.";

    /// <summary>
    /// <c>two-clusters</c>: the backend healthy in <see cref="Cluster"/> (created first), and a worker service in a cluster
    /// of its own whose target group checks <see cref="WrongHealthPath"/> while the worker answers only on <see cref="HealthPath"/>.
    /// </summary>
    public static class TwoClusters
    {
        public const string Scenario = "two-clusters";
        public const string WorkersCluster = "lightwave-dev-workers-cluster";
        public const string WorkerService = "lightwave-worker-dev";
        public const string WorkerTargetGroup = "lightwave-dev-worker-tg";
        public const string WorkerTaskFamily = "lightwave-worker-dev";
        public const string WorkerLoadBalancer = "lightwave-dev-workers-alb";
        public const string WorkerLogGroup = "/ecs/lightwave-dev-worker";
    }

    /// <summary>
    /// <c>target-group-deleted</c>: the backend healthy, and a frontend service whose target group was deleted after the
    /// service was created (its load balancer mapping still names the ARN).
    /// </summary>
    public static class TargetGroupDeleted
    {
        public const string Scenario = "target-group-deleted";
        public const string FrontendService = "lightwave-frontend-dev";
        public const string FrontendTargetGroup = "lightwave-dev-frontend-tg";
        public const string FrontendTaskFamily = "lightwave-frontend-dev";
        public const string FrontendLogGroup = "/ecs/lightwave-dev-frontend";
    }

    /// <summary>
    /// <c>secrets</c>: seeded secret values for redaction tests. <see cref="TaskDefinition"/> sets DATABASE_URL to
    /// <see cref="DatabaseUrl"/> and API_TOKEN to <see cref="ApiToken"/>; its app logs the three lines below and exits 1
    /// at startup (category B); the target group checks <see cref="HealthCheckPath"/>, which carries the token.
    /// </summary>
    public static class Secrets
    {
        public const string Scenario = "secrets";
        public const string TaskDefinition = TaskFamily + ":2";
        public const string DatabasePassword = "S3cr3t-Pa55w0rd-Seed";
        public const string DatabaseUrl = "postgres://lightwave:" + DatabasePassword + "@db.internal:5432/lightwave";
        public const string ApiToken = "tok_SEEDED_9f8e7d6c5b4a32107e6d";
        public const string AccessKeyId = "AKIAIOSFODNN7SEEDED1";
        public const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSEEDEDKEY1";
        public const string DatabaseLogLine = "FATAL: database connection failed: " + DatabaseUrl;
        public const string ApiTokenLogLine = "calling https://api.example.com/v1/check?token=" + ApiToken + "&region=us-east-1";
        public const string AccessKeyLogLine = "[DEBUG] boto3 credentials: " + AccessKeyId + " / " + SecretAccessKey;
        public const string HealthCheckPath = HealthPath + "?token=" + ApiToken;
    }

    /// <summary>
    /// The Slack workspace every scenario has (the sandbox's Slack simulator; <c>slack:</c> in a scenario changes it): the
    /// bot token chat.postMessage takes, the incoming webhook's path after <c>/services/</c> (the URL is in
    /// <c>GET /_sandbox/state</c>, <c>slack.webhookUrl</c>), and its channels. The token and the webhook are seeded
    /// secrets: no DeployOps output may show them.
    /// </summary>
    public static class Slack
    {
        public const string BotToken = "xoxb-100000000001-200000000002-LightwaveSandboxBot";
        public const string Webhook = "T0LIGHTWAVE/B0DEPLOYS/LightwaveSandboxWebhookKey";
        public const string DeploymentsChannel = "C0A9M9DPFUY";
        public const string ArchivedChannel = "C0ARCHIVED1";
        public const string UnknownChannel = "C0NOSUCHCHN";
    }

    /// <summary>
    /// <c>registry-stale</c>: stacks <see cref="CompleteStack"/> (CREATE_COMPLETE), <see cref="DeletedStack"/> (deleted) and
    /// <see cref="InProgressStack"/> (CREATE_IN_PROGRESS until <see cref="Gate"/> opens). <see cref="RegistryJson"/> is the
    /// registry the runbook's coordinator left: all three active (two stale), and one completed deployment.
    /// </summary>
    public static class RegistryStale
    {
        public const string Scenario = "registry-stale";
        public const string CompleteStack = "lightwave-dev-app";
        public const string DeletedStack = "lightwave-dev-legacy";
        public const string InProgressStack = "lightwave-dev-data";
        public const string Gate = "Gate1";
        public const string StaleCompleteId = "deploy-20250114-091500-a1b2c3";
        public const string StaleDeletedId = "deploy-20250113-170000-d4e5f6";
        public const string ActiveId = "deploy-20250114-101000-0a1b2c";
        public const string CompletedId = "deploy-20250110-120000-9f8e7d";

        /// <summary>deployments.json as the runbook's coordinator writes it (snake_case, one unknown field kept as it is).</summary>
        public const string RegistryJson = """
            {
              "deployments": [
                { "correlation_id": "deploy-20250110-120000-9f8e7d", "stack_name": "lightwave-dev-app", "status": "completed",
                  "started_at": "2025-01-10T12:00:00Z", "started_by": "ci", "commit": "1a2b3c4", "completed_at": "2025-01-10T12:31:00Z" },
                { "correlation_id": "deploy-20250113-170000-d4e5f6", "stack_name": "lightwave-dev-legacy", "status": "active",
                  "started_at": "2025-01-13T17:00:00Z", "started_by": "alice", "commit": "5d6e7f8" },
                { "correlation_id": "deploy-20250114-091500-a1b2c3", "stack_name": "lightwave-dev-app", "status": "active",
                  "started_at": "2025-01-14T09:15:00Z", "started_by": "ci", "commit": "9a8b7c6", "workflow_run": 4711 },
                { "correlation_id": "deploy-20250114-101000-0a1b2c", "stack_name": "lightwave-dev-data", "status": "active",
                  "started_at": "2025-01-14T10:10:00Z", "started_by": "bob", "commit": "0f1e2d3" }
              ]
            }
            """;
    }

    /// <summary>
    /// <c>slack-outage</c>: stack <see cref="Stack"/> deploys for <see cref="Gates"/> × <see cref="GateEverySeconds"/> world
    /// seconds (30 minutes) while Slack answers 503 from <see cref="OutageFromSeconds"/> to <see cref="OutageToSeconds"/>
    /// world seconds after the scenario loads.
    /// </summary>
    public static class SlackOutage
    {
        public const string Scenario = "slack-outage";
        public const string Stack = "lightwave-dev-app";
        public const int Gates = 6;
        public const int GateEverySeconds = 300;
        public const int OutageFromSeconds = 600;
        public const int OutageToSeconds = 1200;
    }
}
