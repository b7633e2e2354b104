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
}
