using System;
using DeployOps.Aws.Ecs;
using DeployOps.TaskFailures;
using Xunit;

namespace DeployOps.Engine.Tests.TaskFailures;

/// <summary>
/// The classifier on ECS's own words, including causes the sandbox cannot produce (access denied, no route, placement).
/// The reasons are the shapes ECS and the Fargate agent write them in.
/// </summary>
public sealed class TaskFailureClassifierTests
{
    private const string Ecr = "123456789012.dkr.ecr.us-east-1.amazonaws.com/lightwave/backend:1.5.1";
    private const string SecretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:lightwave/dev/django-secret-key";

    private static EcsTask Task(string stopCode, string stoppedReason, int? exitCode = null, string? containerReason = null, string image = Ecr) => new()
    {
        Arn = "arn:aws:ecs:us-east-1:123456789012:task/lightwave-dev-ecs-cluster/0123456789abcdef0123456789abcdef",
        StopCode = stopCode,
        StoppedReason = stoppedReason,
        StoppedAt = DateTimeOffset.UtcNow,
        Containers = new[] { new EcsContainer("backend", image, "STOPPED", exitCode, containerReason, null) },
    };

    private static TaskFailureClassification FailedToStart(string reason) => TaskFailureClassifier.Classify(Task(EcsStopCode.TaskFailedToStart, reason, containerReason: reason));

    [Theory]
    [InlineData(1, "application error")]
    [InlineData(137, "SIGKILL: killed (out of memory, or it did not stop within the stop timeout)")]
    [InlineData(139, "SIGSEGV: segmentation fault")]
    [InlineData(143, "SIGTERM: terminated (ECS stopped it, or it exited on SIGTERM)")]
    [InlineData(127, "command not found (check the entryPoint and command)")]
    [InlineData(130, "killed by signal 2")]
    [InlineData(3, "an exit code the application defines")]
    public void Application_exit_carries_the_exit_code_and_its_meaning(int exitCode, string meaning)
    {
        var result = TaskFailureClassifier.Classify(Task(EcsStopCode.EssentialContainerExited, "Essential container in task exited", exitCode));

        Assert.Equal(TaskFailureCause.ApplicationExit, result.Cause);
        Assert.Equal(TaskFailureFamily.ApplicationExit, result.Family);
        Assert.Equal(("backend", exitCode, meaning), (result.Container, result.ExitCode, result.ExitCodeMeaning));
        Assert.Equal($"ApplicationExit: container backend exited {exitCode} ({meaning})", result.Summary);
        Assert.True(result.IsFailure);
    }

    [Fact]
    public void Out_of_memory_is_told_from_a_plain_sigkill_by_the_container_reason()
    {
        var oom = TaskFailureClassifier.Classify(Task(EcsStopCode.EssentialContainerExited, "Essential container in task exited", 137,
            "OutOfMemoryError: Container killed due to memory usage"));
        var killed = TaskFailureClassifier.Classify(Task(EcsStopCode.EssentialContainerExited, "Essential container in task exited", 137));

        Assert.Equal((TaskFailureCause.OutOfMemory, 137), (oom.Cause, oom.ExitCode));
        Assert.Equal("Essential container in task exited; OutOfMemoryError: Container killed due to memory usage", oom.Reason);
        Assert.Equal(TaskFailureCause.ApplicationExit, killed.Cause);
    }

    [Theory]
    [InlineData("CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref " + Ecr + ": " + Ecr + ": not found", TaskFailureCause.ImageNotFound)]
    [InlineData("CannotPullContainerError: Error response from daemon: manifest for " + Ecr + " not found: manifest unknown: Requested image not found", TaskFailureCause.ImageNotFound)]
    [InlineData("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " + Ecr + ": pulling from host 123456789012.dkr.ecr.us-east-1.amazonaws.com failed with status code [manifests 1.5.1]: 403 Forbidden", TaskFailureCause.ImageAccessDenied)]
    [InlineData("CannotPullContainerError: Error response from daemon: pull access denied for lightwave/private, repository does not exist or may require 'docker login': denied: requested access to the resource is denied", TaskFailureCause.ImageAccessDenied)]
    [InlineData("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/abc is not authorized to perform: ecr:GetAuthorizationToken on resource: *", TaskFailureCause.ImageAccessDenied)]
    [InlineData("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " + Ecr + ": failed to do request: Head \"https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/lightwave/backend/manifests/1.5.1\": dial tcp 10.0.3.17:443: i/o timeout", TaskFailureCause.ImageNoNetworkRoute)]
    [InlineData("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post \"https://api.ecr.us-east-1.amazonaws.com/\": dial tcp 52.46.1.1:443: i/o timeout", TaskFailureCause.ImageNoNetworkRoute)]
    [InlineData("CannotPullContainerError: Error response from daemon: toomanyrequests: You have reached your pull rate limit.", TaskFailureCause.ImagePullFailed)]
    public void Image_pull_failures_are_told_apart(string reason, TaskFailureCause expected)
    {
        var result = FailedToStart(reason);

        Assert.Equal(expected, result.Cause);
        Assert.Equal(TaskFailureFamily.ImagePull, result.Family);
        Assert.Equal(Ecr, result.Subject);
    }

    [Theory]
    [InlineData("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret " + SecretArn + " from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret.", TaskFailureCause.SecretNotFound)]
    [InlineData("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret " + SecretArn + " from secrets manager: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/abc is not authorized to perform: secretsmanager:GetSecretValue on resource: " + SecretArn, TaskFailureCause.SecretAccessDenied)]
    [InlineData("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret " + SecretArn + " from secrets manager: RequestCanceled: request context canceled caused by: context deadline exceeded", TaskFailureCause.SecretNoNetworkRoute)]
    [InlineData("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 5 time(s): RequestCanceled: request context canceled caused by: context deadline exceeded", TaskFailureCause.SecretNoNetworkRoute)]
    [InlineData("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid ssm parameters: /lightwave/dev/api-key", TaskFailureCause.SecretNotFound)]
    [InlineData("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret " + SecretArn + " from secrets manager: KMS.DisabledException: key is disabled", TaskFailureCause.SecretAccessDenied)]
    [InlineData("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: something else went wrong", TaskFailureCause.SecretRetrievalFailed)]
    public void Secret_failures_tell_a_missing_secret_from_a_missing_route_or_permission(string reason, TaskFailureCause expected)
    {
        var result = FailedToStart(reason);

        Assert.Equal(expected, result.Cause);
        Assert.Equal(TaskFailureFamily.Secret, result.Family);
        if (reason.Contains(SecretArn, StringComparison.Ordinal))
        {
            Assert.Equal(SecretArn, result.Subject);
        }
    }

    [Fact]
    public void Missing_log_group_is_its_own_cause()
    {
        var result = FailedToStart("ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: " +
                                   "ResourceNotFoundException: The specified log group does not exist. : exit status 1");

        Assert.Equal((TaskFailureCause.LogGroupNotFound, TaskFailureFamily.Logging), (result.Cause, result.Family));
    }

    [Theory]
    [InlineData("(service lightwave-backend-api-dev) failed to launch a task with (error ENI: InsufficientFreeAddressesInSubnet: insufficient free address to allocate).", TaskFailureCause.SubnetIpExhausted)]
    [InlineData("(service lightwave-backend-api-dev) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 4f4d) has insufficient CPU units available.", TaskFailureCause.InsufficientCpu)]
    [InlineData("(service lightwave-backend-api-dev) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 4f4d) has insufficient memory available.", TaskFailureCause.InsufficientMemory)]
    [InlineData("(service lightwave-backend-api-dev) was unable to place a task. Reason: Capacity is unavailable at this time.", TaskFailureCause.InsufficientCapacity)]
    public void Placement_events_name_the_missing_resource(string message, TaskFailureCause expected)
    {
        var result = TaskFailureClassifier.ClassifyEvent(new EcsServiceEvent("id", DateTimeOffset.UtcNow, message));

        Assert.NotNull(result);
        Assert.Equal((expected, TaskFailureFamily.Placement, message), (result!.Cause, result.Family, result.Reason));
    }

    [Theory]
    [InlineData("(service lightwave-backend-api-dev) has reached a steady state.")]
    [InlineData("(service lightwave-backend-api-dev) has started 2 tasks: (task a) (task b).")]
    public void Other_events_are_no_placement_failure(string message) =>
        Assert.Null(TaskFailureClassifier.ClassifyEvent(new EcsServiceEvent("id", DateTimeOffset.UtcNow, message)));

    [Fact]
    public void Failed_elb_health_checks_name_the_target_group()
    {
        const string group = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lightwave-dev-backend-tg/0123456789abcdef";

        var result = TaskFailureClassifier.Classify(Task(EcsStopCode.ServiceSchedulerInitiated, $"Task failed ELB health checks in (target-group {group})", 143));

        Assert.Equal((TaskFailureCause.ElbHealthCheckFailed, TaskFailureFamily.HealthCheck, group), (result.Cause, result.Family, result.Subject));
    }

    [Fact]
    public void Failed_container_health_checks_are_a_failure_too()
    {
        var result = TaskFailureClassifier.Classify(Task(EcsStopCode.ServiceSchedulerInitiated, "Task failed container health checks", 143));

        Assert.Equal((TaskFailureCause.ContainerHealthCheckFailed, true), (result.Cause, result.IsFailure));
    }

    [Theory]
    [InlineData(EcsStopCode.ServiceSchedulerInitiated, "Scaling activity initiated by (deployment ecs-svc/1234567890123456789)")]
    [InlineData(EcsStopCode.ServiceSchedulerInitiated, "Service deleted")]
    [InlineData(EcsStopCode.UserInitiated, "Task stopped by user")]
    [InlineData(EcsStopCode.SpotInterruption, "Your Spot Task was interrupted.")]
    public void Scaling_deployment_and_user_stops_are_not_failures(string stopCode, string reason)
    {
        var result = TaskFailureClassifier.Classify(Task(stopCode, reason, 0));

        Assert.Equal((TaskFailureCause.NotAFailure, TaskFailureFamily.NotAFailure, false), (result.Cause, result.Family, result.IsFailure));
    }

    [Fact]
    public void A_container_that_cannot_start_and_an_unexplained_stop()
    {
        var start = FailedToStart("CannotStartContainerError: Error response from daemon: failed to create shim task: exec: \"/app/run.sh\": permission denied");
        var unknown = TaskFailureClassifier.Classify(Task(EcsStopCode.TaskFailedToStart, "Timeout waiting for network interface provisioning to complete."));

        Assert.Equal(TaskFailureCause.ContainerStartFailed, start.Cause);
        Assert.Equal((TaskFailureCause.Unknown, TaskFailureFamily.Unknown), (unknown.Cause, unknown.Family));
    }

    [Fact]
    public void Dominant_cause_is_the_most_frequent_failure_and_ignores_scaling_stops()
    {
        var tasks = new[]
        {
            Task(EcsStopCode.ServiceSchedulerInitiated, "Scaling activity initiated by (deployment ecs-svc/1)", 0),
            Task(EcsStopCode.ServiceSchedulerInitiated, "Scaling activity initiated by (deployment ecs-svc/1)", 0),
            Task(EcsStopCode.ServiceSchedulerInitiated, "Scaling activity initiated by (deployment ecs-svc/1)", 0),
            Task(EcsStopCode.EssentialContainerExited, "Essential container in task exited", 1),
            Task(EcsStopCode.EssentialContainerExited, "Essential container in task exited", 1),
            Task(EcsStopCode.EssentialContainerExited, "Essential container in task exited", 137, "OutOfMemoryError: Container killed due to memory usage"),
        };

        var dominant = TaskFailureClassifier.Dominant(tasks);

        Assert.Equal((TaskFailureCause.ApplicationExit, 1), (dominant!.Cause, dominant.ExitCode));
        Assert.Null(TaskFailureClassifier.Dominant(tasks[..3]));
    }
}
