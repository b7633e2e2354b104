namespace DeployOps.TaskFailures;

/// <summary>Why an ECS task stopped (or could not be placed), as runbooks 000 (3B), 001 and 004 tell the causes apart.</summary>
public enum TaskFailureCause
{
    /// <summary>An essential container exited non-zero (or 0: a service's process must keep running).</summary>
    ApplicationExit,

    /// <summary>The container runtime could not start the container's command (CannotStartContainerError).</summary>
    ContainerStartFailed,

    /// <summary>A container was killed for using more memory than its limit (OutOfMemoryError, exit 137).</summary>
    OutOfMemory,

    /// <summary>The image's tag (or repository) does not exist.</summary>
    ImageNotFound,

    /// <summary>The registry refused the pull: the task execution role (or the repository credentials) may not read the image.</summary>
    ImageAccessDenied,

    /// <summary>The task could not reach the registry: private subnet, no NAT gateway, no VPC endpoint.</summary>
    ImageNoNetworkRoute,

    /// <summary>Any other image pull failure (rate limits, platform mismatch, disk).</summary>
    ImagePullFailed,

    /// <summary>A secret or parameter the task definition names does not exist.</summary>
    SecretNotFound,

    /// <summary>The task execution role may not read a secret or parameter (or decrypt it).</summary>
    SecretAccessDenied,

    /// <summary>The task could not reach Secrets Manager or SSM.</summary>
    SecretNoNetworkRoute,

    /// <summary>Any other failure to read a secret or parameter.</summary>
    SecretRetrievalFailed,

    /// <summary>The awslogs driver's log group does not exist (and the driver may not create it).</summary>
    LogGroupNotFound,

    /// <summary>No free IP address in the service's subnets for the task's network interface.</summary>
    SubnetIpExhausted,

    /// <summary>No container instance has the CPU the task asks for.</summary>
    InsufficientCpu,

    /// <summary>No container instance has the memory the task asks for.</summary>
    InsufficientMemory,

    /// <summary>No capacity to place the task (Fargate capacity, no container instance matched).</summary>
    InsufficientCapacity,

    /// <summary>The load balancer's health checks failed, so ECS replaced the task.</summary>
    ElbHealthCheckFailed,

    /// <summary>The container's own health check failed, so ECS replaced the task.</summary>
    ContainerHealthCheckFailed,

    /// <summary>The application started but never logged every startup phase (running tasks, from Test-StartupSequence).</summary>
    StartupIncomplete,

    /// <summary>ECS or a person stopped the task on purpose: a scale-in, a deployment replacing it, StopTask, a Spot interruption.</summary>
    NotAFailure,

    /// <summary>A stop DeployOps cannot explain: read the reason and the logs.</summary>
    Unknown,
}

/// <summary>What a cause is about, coarser than <see cref="TaskFailureCause"/>: the sub-cause Get-DeploymentHealth names in category B.</summary>
public enum TaskFailureFamily
{
    ApplicationExit,
    OutOfMemory,
    ImagePull,
    Secret,
    Logging,
    Placement,
    HealthCheck,
    Startup,
    NotAFailure,
    Unknown,
}
