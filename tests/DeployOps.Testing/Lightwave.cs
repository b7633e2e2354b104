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
}
