namespace DeployOps.Aws.Ecs;

/// <summary>A service's <c>status</c> (botocore ecs <c>Service.status</c>).</summary>
public static class EcsServiceStatus
{
    public const string Active = "ACTIVE";
    public const string Draining = "DRAINING";
    public const string Inactive = "INACTIVE";
}

/// <summary>A deployment's <c>status</c> (botocore ecs <c>Deployment.status</c>).</summary>
public static class EcsDeploymentStatus
{
    public const string Primary = "PRIMARY";
    public const string Active = "ACTIVE";
    public const string Inactive = "INACTIVE";
}

/// <summary>A deployment's <c>rolloutState</c> (botocore ecs <c>DeploymentRolloutState</c>).</summary>
public static class EcsRolloutState
{
    public const string InProgress = "IN_PROGRESS";
    public const string Completed = "COMPLETED";
    public const string Failed = "FAILED";
}

/// <summary>A task's <c>stopCode</c> (botocore ecs <c>TaskStopCode</c>).</summary>
public static class EcsStopCode
{
    public const string TaskFailedToStart = "TaskFailedToStart";
    public const string EssentialContainerExited = "EssentialContainerExited";
    public const string UserInitiated = "UserInitiated";
    public const string ServiceSchedulerInitiated = "ServiceSchedulerInitiated";
    public const string SpotInterruption = "SpotInterruption";
    public const string TerminationNotice = "TerminationNotice";
}
