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
}
