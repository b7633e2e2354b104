using DeployOps.Aws.Ecs;

namespace DeployOps.TaskFailures;

/// <summary>What a fix needs to name: the service, and what the failure is about.</summary>
public sealed record FixContext(string Cluster, string Service)
{
    /// <summary>The container the failure is about.</summary>
    public string? Container { get; init; }

    /// <summary>Its exit code, when it exited.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The image, for pull failures.</summary>
    public string? Image { get; init; }

    /// <summary>The secret's ARN (or name), and the variable that takes it.</summary>
    public string? Secret { get; init; }

    public string? SecretVariable { get; init; }

    /// <summary>The region, for secrets.</summary>
    public string? Region { get; init; }

    /// <summary>The awslogs group, for a missing log group.</summary>
    public string? LogGroup { get; init; }

    /// <summary>The target group's name, for failed ELB health checks.</summary>
    public string? TargetGroup { get; init; }

    /// <summary>The container's health check, for failed container health checks.</summary>
    public EcsContainerHealthCheck? HealthCheck { get; init; }

    /// <summary>The startup phase never reached, for an incomplete startup.</summary>
    public string? MissingPhase { get; init; }

    /// <summary>An example task's id, for commands that read its log.</summary>
    public string? TaskId { get; init; }

    /// <summary>-Cluster X -Service Y, as the cmdlets take them.</summary>
    public string Target => $"-Cluster {Cluster} -Service {Service}";
}

/// <summary>The fix of each cause, in the runbooks' terms, naming what the context knows. Pure.</summary>
public static class TaskFailureFixes
{
    public static string For(TaskFailureCause cause, FixContext context)
    {
        var container = context.Container ?? "the essential container";
        var log = $"Get-DeploymentLog {context.Target}" + (context.TaskId is null ? "" : $" -Task {context.TaskId}");
        switch (cause)
        {
            case TaskFailureCause.ApplicationExit when context.ExitCode == 0:
                return $"The main process of {container} ended (exit 0): a service's essential container must keep running in the foreground. " +
                       $"Check its command and entryPoint, then redeploy. Its log: {log}";
            case TaskFailureCause.ApplicationExit:
                return $"The application in {container} exited {context.ExitCode} ({(context.ExitCode is { } code ? ExitCodes.Meaning(code) : "no exit code")}). " +
                       "Its last log lines show why: fix the code or the configuration they name (environment, secrets, dependencies), register a new " +
                       $"task definition revision and redeploy: Restart-EcsService {context.Target} -Wait. More of the log: {log}";
            case TaskFailureCause.ContainerStartFailed:
                return $"The container runtime could not start {container}'s command: check the entryPoint and command, the file's execute permission, " +
                       "and that the image is built for the task's CPU architecture (exec format error).";
            case TaskFailureCause.OutOfMemory:
                return $"{container} used more memory than its limit and was killed (exit 137). Raise the container's and the task's memory in a new task " +
                       "definition revision (runbook 004: 1024 to 2048 MiB), or find what grows; then redeploy. " +
                       $"Watch it with Get-EcsServiceMetric {context.Target}.";
            case TaskFailureCause.ImageNotFound:
                return $"The image {context.Image ?? "the task definition names"} does not exist: push that tag, or point the task definition at a tag that " +
                       "exists (aws ecr describe-images --repository-name <repository> --image-ids imageTag=<tag>); then redeploy, or roll back to the last good revision.";
            case TaskFailureCause.ImageAccessDenied:
                return $"The registry refused to serve {context.Image ?? "the image"}: give the task execution role ECR read access (ecr:GetAuthorizationToken, " +
                       "ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, as AmazonECSTaskExecutionRolePolicy grants), check the repository policy, or set " +
                       "repositoryCredentials for a private registry.";
            case TaskFailureCause.ImageNoNetworkRoute:
                return "The task cannot reach the registry from its subnets: give them a route to a NAT gateway, or a public IP and an internet gateway " +
                       "route, or VPC endpoints for ECR (ecr.api, ecr.dkr) and S3. " +
                       $"Test-EcsNetworkPath {context.Target} names the hop that fails.";
            case TaskFailureCause.ImagePullFailed:
                return $"{context.Image ?? "The image"} could not be pulled: read the reason. A rate limit calls for an authenticated or mirrored registry; " +
                       "a platform mismatch for an image built for the task's CPU architecture.";
            case TaskFailureCause.SecretNotFound:
                return $"The secret {context.Secret ?? "the task definition names"}{(context.SecretVariable is null ? "" : $" (variable {context.SecretVariable})")} " +
                       $"does not exist{(context.Region is null ? "" : $" in {context.Region}")}: create it, or correct the valueFrom in the task definition; then redeploy.";
            case TaskFailureCause.SecretAccessDenied:
                return $"The task execution role may not read {context.Secret ?? "the secret"}: allow secretsmanager:GetSecretValue on it (ssm:GetParameters " +
                       "for a parameter), and kms:Decrypt on its key when a customer managed key encrypts it.";
            case TaskFailureCause.SecretNoNetworkRoute:
                return "The task cannot reach Secrets Manager or SSM from its subnets: give them a route to a NAT gateway, or a public IP and an " +
                       "internet gateway route, or VPC endpoints (secretsmanager, ssm). " +
                       $"Test-EcsNetworkPath {context.Target} names the hop that fails.";
            case TaskFailureCause.SecretRetrievalFailed:
                return $"Reading {context.Secret ?? "a secret"} failed: read the reason; check the secret's ARN, its JSON key and version in the task definition.";
            case TaskFailureCause.LogGroupNotFound:
                return $"The log group {context.LogGroup ?? "the awslogs driver names"} does not exist: create it (aws logs create-log-group --log-group-name " +
                       $"{context.LogGroup ?? "<group>"}), or set awslogs-create-group to true and allow the execution role logs:CreateLogGroup.";
            case TaskFailureCause.SubnetIpExhausted:
                return "The service's subnets have no free IP address for the task's network interface: add subnets (or a larger CIDR block) to the " +
                       "service's network configuration, or release unused network interfaces.";
            case TaskFailureCause.InsufficientCpu:
                return "No capacity has the CPU the task asks for: lower the task definition's cpu, or add capacity (larger instances, a capacity provider that scales out).";
            case TaskFailureCause.InsufficientMemory:
                return "No capacity has the memory the task asks for: lower the task definition's memory, or add capacity (larger instances, a capacity provider that scales out).";
            case TaskFailureCause.InsufficientCapacity:
                return "ECS could not place the task: give the service subnets in more Availability Zones, retry later (Fargate capacity), or add container instances.";
            case TaskFailureCause.ElbHealthCheckFailed:
                return $"The load balancer's health checks{(context.TargetGroup is null ? "" : $" of {context.TargetGroup}")} failed, so ECS replaced the task. " +
                       $"If the path or matcher is wrong: Get-DeploymentHealth {context.Target} | Repair-TargetGroupHealthCheck -HealthCheckPath <path> -Redeploy -Wait; " +
                       "if the application is slow to start, raise the service's healthCheckGracePeriodSeconds.";
            case TaskFailureCause.ContainerHealthCheckFailed:
                return $"{container}'s own health check{(context.HealthCheck is null ? "" : $" ({context.HealthCheck})")} failed: fix the command or what it checks, " +
                       "or give the application longer to start (startPeriod, retries).";
            case TaskFailureCause.StartupIncomplete:
                return $"The application started but never logged '{context.MissingPhase}': read its log for what it waits on (a database, a broker, a secret): " +
                       $"{log}. A liveness-only health check hides this: point the target group at a deep health path.";
            case TaskFailureCause.NotAFailure:
                return "Not a failure: ECS or a person stopped these tasks on purpose (a scale-in, a deployment replacing them, StopTask). Nothing to fix.";
            default:
                return $"DeployOps does not recognise this stop: read the reason and the task's log ({log}).";
        }
    }
}
