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
}
