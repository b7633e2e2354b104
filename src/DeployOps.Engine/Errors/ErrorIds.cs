namespace DeployOps.Errors;

/// <summary>
/// Every error id DeployOps uses. They are a contract: scripts and tests match
/// <c>FullyQualifiedErrorId</c> on them, so an id is never renamed.
/// </summary>
public static class ErrorIds
{
    // Configuration: nothing can work.
    public const string NoCredentials = nameof(NoCredentials);
    public const string NoRegion = nameof(NoRegion);
    public const string ProfileNotFound = nameof(ProfileNotFound);
    public const string ProfileFileNotFound = nameof(ProfileFileNotFound);
    public const string ProfileFileInvalid = nameof(ProfileFileInvalid);
    public const string InvalidMaxAttempts = nameof(InvalidMaxAttempts);
    public const string InvalidRegion = nameof(InvalidRegion);
    public const string InvalidEndpointUrl = nameof(InvalidEndpointUrl);
    public const string EnvironmentNotFound = nameof(EnvironmentNotFound);
    public const string EnvironmentFileInvalid = nameof(EnvironmentFileInvalid);
    public const string EnvironmentFileNotFound = nameof(EnvironmentFileNotFound);
    public const string NotAFileSystemPath = nameof(NotAFileSystemPath);
    public const string MissingCluster = nameof(MissingCluster);
    public const string InvalidWaitSettings = nameof(InvalidWaitSettings);
    public const string InvalidDeploymentId = nameof(InvalidDeploymentId);

    // Resources.
    public const string ClusterNotFound = nameof(ClusterNotFound);
    public const string ServiceNotFound = nameof(ServiceNotFound);
    public const string NoServicesFound = nameof(NoServicesFound);
    public const string TargetGroupNotFound = nameof(TargetGroupNotFound);
    public const string StackNotFound = nameof(StackNotFound);
    public const string InvalidTargetGroupArn = nameof(InvalidTargetGroupArn);
    public const string InvalidHealthCheckPath = nameof(InvalidHealthCheckPath);
    public const string InvalidMatcher = nameof(InvalidMatcher);
    public const string ServiceNotUsingTargetGroup = nameof(ServiceNotUsingTargetGroup);
    public const string DeploymentNotFound = nameof(DeploymentNotFound);

    // AWS and network.
    public const string AccessDenied = nameof(AccessDenied);
    public const string Throttled = nameof(Throttled);
    public const string EndpointUnreachable = nameof(EndpointUnreachable);
    public const string UnexpectedEndpointResponse = nameof(UnexpectedEndpointResponse);
    public const string AwsRequestFailed = nameof(AwsRequestFailed);
    public const string ResourceBusy = nameof(ResourceBusy);
    public const string AlreadyExists = nameof(AlreadyExists);
    public const string OutcomeUnknown = nameof(OutcomeUnknown);

    // Deployments.
    public const string DeploymentFailed = nameof(DeploymentFailed);
    public const string DeploymentRolledBack = nameof(DeploymentRolledBack);
    public const string TasksFailing = nameof(TasksFailing);
    public const string DeploymentWaitTimedOut = nameof(DeploymentWaitTimedOut);

    // DeployOps itself: a bug, never an AWS failure.
    public const string DeployOpsDefect = nameof(DeployOpsDefect);

    // Endpoints.
    public const string InvalidUrl = nameof(InvalidUrl);
    public const string EndpointCheckFailed = nameof(EndpointCheckFailed);

    // Deployment coordination (runbook 001): the registry, notifications, the monitor.
    public const string RegistryUnavailable = nameof(RegistryUnavailable);
    public const string RegistryLocked = nameof(RegistryLocked);
    public const string InvalidCorrelationId = nameof(InvalidCorrelationId);
    public const string DeploymentRecordNotFound = nameof(DeploymentRecordNotFound);
    public const string DuplicateCorrelationId = nameof(DuplicateCorrelationId);
    public const string DeploymentAlreadyActive = nameof(DeploymentAlreadyActive);
    public const string NotificationNotConfigured = nameof(NotificationNotConfigured);
    public const string InvalidNotificationDestination = nameof(InvalidNotificationDestination);
    public const string InvalidNotification = nameof(InvalidNotification);
    public const string NotificationDeadLettered = nameof(NotificationDeadLettered);
    public const string NotificationQueueItemNotFound = nameof(NotificationQueueItemNotFound);
    public const string NotificationQueueUnavailable = nameof(NotificationQueueUnavailable);
    public const string InvalidMonitorSettings = nameof(InvalidMonitorSettings);
    public const string MonitorNotFound = nameof(MonitorNotFound);
    // CloudFormation stacks (runbook 001).
    public const string StackActionNotAllowed = nameof(StackActionNotAllowed);
    public const string InvalidResourcesToSkip = nameof(InvalidResourcesToSkip);
    public const string InvalidRetainResources = nameof(InvalidRetainResources);
    public const string StackOperationFailed = nameof(StackOperationFailed);
    public const string StackRollingBack = nameof(StackRollingBack);
    public const string StackWaitTimedOut = nameof(StackWaitTimedOut);
    public const string InvalidStackName = nameof(InvalidStackName);
    public const string HistoryFileInvalid = nameof(HistoryFileInvalid);
    public const string NoDeploymentHistory = nameof(NoDeploymentHistory);
    // Lightsail container services and post-deploy verification (runbook 003).
    public const string LightsailServiceNotFound = nameof(LightsailServiceNotFound);
    public const string LightsailContainerNotFound = nameof(LightsailContainerNotFound);
    public const string LightsailImageNotFound = nameof(LightsailImageNotFound);
    public const string LightsailDeploymentNotFound = nameof(LightsailDeploymentNotFound);
    public const string LightsailServiceBusy = nameof(LightsailServiceBusy);
    public const string InvalidImageReference = nameof(InvalidImageReference);
    public const string InvalidEnvironmentName = nameof(InvalidEnvironmentName);
    public const string RequiredEnvironmentMissing = nameof(RequiredEnvironmentMissing);
    public const string NothingToRollBackTo = nameof(NothingToRollBackTo);
    public const string VerificationFailed = nameof(VerificationFailed);
    public const string VerificationIncomplete = nameof(VerificationIncomplete);
    public const string InvalidStartupPhase = nameof(InvalidStartupPhase);
    public const string InvalidCapacity = nameof(InvalidCapacity);
    // Network path, task definition history, rollback (issue 8).
    public const string InvalidDatabasePort = nameof(InvalidDatabasePort);
    public const string InvalidSecurityGroupId = nameof(InvalidSecurityGroupId);
    public const string InvalidTaskDefinition = nameof(InvalidTaskDefinition);
    public const string TaskDefinitionNotFound = nameof(TaskDefinitionNotFound);
    public const string TaskDefinitionInactive = nameof(TaskDefinitionInactive);
    public const string RollbackTargetRunning = nameof(RollbackTargetRunning);
    public const string NoRollbackTarget = nameof(NoRollbackTarget);
    public const string NoVerifiedRevision = nameof(NoVerifiedRevision);
    public const string JournalUnreadable = nameof(JournalUnreadable);
    public const string InvalidReadyPattern = nameof(InvalidReadyPattern);
    public const string MissingService = nameof(MissingService);
    // Task failures, logs, startup and metrics.
    public const string InvalidTimeWindow = nameof(InvalidTimeWindow);
    public const string TaskNotFound = nameof(TaskNotFound);
    public const string NoAwsLogs = nameof(NoAwsLogs);
    public const string ContainerNotFound = nameof(ContainerNotFound);
    public const string NoStartupPhases = nameof(NoStartupPhases);
    public const string InvalidMetricPeriod = nameof(InvalidMetricPeriod);

    // Runbook 004, WAF and alarms (Get-WafBlockedRequest, Test-AlarmNotification).
    public const string LoadBalancerNotFound = nameof(LoadBalancerNotFound);
    public const string AlarmNotFound = nameof(AlarmNotFound);
    public const string InvalidClientIp = nameof(InvalidClientIp);
    public const string InvalidSampleCount = nameof(InvalidSampleCount);
    public const string InvalidFlapThreshold = nameof(InvalidFlapThreshold);

    // Load balancers (Get-LoadBalancerHealth, Set-LoadBalancerAttribute; LoadBalancerNotFound above).
    public const string NoLoadBalancer = nameof(NoLoadBalancer);
    public const string InvalidIdleTimeout = nameof(InvalidIdleTimeout);
    public const string InvalidLoadBalancerName = nameof(InvalidLoadBalancerName);

    // Databases and the VPC (issue 9b).
    public const string DatabaseClusterNotFound = nameof(DatabaseClusterNotFound);
    public const string DatabaseClusterNotStartable = nameof(DatabaseClusterNotStartable);
    public const string DatabaseClusterStartFailed = nameof(DatabaseClusterStartFailed);
    public const string DatabaseWaitTimedOut = nameof(DatabaseWaitTimedOut);
    public const string InvalidDatabaseVariable = nameof(InvalidDatabaseVariable);
    public const string VpcNotFound = nameof(VpcNotFound);
    public const string InvalidVpcId = nameof(InvalidVpcId);

    // RDS DB instances (Test-DatabaseConnectivity -DatabaseInstance, Start-DatabaseInstance).
    public const string DatabaseInstanceNotFound = nameof(DatabaseInstanceNotFound);
    public const string DatabaseInstanceNotStartable = nameof(DatabaseInstanceNotStartable);
    public const string DatabaseInstanceStartFailed = nameof(DatabaseInstanceStartFailed);
    public const string DatabaseInstanceInCluster = nameof(DatabaseInstanceInCluster);
    public const string MissingDatabase = nameof(MissingDatabase);

    // Get-LoadBalancerHealth -DnsServer and Test-VpcNetwork's flow-log role (issue 9, helper net).
    public const string InvalidDnsServer = nameof(InvalidDnsServer);
}
