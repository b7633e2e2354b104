using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.Ec2;
using DeployOps.Aws.Ecs;
using DeployOps.Facts;
using DeployOps.Health;
using DeployOps.Operations;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>
/// The rules in the cases the sandbox's scenarios do not reach: precedence between categories,
/// status for a cause found while checks pass, the log line chosen, the security-group sentences.
/// </summary>
public sealed class ClassifierRulesTests
{
    private static EcsService Service(int running = 2, int desired = 2, string rollout = "COMPLETED", int failedTasks = 0) => new()
    {
        Name = "api",
        ClusterArn = "arn:aws:ecs:us-east-1:123456789012:cluster/web",
        Status = "ACTIVE",
        DesiredCount = desired,
        RunningCount = running,
        Deployments = new[] { new EcsDeployment { Id = "ecs-svc/1", Status = "PRIMARY", RolloutState = rollout, FailedTasks = failedTasks, DesiredCount = desired, RunningCount = running } },
        LoadBalancers = new[] { new EcsLoadBalancer("arn:tg", null, "app", 8000) },
    };

    private static TargetGroupHealth Group(params TargetHealthInfo[] targets) => new()
    {
        TargetGroupArn = "arn:tg",
        TargetGroupName = "web-tg",
        HealthCheckPath = "/health/",
        Matcher = "200",
        Targets = targets.ToPrintableList(),
    };

    private static TargetHealthInfo Target(string state, string? reason = null, string? description = null) =>
        new() { Id = "10.0.0.1", Port = 8000, State = state, Reason = reason, Description = description };

    private static EcsTask Stopped(string stopCode, string reason, int? exitCode = null, string? containerReason = null) => new()
    {
        Arn = "arn:aws:ecs:us-east-1:123456789012:task/web/abc",
        StartedBy = "ecs-svc/1",
        StopCode = stopCode,
        StoppedReason = reason,
        Containers = new[] { new EcsContainer("app", "web:1", "STOPPED", exitCode, containerReason, null) },
    };

    private static ServiceFacts Facts(EcsService service, TargetGroupHealth group, string? expectedPath = null) =>
        new("web", service, new[] { group }, new ServiceExpectation(expectedPath, null)) { Identity = "account 123456789012" };

    [Fact]
    public void Tasks_that_fail_to_start_win_over_an_unhealthy_target()
    {
        var facts = Facts(Service(running: 0, rollout: "FAILED", failedTasks: 3), Group(Target("unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [404]")));
        facts.StoppedTasks = new[] { Stopped("TaskFailedToStart", "CannotPullContainerError: not found") };

        var verdict = HealthClassifier.Classify(facts);

        Assert.Equal((RootCauseCategory.ApplicationNotStarting, HealthStatus.Error), (verdict.Category, verdict.Status));
        Assert.Contains(verdict.Evidence, e => e.SourceKind == EvidenceSource.StoppedTask && e.Detail.Contains("CannotPullContainerError"));
    }

    [Fact]
    public void An_empty_target_group_while_tasks_run_sends_the_inspector_to_the_stopped_tasks()
    {
        // A crash loop after a completed rollout (out of memory): ECS counts no failed tasks, one task runs and is not
        // registered yet, the killed one is gone from the group. The first round must ask for the stopped tasks.
        var facts = Facts(Service(running: 1), Group());

        Assert.True(facts.SuggestsMissingTargets);
        Assert.True(facts.SuggestsFailingTasks);
    }

    [Fact]
    public void Tasks_killed_for_memory_win_over_an_empty_target_group()
    {
        var facts = Facts(Service(running: 1), Group());
        facts.StoppedTasks = new[] { Stopped("EssentialContainerExited", "Essential container in task exited", exitCode: 137, containerReason: "OutOfMemoryError: Container killed due to memory usage") };

        var verdict = HealthClassifier.Classify(facts);

        Assert.Equal((RootCauseCategory.ApplicationNotStarting, HealthStatus.Error), (verdict.Category, verdict.Status));
        Assert.Contains(verdict.Evidence, e => e.SourceKind == EvidenceSource.StoppedTask && e.Detail.Contains("OutOfMemoryError"));
    }

    [Fact]
    public void Stops_for_elb_health_checks_are_not_an_application_failure()
    {
        var facts = Facts(Service(failedTasks: 2), Group(Target("unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [404]")));
        facts.StoppedTasks = new[] { Stopped("ServiceSchedulerInitiated", "Task failed ELB health checks in (target-group arn:tg)", exitCode: 0) };

        Assert.Equal(RootCauseCategory.HealthCheckMismatch, HealthClassifier.Classify(facts).Category);
    }

    [Fact]
    public void Path_that_differs_while_targets_are_healthy_is_a_warning()
    {
        var verdict = HealthClassifier.Classify(Facts(Service(), Group(Target("healthy")), expectedPath: "/api/health/"));

        Assert.Equal((RootCauseCategory.HealthCheckMismatch, HealthStatus.Warning), (verdict.Category, verdict.Status));
    }

    [Fact]
    public void Rollout_in_progress_with_initial_targets_is_a_warning_without_a_cause()
    {
        var verdict = HealthClassifier.Classify(Facts(Service(rollout: "IN_PROGRESS"), Group(Target("initial", "Elb.InitialHealthChecking", "Initial health checks in progress"))));

        Assert.Equal((RootCauseCategory.None, HealthStatus.Warning), (verdict.Category, verdict.Status));
        Assert.Contains("Wait-EcsDeployment", verdict.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void Tasks_killed_while_the_checks_pass_still_name_the_cause()
    {
        var facts = Facts(Service(failedTasks: 1), Group(Target("healthy")));
        facts.StoppedTasks = new[] { Stopped("EssentialContainerExited", "Essential container in task exited", exitCode: 137, containerReason: "OutOfMemoryError: Container killed due to memory usage") };

        var verdict = HealthClassifier.Classify(facts);

        Assert.Equal((RootCauseCategory.ApplicationNotStarting, HealthStatus.Warning), (verdict.Category, verdict.Status));
        Assert.Contains(verdict.Evidence, e => e.Detail.Contains("exit code 137") && e.Detail.Contains("OutOfMemoryError"));
    }

    [Fact]
    public void Unhealthy_for_an_unknown_reason_is_undetermined()
    {
        var verdict = HealthClassifier.Classify(Facts(Service(), Group(Target("unhealthy", "Target.InvalidState", "Target is in the stopped state"))));

        Assert.Equal((RootCauseCategory.Undetermined, HealthStatus.Error), (verdict.Category, verdict.Status));
    }

    [Fact]
    public void Facts_that_could_not_be_read_are_said()
    {
        var facts = Facts(Service(running: 0, rollout: "FAILED", failedTasks: 3), Group());
        facts.AddGap(new Gap("stopped tasks of api", "ThrottlingException after 3 attempts"));

        Assert.Contains(HealthClassifier.Classify(facts).Evidence, e => e.SourceKind == EvidenceSource.NotRead && e.Detail == "Not read: stopped tasks of api (ThrottlingException after 3 attempts)");
    }

    [Theory]
    [InlineData(new[] { "Starting", "[ERROR] Exception in worker process", "Traceback (most recent call last):", "django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty.", "[INFO] Worker exiting" },
        "django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty.")]
    [InlineData(new[] { "boot", "KeyError: 'REDIS_URL'", "shutting down" }, "KeyError: 'REDIS_URL'")]
    [InlineData(new[] { "boot", "[ERROR] worker timeout", "bye" }, "[ERROR] worker timeout")]
    [InlineData(new[] { "all fine", "bye" }, null)]
    public void The_log_line_chosen_is_the_most_specific_explanation(string[] lines, string? expected) =>
        Assert.Equal(expected, ApplicationLogReader.Explaining(lines));

    [Fact]
    public void Security_group_sentences_name_the_missing_rule()
    {
        var task = new Ec2SecurityGroup { Id = "sg-task", Name = "backend", Ingress = new[] { new Ec2Permission { Protocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = new[] { "0.0.0.0/0" } } } };
        var alb = new Ec2SecurityGroup { Id = "sg-alb", Name = "alb", Egress = new[] { new Ec2Permission { Protocol = "-1", Ipv4Ranges = new[] { "0.0.0.0/0" } } } };
        var source = new NetworkSide("the load balancer", new[] { "sg-alb" }, new[] { "10.0.0.0/24" });
        var destination = new NetworkSide("the service's tasks", new[] { "sg-task" }, new[] { "10.0.10.0/24" });

        var blocked = SecurityGroupPath.Explain(new[] { task, alb }, source, destination, 8000);
        var byGroup = SecurityGroupPath.Explain(new[] { task with { Ingress = new[] { new Ec2Permission { Protocol = "tcp", FromPort = 8000, ToPort = 8000, SecurityGroupIds = new[] { "sg-alb" } } } }, alb },
            source, destination, 8000);
        var byVpcCidr = SecurityGroupPath.Explain(new[] { task with { Ingress = new[] { new Ec2Permission { Protocol = "tcp", FromPort = 8000, ToPort = 8010, Ipv4Ranges = new[] { "10.0.0.0/16" } } } }, alb },
            source, destination, 8000);
        var byOtherCidr = SecurityGroupPath.Explain(new[] { task with { Ingress = new[] { new Ec2Permission { Protocol = "tcp", FromPort = 8000, ToPort = 8000, Ipv4Ranges = new[] { "10.9.0.0/16" } } } }, alb },
            source, destination, 8000);

        Assert.Equal("Security group sg-task (backend) of the service's tasks allows no inbound TCP 8000 from the load balancer's security group sg-alb (alb)", Assert.Single(blocked));
        Assert.Empty(byGroup);
        Assert.Empty(byVpcCidr);
        Assert.Single(byOtherCidr);
    }
}
