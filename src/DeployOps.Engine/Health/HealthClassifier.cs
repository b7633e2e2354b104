using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.ElasticLoadBalancing;
using DeployOps.TaskFailures;
using DeployOps.Verification;

namespace DeployOps.Health;

/// <summary>
/// Runbook 000 steps 1 and 2 as rules: from a service's facts, the checks, the status, the
/// root-cause category, the evidence that decided it and the recommended next step. Pure: the
/// same facts always give the same verdict.
/// </summary>
public static class HealthClassifier
{
    public const string PrerequisitesCheck = "Prerequisites";
    public const string HealthCheckPathCheck = "Health check path";
    public const string TargetHealthCheck = "Target health";
    public const string ServiceStabilityCheck = "Service stability";
    public const string EndpointCheck = "Health endpoint";
    public const string StartupSequenceCheck = "Startup sequence";
    public const string LoadBalancerCheck = "Load balancer";

    /// <summary>The verdict: category, status, evidence, recommended action and checks; in category B the sub-cause.</summary>
    public sealed record Verdict(
        HealthStatus Status,
        RootCauseCategory Category,
        IReadOnlyList<HealthEvidence> Evidence,
        string RecommendedAction,
        IReadOnlyList<HealthCheckResult> Checks)
    {
        /// <summary>In category B, what the tasks fail with (the failure analysis' cause); else null.</summary>
        public TaskFailureCause? SubCause { get; init; }
    }

    public static Verdict Classify(ServiceFacts facts)
    {
        var checks = new List<HealthCheckResult>
        {
            CheckPrerequisites(facts),
            CheckHealthCheckPath(facts),
            CheckTargets(facts),
            CheckStability(facts),
            CheckEndpoint(facts),
            CheckStartupSequence(facts),
            CheckLoadBalancer(facts),
        };

        var (category, evidence) = Categorize(facts);
        var status = checks.Any(c => c.OutcomeKind == CheckOutcome.Fail) ? HealthStatus.Error
            : checks.Any(c => c.OutcomeKind == CheckOutcome.Warning) ? HealthStatus.Warning
            : HealthStatus.Healthy;
        if (category == RootCauseCategory.None && status == HealthStatus.Error)
        {
            // Something failed that no category explains (e.g. only the public endpoint is down).
            category = RootCauseCategory.Undetermined;
        }
        else if (category != RootCauseCategory.None && status == HealthStatus.Healthy)
        {
            // A cause was found (e.g. tasks that keep dying) even though this moment's checks pass.
            status = HealthStatus.Warning;
        }

        // A report with a gap never claims Healthy: what was read is fine, but the verdict is incomplete.
        var gaps = facts.Gaps;
        if (gaps.Count > 0 && status == HealthStatus.Healthy)
        {
            status = HealthStatus.Unknown;
        }

        evidence.AddRange(gaps.Select(gap => new HealthEvidence(EvidenceSource.NotRead, facts.Service.Name, gap.ToString())));
        var subCause = category == RootCauseCategory.ApplicationNotStarting ? SubCauseOf(facts) : null;
        return new Verdict(status, category, evidence, Recommend(facts, category, status, subCause), checks) { SubCause = subCause?.Cause };
    }

    /// <summary>
    /// Category B's sub-cause, from the failure analysis' own classification: what most stopped tasks failed with (out of
    /// memory, image pull, secret, an exit code), else a startup that never finished.
    /// </summary>
    private static TaskFailureClassification? SubCauseOf(ServiceFacts facts) =>
        TaskFailureClassifier.Dominant(facts.FailureStops) ?? TaskFailureClassifier.Dominant(facts.StoppedTasks)
        ?? (facts.IncompleteStartups.FirstOrDefault() is { } startup
            ? new TaskFailureClassification(TaskFailureCause.StartupIncomplete, startup.Container, null, startup.Detail, startup.MissingPhase)
            : null);

    // ------------------------------------------------------------------ step 2: the category

    private static (RootCauseCategory, List<HealthEvidence>) Categorize(ServiceFacts facts)
    {
        var evidence = new List<HealthEvidence>();
        var service = facts.Service;
        var primary = facts.Primary;

        // Category B: tasks fail to start or to stay up.
        var failures = facts.FailureStops.ToList();
        var rolloutFailed = primary?.RolloutFailed == true;
        var noneRunning = service.DesiredCount > 0 && service.RunningCount == 0 && service.PendingCount == 0 && service.Deployments.Any(d => d.FailedTasks > 0);
        var neverStarted = facts.IncompleteStartups.ToList();
        if (failures.Count > 0 || rolloutFailed || noneRunning || neverStarted.Count > 0)
        {
            evidence.Add(new HealthEvidence(EvidenceSource.TaskCount, service.Name, $"Running: {service.RunningCount}, Desired: {service.DesiredCount}"));
            if (rolloutFailed)
            {
                evidence.Add(new HealthEvidence(EvidenceSource.Deployment, primary!.Id, $"Deployment {primary.Id} FAILED: {primary.RolloutStateReason}"));
            }

            foreach (var stop in failures.GroupBy(f => (f.StopCode, f.StoppedReason, f.FailingContainer?.ExitCode, f.FailingContainer?.Reason)).Take(3))
            {
                var task = stop.First();
                var container = task.FailingContainer;
                var exit = container?.ExitCode is { } code ? $", container {container.Name} exit code {code}" : "";
                var reason = container?.Reason is { } containerReason && containerReason != task.StoppedReason ? $", {containerReason}" : "";
                evidence.Add(new HealthEvidence(EvidenceSource.StoppedTask, AwsArn.LastSegment(task.Arn),
                    $"{stop.Count()} stopped task(s): {task.StopCode}: {task.StoppedReason}{exit}{reason}"));
            }

            if (facts.ApplicationLog is { } log)
            {
                evidence.Add(new HealthEvidence(EvidenceSource.ApplicationLog, $"{log.LogGroup}:{log.LogStream}", log.Line));
            }

            AddHops(evidence, facts);
            evidence.AddRange(neverStarted.Take(3).Select(s => new HealthEvidence(EvidenceSource.StartupSequence, s.Task, $"Task {s.Task}: {s.Detail}")));

            AddEvents(evidence, service, m => m.Contains("deployment failed") || m.Contains("unable to consistently start tasks"));
            return (RootCauseCategory.ApplicationNotStarting, evidence);
        }

        // Category A: the target group checks what the application does not answer.
        var mismatched = facts.ActiveTargets.Where(t => t.Reason == ElbTargetReason.ResponseCodeMismatch).ToList();
        var wrongPaths = facts.TargetGroups.Where(g => PathDiffers(g, facts.Expectation)).ToList();
        if (mismatched.Count > 0 || wrongPaths.Count > 0)
        {
            foreach (var group in wrongPaths)
            {
                evidence.Add(new HealthEvidence(EvidenceSource.HealthCheckPath, group.TargetGroupName,
                    $"Health check path '{group.HealthCheckPath}' differs from the expected '{facts.Expectation.HealthCheckPath}'"));
            }

            AddTargetReasons(evidence, facts, mismatched);
            AddEvents(evidence, service, m => m.Contains("failed ELB health checks"));
            return (RootCauseCategory.HealthCheckMismatch, evidence);
        }

        // Category C: a target group that no longer exists, nothing registered, or the load balancer cannot reach the tasks.
        var unreachable = facts.UnreachableTargets.ToList();
        var empty = facts.TargetGroups.Where(g => g.Targets.All(t => t.State == ElbTargetState.Draining)).ToList();
        if (facts.MissingTargetGroups.Count > 0 || (service.RunningCount > 0 && (unreachable.Count > 0 || empty.Count > 0)) || facts.FailingHops.Any())
        {
            foreach (var arn in facts.MissingTargetGroups)
            {
                evidence.Add(new HealthEvidence(EvidenceSource.TargetHealth, AwsArn.TargetGroupName(arn),
                    $"Target group {AwsArn.TargetGroupName(arn)} does not exist, but the service's load balancer mapping names it ({arn})"));
            }

            foreach (var group in empty)
            {
                evidence.Add(new HealthEvidence(EvidenceSource.TargetHealth, group.TargetGroupName,
                    $"No targets registered in {group.TargetGroupName} while {service.RunningCount} task(s) run"));
            }

            if (facts.PortMappingFinding is { } mapping)
            {
                evidence.Add(new HealthEvidence(EvidenceSource.PortMapping, service.Name, mapping));
            }

            evidence.AddRange(facts.NetworkFindings.Select(f => new HealthEvidence(EvidenceSource.SecurityGroup, service.Name, f)));
            AddHops(evidence, facts);
            AddTargetReasons(evidence, facts, unreachable);
            AddEvents(evidence, service, m => m.Contains("unable to place a task"));
            return (RootCauseCategory.NetworkInfrastructure, evidence);
        }

        var unhealthy = facts.ActiveTargets.Where(t => t.State == ElbTargetState.Unhealthy).ToList();
        if (unhealthy.Count > 0)
        {
            AddTargetReasons(evidence, facts, unhealthy);
            return (RootCauseCategory.Undetermined, evidence);
        }

        // Runbook 004: the service looks healthy, but users of its load balancer get 502, 503 or 504.
        if (facts.LoadBalancerCauses.Count > 0)
        {
            evidence.AddRange(facts.LoadBalancerCauses.Select(c => new HealthEvidence(EvidenceSource.LoadBalancer, c.Resource,
                $"{c.StatusCode} {c.Cause}: {string.Join("; ", c.Evidence)}")));
            return (RootCauseCategory.LoadBalancer, evidence);
        }

        if (facts.Rollback is { } rollback)
        {
            evidence.Add(new HealthEvidence(EvidenceSource.Deployment, rollback.Rollback.FailedDeploymentId, RolledBack(facts, rollback)));
        }

        return (RootCauseCategory.None, evidence);
    }

    /// <summary>One piece of evidence per failing hop of the tasks' network path: its name, what decided it, and the fix.</summary>
    private static void AddHops(List<HealthEvidence> evidence, ServiceFacts facts)
    {
        foreach (var hop in facts.FailingHops)
        {
            evidence.Add(new HealthEvidence(EvidenceSource.NetworkPath, hop.Name, $"{hop.Name} fails: {string.Join("; ", hop.Evidence)}. Fix: {hop.Fix}"));
        }
    }

    /// <summary>"Deployment X of :2 FAILED (why) and the circuit breaker rolled back: deployment Y runs :1, the earlier revision."</summary>
    private static string RolledBack(ServiceFacts facts, RollbackFinding finding)
    {
        var rollback = finding.Rollback;
        var failed = finding.FailedTaskDefinition is { } arn ? $" of {AwsArn.LastSegment(arn)}" : "";
        var running = AwsArn.LastSegment(rollback.Rollback.TaskDefinition ?? facts.Service.TaskDefinition ?? "?");
        return $"Deployment {rollback.FailedDeploymentId}{failed} FAILED ({rollback.Reason}" + (finding.StopReason is { } why ? $": {why}" : "") +
               $") and the circuit breaker rolled back: deployment {rollback.Rollback.Id} runs {running}, the earlier revision" +
               (rollback.Completed ? "" : ", still rolling out");
    }

    private static bool PathDiffers(TargetGroupHealth group, ServiceExpectation expectation) =>
        expectation.HealthCheckPath is { } expected && !string.Equals(group.HealthCheckPath, expected, StringComparison.Ordinal);

    /// <summary>One piece of evidence per distinct target reason, with how many targets share it.</summary>
    private static void AddTargetReasons(List<HealthEvidence> evidence, ServiceFacts facts, IReadOnlyList<TargetHealthInfo> targets)
    {
        foreach (var group in facts.TargetGroups)
        {
            foreach (var reason in group.Targets.Where(targets.Contains).GroupBy(t => (t.State, t.Reason, t.Description)))
            {
                var first = reason.First();
                evidence.Add(new HealthEvidence(EvidenceSource.TargetHealth, group.TargetGroupName,
                    $"{reason.Count()} target(s) {first.State}: {first.Reason}: {first.Description} (e.g. {first.Id}:{first.Port})"));
            }
        }
    }

    private static void AddEvents(List<HealthEvidence> evidence, Aws.Ecs.EcsService service, Func<string, bool> matches)
    {
        var latest = service.Events.FirstOrDefault(e => matches(e.Message));
        if (latest is not null)
        {
            evidence.Add(new HealthEvidence(EvidenceSource.ServiceEvent, service.Name, latest.Message));
        }
    }

    // ------------------------------------------------------------------ step 1: the checks

    private static HealthCheckResult CheckPrerequisites(ServiceFacts facts) =>
        facts.IdentityProblem is { } problem
            ? new HealthCheckResult(PrerequisitesCheck, CheckOutcome.Warning, $"Could not confirm the caller's identity: {problem}")
            : new HealthCheckResult(PrerequisitesCheck, CheckOutcome.Pass, $"Credentials work ({facts.Identity ?? "identity not read"})");

    private static HealthCheckResult CheckHealthCheckPath(ServiceFacts facts)
    {
        if (facts.TargetGroups.Count == 0)
        {
            return new HealthCheckResult(HealthCheckPathCheck, CheckOutcome.Skipped, "The service has no target group");
        }

        var wrong = facts.TargetGroups.FirstOrDefault(g => PathDiffers(g, facts.Expectation));
        if (wrong is not null)
        {
            return new HealthCheckResult(HealthCheckPathCheck, CheckOutcome.Warning,
                $"Health check path '{wrong.HealthCheckPath}' may not match the application: expected '{facts.Expectation.HealthCheckPath}'");
        }

        var answeredWrong = facts.TargetGroups.FirstOrDefault(g => g.Targets.Any(t => t.Reason == ElbTargetReason.ResponseCodeMismatch));
        if (answeredWrong is not null)
        {
            return new HealthCheckResult(HealthCheckPathCheck, CheckOutcome.Warning,
                $"Health check path '{answeredWrong.HealthCheckPath}' gets codes the matcher '{answeredWrong.Matcher}' rejects");
        }

        var paths = string.Join(", ", facts.TargetGroups.Select(g => $"{g.TargetGroupName} {g.HealthCheckPath}"));
        return new HealthCheckResult(HealthCheckPathCheck, CheckOutcome.Pass,
            facts.Expectation.HealthCheckPath is null ? $"{paths} (no expected path to compare with)" : $"{paths} is valid");
    }

    private static HealthCheckResult CheckTargets(ServiceFacts facts)
    {
        if (facts.MissingTargetGroups.Count > 0)
        {
            return new HealthCheckResult(TargetHealthCheck, CheckOutcome.Fail,
                $"Target group {string.Join(", ", facts.MissingTargetGroups.Select(AwsArn.TargetGroupName))} does not exist");
        }

        if (facts.TargetGroups.Count == 0)
        {
            return facts.Service.LoadBalancers.Any(lb => lb.TargetGroupArn is not null)
                ? new HealthCheckResult(TargetHealthCheck, CheckOutcome.Skipped, "Target health was not read (see Evidence)")
                : new HealthCheckResult(TargetHealthCheck, CheckOutcome.Skipped, "The service has no target group");
        }

        var active = facts.ActiveTargets.ToList();
        var unhealthy = active.Where(t => t.State == ElbTargetState.Unhealthy).ToList();
        if (unhealthy.Count > 0)
        {
            var reasons = string.Join(", ", unhealthy.Select(t => t.Reason).Distinct());
            return new HealthCheckResult(TargetHealthCheck, CheckOutcome.Fail, $"{unhealthy.Count} of {active.Count} target(s) unhealthy: {reasons}");
        }

        if (active.Count == 0)
        {
            return new HealthCheckResult(TargetHealthCheck, CheckOutcome.Fail, "No targets registered to the target group");
        }

        var notHealthy = active.Where(t => t.State != ElbTargetState.Healthy).ToList();
        return notHealthy.Count > 0
            ? new HealthCheckResult(TargetHealthCheck, CheckOutcome.Warning, $"{notHealthy.Count} of {active.Count} target(s) not healthy yet ({string.Join(", ", notHealthy.Select(t => t.State).Distinct())})")
            : new HealthCheckResult(TargetHealthCheck, CheckOutcome.Pass, $"All {active.Count} target(s) healthy");
    }

    private static HealthCheckResult CheckStability(ServiceFacts facts)
    {
        var service = facts.Service;
        var primary = facts.Primary;
        var counts = $"Running: {service.RunningCount}, Desired: {service.DesiredCount}";
        if (primary?.RolloutFailed == true)
        {
            return new HealthCheckResult(ServiceStabilityCheck, CheckOutcome.Fail, $"Deployment failed: {primary.RolloutStateReason} ({counts})");
        }

        if (service.DesiredCount > 0 && service.RunningCount == 0)
        {
            return new HealthCheckResult(ServiceStabilityCheck, CheckOutcome.Fail, $"No task is running ({counts})");
        }

        if (primary?.RolloutState == EcsRolloutState.InProgress || service.Deployments.Count > 1)
        {
            return new HealthCheckResult(ServiceStabilityCheck, CheckOutcome.Warning, $"Deployment {primary?.Id} in progress ({counts})");
        }

        if (service.RunningCount < service.DesiredCount)
        {
            return new HealthCheckResult(ServiceStabilityCheck, CheckOutcome.Warning, $"Fewer tasks running than desired ({counts})");
        }

        return facts.Rollback is { } rollback
            ? new HealthCheckResult(ServiceStabilityCheck, CheckOutcome.Warning, $"Service is stable on the revision the circuit breaker rolled back to: {RolledBack(facts, rollback)} ({counts})")
            : new HealthCheckResult(ServiceStabilityCheck, CheckOutcome.Pass, $"Service is stable, rollout {primary?.RolloutState ?? EcsRolloutState.Completed} ({counts})");
    }

    private static HealthCheckResult CheckStartupSequence(ServiceFacts facts)
    {
        if (facts.Expectation.StartupPhases.Count == 0)
        {
            return new HealthCheckResult(StartupSequenceCheck, CheckOutcome.Skipped, "No startup phases known (the environment's startupPhases)");
        }

        if (facts.Startups.Count == 0)
        {
            return new HealthCheckResult(StartupSequenceCheck, CheckOutcome.Skipped, facts.SuggestsStartupCheck ? "The tasks' startup was not read (see Evidence)" : "No task is running");
        }

        var incomplete = facts.IncompleteStartups.ToList();
        if (incomplete.Count > 0)
        {
            return new HealthCheckResult(StartupSequenceCheck, CheckOutcome.Fail,
                $"{incomplete.Count} of {facts.Startups.Count} running task(s) never logged '{incomplete[0].MissingPhase}'");
        }

        var starting = facts.Startups.Count(s => s.StatusKind == StartupStatus.Starting);
        return starting > 0
            ? new HealthCheckResult(StartupSequenceCheck, CheckOutcome.Warning, $"{starting} of {facts.Startups.Count} running task(s) still starting")
            : new HealthCheckResult(StartupSequenceCheck, CheckOutcome.Pass, $"All {facts.Startups.Count} running task(s) logged every startup phase");
    }

    private static HealthCheckResult CheckLoadBalancer(ServiceFacts facts)
    {
        if (facts.LoadBalancersChecked.Count == 0)
        {
            return new HealthCheckResult(LoadBalancerCheck, CheckOutcome.Skipped, "No load balancer figures read (the service is behind none, or they could not be read)");
        }

        return facts.LoadBalancerCauses.Count == 0
            ? new HealthCheckResult(LoadBalancerCheck, CheckOutcome.Pass,
                $"{string.Join(", ", facts.LoadBalancersChecked)} answered no 502, 503 or 504 in the last {LoadBalancers.LoadBalancerTriage.Window.TotalMinutes:0} minutes")
            : new HealthCheckResult(LoadBalancerCheck, CheckOutcome.Fail,
                string.Join("; ", facts.LoadBalancerCauses.Select(c => $"{c.Resource} answers users {c.StatusCode}: {c.Cause}")));
    }

    private static HealthCheckResult CheckEndpoint(ServiceFacts facts)
    {
        if (facts.Endpoint is not { } endpoint)
        {
            return new HealthCheckResult(EndpointCheck, CheckOutcome.Skipped, "No public health URL known (-HealthUrl or the environment's publicHealthUrl)");
        }

        return endpoint.Success
            ? new HealthCheckResult(EndpointCheck, CheckOutcome.Pass, $"{endpoint.Url} answered {endpoint.StatusCode}")
            : new HealthCheckResult(EndpointCheck, CheckOutcome.Fail, $"{endpoint.Url} answered {endpoint.StatusCode?.ToString() ?? endpoint.Error ?? "nothing"}, expected {endpoint.ExpectedStatusCode}");
    }

    // ------------------------------------------------------------------ what to do next

    private static string Recommend(ServiceFacts facts, RootCauseCategory category, HealthStatus status, TaskFailureClassification? subCause)
    {
        var target = $"-Cluster {facts.Cluster} -Service {facts.Service.Name}";
        switch (category)
        {
            case RootCauseCategory.HealthCheckMismatch:
                var path = facts.Expectation.HealthCheckPath ?? "<the application's health path>";
                return $"Runbook 000 step 3A: point the target group at the application's health endpoint and redeploy: " +
                       $"Get-DeploymentHealth {target} | Repair-TargetGroupHealthCheck -HealthCheckPath {path} -Redeploy -Wait";
            case RootCauseCategory.ApplicationNotStarting when subCause is not null:
                var fix = TaskFailureFixes.For(subCause.Cause, new FixContext(facts.Cluster, facts.Service.Name)
                {
                    Container = subCause.Container,
                    ExitCode = subCause.ExitCode,
                    Image = subCause.Family == TaskFailureFamily.ImagePull ? subCause.Subject : null,
                    Secret = subCause.Family == TaskFailureFamily.Secret ? subCause.Subject : null,
                    TargetGroup = subCause.Cause == TaskFailureCause.ElbHealthCheckFailed && subCause.Subject is { } group ? AwsArn.TargetGroupName(group) : null,
                    MissingPhase = subCause.Cause == TaskFailureCause.StartupIncomplete ? subCause.Subject : null,
                });
                return $"Runbook 000 step 3B: {subCause.Summary}. {fix} Every cause, with logs and evidence: Get-EcsTaskFailure {target}";
            case RootCauseCategory.ApplicationNotStarting:
                return "Runbook 000 step 3B: tasks fail to start or stay up; fix what the evidence shows (task definition, environment, secrets, image, code), " +
                       $"then redeploy and wait: Restart-EcsService {target} -Wait";
            case RootCauseCategory.NetworkInfrastructure when facts.PortMappingFinding is not null:
                return "Runbook 000 step 3C: correct the service's load balancer mapping (container name and port) to match the task definition, then redeploy.";
            case RootCauseCategory.NetworkInfrastructure when facts.FailingHops.FirstOrDefault() is { } hop:
                return $"Runbook 000 step 3C, hop '{hop.Name}': {hop.Fix}" +
                       (hop.MissingRule is null ? "" : $". To add just that rule: Test-EcsNetworkPath {target} | Repair-EcsNetworkPath");
            case RootCauseCategory.NetworkInfrastructure when facts.NetworkFindings.Count > 0:
                return "Runbook 000 step 3C: allow the load balancer's security group into the tasks' security group on the container port, then check again.";
            case RootCauseCategory.NetworkInfrastructure:
                return "Runbook 000 step 3C: check target registration, the security groups between the load balancer and the tasks, and the container port mapping.";
            case RootCauseCategory.LoadBalancer:
                var cause = facts.LoadBalancerCauses[0];
                return $"Runbook 004 \"ALB returns 502/503 errors\": {cause.StatusCode} {cause.Cause}. {cause.Fix} Every cause, with figures: " +
                       $"Get-LoadBalancerHealth -Cluster {facts.Cluster} -Service {facts.Service.Name}";
            case RootCauseCategory.Undetermined:
                return "Runbook 000 step 2: the facts fit no category; read Evidence and RecentEvents, and escalate if this is not resolved within an hour.";
            case RootCauseCategory.None when facts.Rollback is { } rollback:
                var failedRevision = rollback.FailedTaskDefinition is { } arn ? AwsArn.LastSegment(arn) : "the new revision";
                return $"Runbook 002: the deployment of {failedRevision} failed and the circuit breaker rolled the service back. Fix {failedRevision} " +
                       $"(Evidence; Get-EcsTaskDefinitionHistory {target}) before deploying it again.";
            case RootCauseCategory.None when status == HealthStatus.Unknown:
                return "Some facts could not be read (Evidence 'Not read'): run Get-DeploymentHealth again, or allow more attempts with AWS_MAX_ATTEMPTS.";
            default:
                return status == HealthStatus.Healthy
                    ? "No action needed: all checks pass (runbook 000 step 1)."
                    : $"Wait for the rollout to finish: Wait-EcsDeployment {target} (runbook 000 step 4).";
        }
    }
}
