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
    /// <see cref="InProgressStack"/> (CREATE_IN_PROGRESS until its resource <see cref="Gate"/> is released). <see cref="RegistryJson"/> is the
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
    /// Runbook 001's CloudFormation scenarios: stack <see cref="Stack"/> (templates/lightwave-app.yaml) in
    /// <see cref="Region"/>, with the database <see cref="DatabaseInstance"/> and the logical ids below.
    /// </summary>
    public static class Stacks
    {
        public const string Stack = "lightwave-dev-stack";
        public const string DatabaseInstance = "lightwave-dev-db";
        public const string DatabaseResource = "Database";
        public const string MigrationResource = "DatabaseMigration";
        public const string DnsRecordResource = "DnsRecord";
        public const string AssetsBucketResource = "AssetsBucket";
        public const string ClusterResource = "Cluster";

        /// <summary><c>stack-healthy</c>: CREATE_COMPLETE three days ago, with eight earlier deployments in its history.</summary>
        public const string Healthy = "stack-healthy";

        /// <summary>
        /// <c>stack-stuck-rds</c>: CREATE_IN_PROGRESS for 45 world minutes; <see cref="DatabaseResource"/> stays creating (its
        /// subnets have no free addresses, as <see cref="PlacementEvent"/> says) and <see cref="DnsRecordResource"/>'s function never answers.
        /// </summary>
        public const string StuckRds = "stack-stuck-rds";
        public const string PlacementEvent = "could not be placed in us-east-1a: the subnet has no free IP address";

        /// <summary><c>stack-update-ecs-failing</c>: UPDATE_IN_PROGRESS, the service rolling out an image whose tasks exit 1.</summary>
        public const string UpdateEcsFailing = "stack-update-ecs-failing";

        /// <summary><c>stack-rollback-failed</c>: UPDATE_ROLLBACK_FAILED; <see cref="DatabaseResource"/> is UPDATE_FAILED (skipping it recovers).</summary>
        public const string RollbackFailed = "stack-rollback-failed";

        /// <summary><c>stack-delete-failed</c>: DELETE_FAILED; <see cref="AssetsBucketResource"/> could not be deleted (retaining it finishes).</summary>
        public const string DeleteFailed = "stack-delete-failed";
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

    /// <summary>
    /// The Lightsail scenarios of runbook 003: container service <see cref="Service"/> in <see cref="Region"/>, one container
    /// <see cref="Container"/> on <see cref="Port"/>, pushed images <c>:api.soft-launch-32.N</c>. Every deployment sets
    /// <see cref="DatabaseUrl"/> and <see cref="JwtSecret"/> (seeded secrets that must never appear in an output).
    /// </summary>
    public static class Lightsail
    {
        public const string Region = "us-east-2";
        public const string Service = "api";
        public const string Container = "api";
        public const int Port = 3697;
        public const string Label = "soft-launch-32";
        public const string LivenessPath = "/health/live";
        public const string ReadinessPath = "/health/ready";
        public const string Origin = "https://app.lightwave.example";
        public const string DatabasePassword = "Ls-S3cret-Pa55-Seed";
        public const string DatabaseUrl = "postgres://lightwave:" + DatabasePassword + "@db.lightwave.internal:5432/lightwave";
        public const string JwtSecret = "jwt_SEEDED_4b7d1e9a2c5f8036";
        public const string StartingLine = "Starting Nest application";
        public const string ListeningLine = "Listening on port 3697";

        /// <summary>The variables image .165 needs (it exits without them).</summary>
        public static readonly string[] TokenBudgetVariables = { "AI_MAX_TOKENS_INPUT", "AI_MAX_TOKENS_OUTPUT" };

        /// <summary>A pushed image's reference.</summary>
        public static string Image(int number) => $":{Service}.{Label}.{number}";

        /// <summary><c>lightsail-healthy</c>: scale 2, deployment 2 (.165, every variable, health check /health/ready) ACTIVE, deployment 1 (.163) INACTIVE.</summary>
        public static class Healthy
        {
            public const string Scenario = "lightsail-healthy";
            public const int ActiveVersion = 2;
            public const int ActiveImage = 165;
            public const int PreviousImage = 163;
        }

        /// <summary>
        /// <c>lightsail-stale-config</c>: scale 1; .162 and .165 pushed; deployment 1 runs .162 (no AI_MAX_TOKENS_*, health check
        /// /health/live), which never logs <see cref="ListeningLine"/>: /health/live 200, /health/ready and the API 503.
        /// </summary>
        public static class StaleConfig
        {
            public const string Scenario = "lightsail-stale-config";
            public const int ActiveVersion = 1;
            public const int StaleImage = 162;
            public const int FreshImage = 165;
        }

        /// <summary>
        /// <c>lightsail-failed-deployment</c>: deployment 1 ran .160, deployment 2 (.163) is ACTIVE, deployment 3 (.164) starts at
        /// load and FAILS its health checks (<see cref="FailureLogLine"/>); .166 activates but never becomes ready.
        /// </summary>
        public static class FailedDeployment
        {
            public const string Scenario = "lightsail-failed-deployment";
            public const int ActiveVersion = 2;
            public const int FailedVersion = 3;
            public const int FirstImage = 160;
            public const int ActiveImage = 163;
            public const int FailingImage = 164;
            public const int NeverReadyImage = 166;
            public const string FailureLogLine = "Error: connect ECONNREFUSED 10.0.4.12:6379";
        }

        /// <summary><c>lightsail-scale-one</c>: .165 healthy on one node, health check on the liveness path /health/live.</summary>
        public static class ScaleOne
        {
            public const string Scenario = "lightsail-scale-one";
            public const int ActiveVersion = 2;
        }
    }

    // ---- Issue 8 (network path, rollback): names the scenarios below and healthy's routing promise.

    /// <summary>
    /// The network every scenario inherits from <c>healthy</c>: the tasks' private subnets route 0.0.0.0/0 to
    /// <see cref="NatGateway"/> (in <see cref="PublicSubnetA"/>, whose table routes to <see cref="InternetGateway"/>);
    /// <see cref="DatabaseSecurityGroup"/> admits <see cref="BackendSecurityGroup"/> on <see cref="DatabasePort"/>.
    /// </summary>
    public static class Network
    {
        public const string PrivateSubnetA = "lightwave-dev-private-a";
        public const string PrivateSubnetB = "lightwave-dev-private-b";
        public const string PublicSubnetA = "lightwave-dev-public-a";
        public const string PrivateRouteTable = "lightwave-dev-private-rt";
        public const string PublicRouteTable = "lightwave-dev-public-rt";
        public const string NatGateway = "lightwave-dev-nat-a";
        public const string InternetGateway = "lightwave-dev-igw";
        public const string DatabaseSecurityGroup = "lightwave-dev-db-sg";
        public const int DatabasePort = 5432;
        public const int ContainerPort = 8000;
    }

    /// <summary>
    /// <c>private-no-egress</c>: <see cref="Network.PrivateRouteTable"/> has no default route, so the service's tasks
    /// stop with CannotPullContainerError (i/o timeout) and the rollout FAILS under the circuit breaker.
    /// </summary>
    public static class PrivateNoEgress
    {
        public const string Scenario = "private-no-egress";
        public const string PullTimeout = "CannotPullContainerError";
    }

    /// <summary>
    /// <c>subnet-exhausted</c>: the private subnets (/28) have no free address once the two tasks of :1 run, so the
    /// deployment of <see cref="TaskDefinition"/> cannot place a task and stays IN_PROGRESS.
    /// </summary>
    public static class SubnetExhausted
    {
        public const string Scenario = "subnet-exhausted";
        public const string TaskDefinition = TaskFamily + ":2";
        public const string PlacementEvent = "was unable to place a task";
    }

    /// <summary>
    /// <c>circuit-breaker-rollback</c>: :1 (1.4.1) exists, :2 (1.4.2) ran COMPLETED, :3 (<see cref="FailedImage"/>)
    /// exits 1 at start; the circuit breaker fails :3 and rolls back to :2.
    /// </summary>
    public static class CircuitBreakerRollback
    {
        public const string Scenario = "circuit-breaker-rollback";
        public const int OlderRevision = 1;
        public const int RestoredRevision = 2;
        public const int FailedRevision = 3;
        public const string FailedImage = "lightwave/backend:1.5.0-rc1";
        public const string FailedLogLine = "ModuleNotFoundError: No module named 'apps.billing'";
    }

    /// <summary>
    /// <c>rollback-history</c>: :1 (1.4.0), :2 (1.4.1, <see cref="VerifiedRevision"/>: the journal says so, which tests
    /// seed through DeploymentJournal as Wait-EcsDeployment would have), :3 (1.4.2, COMPLETED and running, never
    /// verified), :4 (<see cref="FailingImage"/>, deploying and crashing; no circuit breaker).
    /// </summary>
    public static class RollbackHistory
    {
        public const string Scenario = "rollback-history";
        public const int VerifiedRevision = 2;
        public const string VerifiedImage = "lightwave/backend:1.4.1";
        public const int CompletedRevision = 3;
        public const int FailingRevision = 4;
        public const string FailingImage = "lightwave/backend:1.5.0-rc2";
    }

    /// <summary>
    /// <c>secret-missing</c>: <see cref="TaskDefinition"/> takes SECRET_KEY from <see cref="MissingSecretName"/> (never
    /// created) and DATABASE_URL from <see cref="DatabaseUrlSecretName"/> (which exists); its tasks fail to start with
    /// ResourceInitializationError, running 0 of 1, the rollout FAILED.
    /// </summary>
    public static class SecretMissing
    {
        public const string Scenario = "secret-missing";
        public const string TaskDefinition = TaskFamily + ":2";
        public const string MissingSecretVariable = "SECRET_KEY";
        public const string MissingSecretName = "lightwave/dev/django-secret-key";
        public const string MissingSecretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + MissingSecretName;
        public const string DatabaseUrlSecretName = "lightwave/dev/database-url";
        public const string DatabaseUrlSecretValue = "postgres://lightwave:sandbox-placeholder@lightwave-dev-db.internal:5432/lightwave";
    }

    /// <summary>
    /// <c>image-not-found</c>: <see cref="TaskDefinition"/> names <see cref="Image"/>, a tag never pushed; its tasks fail to
    /// start with CannotPullContainerError ... not found, running 0 of 1, the rollout FAILED.
    /// </summary>
    public static class ImageNotFound
    {
        public const string Scenario = "image-not-found";
        public const string TaskDefinition = TaskFamily + ":2";
        public const string Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/lightwave/backend:1.5.1";
    }

    /// <summary>
    /// <c>crash-loop</c>: <see cref="TaskDefinition"/> (<see cref="Image"/>) runs <see cref="RunsSeconds"/> world seconds,
    /// logs <see cref="CrashLogLine"/> and exits 1, again and again, while revision 1 keeps serving; no circuit breaker.
    /// </summary>
    public static class CrashLoop
    {
        public const string Scenario = "crash-loop";
        public const string TaskDefinition = TaskFamily + ":2";
        public const string Image = "lightwave/backend:1.6.0";
        public const int RunsSeconds = 20;
        public const string CrashLogLine = "KeyError: 'customer_id'";
    }

    /// <summary>
    /// <c>partial-startup</c>: <see cref="TaskDefinition"/> logs <see cref="StartingPhase"/> but never
    /// <see cref="ListeningPhase"/>; <see cref="LivenessPath"/> answers 200 (the target group checks it), the deep
    /// <see cref="HealthPath"/> answers 503. Steady: two tasks, every target healthy, rollout COMPLETED.
    /// </summary>
    public static class PartialStartup
    {
        public const string Scenario = "partial-startup";
        public const string TaskDefinition = TaskFamily + ":2";
        public const string LivenessPath = "/health/live";
        public const string StartingPhase = "Starting Lightwave backend";
        public const string ListeningPhase = "Listening on port";
    }

    /// <summary>
    /// <c>waf-rate-limit</c>: the backend healthy behind <see cref="LoadBalancer"/>, with web ACL <see cref="WebAcl"/> whose
    /// rate-based rule <see cref="RateRule"/> blocks a client (by <see cref="ForwardedHeader"/>) above <see cref="RateLimit"/>
    /// requests in <see cref="WindowSeconds"/> world seconds.
    /// </summary>
    public static class WafRateLimit
    {
        public const string Scenario = "waf-rate-limit";
        public const string WebAcl = "lightwave-dev-waf";
        public const string RateRule = "lightwave-dev-rate-limit";
        public const int RateLimit = 20;
        public const int WindowSeconds = 600;
        public const string ForwardedHeader = "X-Forwarded-For";
    }

    /// <summary>
    /// <c>alarm-unconfirmed</c>: <see cref="CpuAlarm"/> and <see cref="MemoryAlarm"/> (on the backend service) notify
    /// <see cref="AlarmsTopic"/>, whose subscriptions (<see cref="OnCallEmail"/> and <see cref="Webhook"/>, whose URL carries <see cref="WebhookToken"/>) are pending confirmation, and the CPU
    /// alarm flapped <see cref="CpuFlaps"/> times in the last hour; <see cref="AlbAlarm"/> (on <see cref="LoadBalancer"/>)
    /// has its actions disabled and notifies <see cref="AlbTopic"/>, which has no subscription; <see cref="DatabaseAlarm"/>
    /// notifies <see cref="DatabaseTopic"/> with a confirmed subscription (it passes).
    /// </summary>
    public static class AlarmUnconfirmed
    {
        public const string Scenario = "alarm-unconfirmed";
        public const string AlarmsTopic = "lightwave-dev-alarms";
        public const string AlbTopic = "lightwave-dev-alb-alarms";
        public const string DatabaseTopic = "lightwave-dev-db-alarms";
        public const string OnCallEmail = "oncall@lightwave.example";
        public const string WebhookToken = "tok_SEEDED_ALARM_HOOK_5f4e3d2c";
        public const string Webhook = "https://hooks.lightwave.example/alarms?token=" + WebhookToken;
        public const string CpuAlarm = "lightwave-dev-ecs-cpu-high";
        public const string MemoryAlarm = "lightwave-dev-ecs-memory-high";
        public const string AlbAlarm = "lightwave-dev-alb-5xx";
        public const string DatabaseAlarm = "lightwave-dev-db-connections";
        public const string DatabaseCluster = "lightwave-dev-aurora";
        public const int CpuFlaps = 6;
    }
    /// <summary>
    /// <c>alb-502</c>: the backend resets the connection on <see cref="ResetPath"/> (502 from the ALB, targets healthy); the
    /// listener's rule for <c>/api/v1/admin/*</c> forwards to <see cref="AdminTargetGroup"/>, which has no target (503 on
    /// <see cref="AdminPath"/>). Users send requests to all three paths.
    /// </summary>
    public static class Alb502
    {
        public const string Scenario = "alb-502";
        public const string ResetPath = "/api/v1/orders/";
        public const string AdminPath = "/api/v1/admin/users";
        public const string AdminTargetGroup = "lightwave-dev-admin-tg";
    }

    /// <summary>
    /// <c>alb-504-idle-timeout</c>: <see cref="SlowPath"/> answers after <see cref="SlowSeconds"/> world seconds, the ALB's idle
    /// timeout is <see cref="IdleTimeoutSeconds"/> (504); <see cref="FixedIdleTimeoutSeconds"/> fixes it.
    /// </summary>
    public static class Alb504IdleTimeout
    {
        public const string Scenario = "alb-504-idle-timeout";
        public const string SlowPath = "/api/v1/reports/";
        public const int SlowSeconds = 90;
        public const int IdleTimeoutSeconds = 60;
        public const int FixedIdleTimeoutSeconds = 120;
    }

    /// <summary>
    /// <c>alb-no-traffic</c>: <see cref="LoadBalancer"/> is internet-facing in the private subnets (no internet gateway route)
    /// and <see cref="AlbSecurityGroup"/> admits 443 only while the listener is on <see cref="ListenerPort"/>.
    /// </summary>
    public static class AlbNoTraffic
    {
        public const string Scenario = "alb-no-traffic";
        public const int ListenerPort = 80;
        public const string PrivateSubnetA = "lightwave-dev-private-a";
    }

    /// <summary>
    /// <c>db-healthy</c> and the scenarios built on it (runbook 004 "Cannot connect to Aurora"): Aurora cluster
    /// <see cref="Cluster"/> (aurora-postgresql, Serverless v2 0.5 to 2 ACU, port 5432, security group
    /// <see cref="Network.DatabaseSecurityGroup"/>) with a loopback TCP listener on each endpoint; the backend's DATABASE_URL
    /// names its cluster endpoint with <see cref="EnvironmentPassword"/>. <c>db-unreachable</c>: the group admits nothing on
    /// 5432 (the listeners are closed). <c>db-stopped</c>: stopped, <see cref="StartSeconds"/> world seconds to start.
    /// <c>db-reader-endpoint</c>: DATABASE_URL comes from secret <see cref="SecretName"/>, naming the reader endpoint, with
    /// <see cref="SecretPassword"/>.
    /// </summary>
    public static class Aurora
    {
        public const string Healthy = "db-healthy";
        public const string Unreachable = "db-unreachable";
        public const string Stopped = "db-stopped";
        public const string ReaderEndpoint = "db-reader-endpoint";

        /// <summary><c>db-overloaded</c>: at its maximum of 1 ACU with 86 connections (of about 90) and CPU at 94%.</summary>
        public const string Overloaded = "db-overloaded";
        public const string Cluster = "lightwave-dev-db";
        public const int Port = 5432;
        public const double MaxCapacity = 2;
        public const int ConnectionLimit = 180;
        public const int StartSeconds = 300;
        public const string Variable = "DATABASE_URL";
        public const string EnvironmentPassword = "Db-Pa55-Env-Seed";
        public const string SecretName = "lightwave/dev/database-url";
        public const string SecretPassword = "R3ader-Secret-Pa55-Seed";
    }

    /// <summary>
    /// <c>nat-failed</c> (runbook 004 "NAT gateway connectivity failures", "VPC flow logs not capturing traffic"):
    /// <see cref="Network.NatGateway"/> failed with <see cref="FailureCode"/>, the private route table still points at it,
    /// and flow log <see cref="FlowLog"/> delivers to <see cref="FlowLogGroup"/>, which does not exist, with <see cref="FlowLogRole"/>.
    /// </summary>
    public static class NatFailed
    {
        public const string Scenario = "nat-failed";
        public const string FailureCode = "InternalError";
        public const string FlowLog = "lightwave-dev-flow-log";
        public const string FlowLogGroup = "/aws/vpc/lightwave-dev";
        public const string FlowLogRole = "lightwave-dev-vpc-flow-logs-role";
        public const string VpcCidr = "10.20.0.0/16";
    }

    /// <summary>
    /// <c>db-instance-healthy</c> and the scenarios built on it (runbook 004 "Cannot connect to Aurora" for an RDS DB
    /// instance): PostgreSQL instance <see cref="Instance"/> (<see cref="InstanceClass"/>, port 5432, security group
    /// <see cref="Network.DatabaseSecurityGroup"/>) with a loopback TCP listener on its endpoint; the backend's DATABASE_URL
    /// comes from secret <see cref="SecretName"/>, naming the instance endpoint with <see cref="SecretPassword"/>.
    /// <c>db-instance-stopped</c>: stopped, <see cref="StartSeconds"/> world seconds to start. <c>db-instance-unreachable</c>:
    /// the group admits nothing on 5432 (the listener is closed).
    /// </summary>
    public static class DbInstance
    {
        public const string Healthy = "db-instance-healthy";
        public const string Stopped = "db-instance-stopped";
        public const string Unreachable = "db-instance-unreachable";
        public const string Instance = "lightwave-dev-pg";
        public const string Engine = "postgres";
        public const string InstanceClass = "db.t3.micro";
        public const int Port = 5432;

        /// <summary>PostgreSQL's default max_connections on 1 GiB: 1073741824 / 9531392.</summary>
        public const int ConnectionLimit = 112;
        public const int Connections = 9;
        public const int StartSeconds = 300;
        public const string SecretName = "lightwave/dev/pg-url";
        public const string SecretPassword = "Pg-Instance-Secret-Seed";
    }

    /// <summary>
    /// <c>flow-log-role-deleted</c>: the healthy VPC's flow log <see cref="FlowLog"/> delivers to <see cref="FlowLogGroup"/>
    /// (which exists) with <see cref="FlowLogRole"/>, deleted from IAM after the flow log was made.
    /// </summary>
    public static class FlowLogRoleDeleted
    {
        public const string Scenario = "flow-log-role-deleted";
        public const string FlowLog = NatFailed.FlowLog;
        public const string FlowLogGroup = NatFailed.FlowLogGroup;
        public const string FlowLogRole = NatFailed.FlowLogRole;
    }
}
