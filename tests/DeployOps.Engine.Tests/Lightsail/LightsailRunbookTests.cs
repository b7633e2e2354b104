using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Lightsail;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Lightsail;
using DeployOps.Resilience;
using DeployOps.Operations;
using DeployOps.Storage;
using DeployOps.Verification;
using DeployOps.Testing;
using Xunit;
using L = DeployOps.Testing.Lightwave.Lightsail;

namespace DeployOps.Engine.Tests.Lightsail;

/// <summary>
/// Runbook 003 against the sandbox's Lightsail: the typed client and reader, the post-deploy verification of the stale
/// config, publishing the fresh image, failing fast, -RollbackOnFailure, each rollback mode and the scale-out.
/// </summary>
public sealed class LightsailRunbookTests : IClassFixture<LightsailSandboxFixture>, IDisposable
{
    private static readonly LightsailWaitSettings Wait = new(TimeSpan.FromMinutes(3), TimeSpan.FromMilliseconds(250));
    private static readonly Dictionary<string, string> TokenBudget = new() { ["AI_MAX_TOKENS_INPUT"] = "120000", ["AI_MAX_TOKENS_OUTPUT"] = "16000" };
    private readonly LightsailSandboxFixture _sandbox;
    private readonly TempDirectory _store = new();

    public LightsailRunbookTests(LightsailSandboxFixture sandbox) => _sandbox = sandbox;

    public void Dispose() => _store.Dispose();

    private DeploymentJournal Journal => new(new DeploymentStore(_store.Path));

    private AwsSession Session() => SandboxSessions.Create(_sandbox, options => options with { Region = L.Region });

    private static AwsFacts Facts(AwsSession session) => new(session, NullOperationObserver.Instance);

    private static LightsailPublishRequest Publish(int image, IReadOnlyDictionary<string, string>? set = null, bool rollbackOnFailure = false) => new()
    {
        ServiceName = L.Service,
        Change = new LightsailSpecificationChange { Image = L.Image(image), SetEnvironment = set ?? new Dictionary<string, string>() },
        RequiredEnvironment = new[] { "AI_MAX_TOKENS_*" },
        RollbackOnFailure = rollbackOnFailure,
        Wait = Wait,
        Verification = new VerificationExpectations { ReadyPath = L.ReadinessPath, Origins = new[] { L.Origin } },
    };

    private async Task<LightsailDeploymentResult> PublishAsync(AwsFacts facts, LightsailPublishRequest request, bool expectError)
    {
        var publisher = new LightsailPublisher(facts, Journal);
        var outcomes = await publisher.ApplyAsync(await publisher.PlanAsync(request, default), request, default);
        Assert.Equal(expectError ? 2 : 1, outcomes.Count);
        return Assert.IsType<LightsailDeploymentResult>(outcomes[0].Value);
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType(), new JsonSerializerOptions { WriteIndented = false });

    [Fact]
    public async Task The_client_reads_the_service_its_deployments_and_images_and_a_missing_service_is_named()
    {
        await _sandbox.LoadScenarioAsync(L.FailedDeployment.Scenario);
        using var session = Session();
        var facts = Facts(session);
        var client = session.Client<LightsailClient>();

        var service = Assert.Single(await client.GetContainerServicesAsync(L.Service));
        Assert.Equal((L.Service, 2, "small", L.Region), (service.Name, service.Scale, service.Power, service.Region));
        Assert.Equal((L.FailedDeployment.ActiveVersion, L.Image(163)), (service.CurrentDeployment!.Version, service.CurrentDeployment.Containers[L.Container].Image));
        Assert.Equal(new LightsailEndpoint(L.Container, L.Port, new LightsailHealthCheck { HealthyThreshold = 2, UnhealthyThreshold = 2, TimeoutSeconds = 2, IntervalSeconds = 5, Path = L.ReadinessPath, SuccessCodes = "200-499" }),
            service.CurrentDeployment.PublicEndpoint);
        Assert.Equal(L.DatabaseUrl, service.CurrentDeployment.Containers[L.Container].Environment["DATABASE_URL"]);
        // Reading the service through the reader teaches the redactor its variables' values (the typed client alone does not).
        Assert.Contains(L.JwtSecret, facts.Redactor.Redact("token " + L.JwtSecret), StringComparison.Ordinal);
        await facts.Lightsail.RequireServiceAsync(L.Service, default);
        Assert.DoesNotContain(L.JwtSecret, facts.Redactor.Redact("token " + L.JwtSecret), StringComparison.Ordinal);
        Assert.DoesNotContain(L.DatabasePassword, facts.Redactor.Redact(L.DatabaseUrl), StringComparison.Ordinal);

        await Eventually.WaitUntilAsync(async () => (await facts.Lightsail.RequireDeploymentsAsync(L.Service, default))[0].State == LightsailDeploymentState.Failed, "deployment 3 to fail");
        Assert.Equal(new[] { (3, "FAILED"), (2, "ACTIVE"), (1, "INACTIVE") }, (await facts.Lightsail.RequireDeploymentsAsync(L.Service, default)).Select(d => (d.Version, d.State)));
        var images = await facts.Lightsail.ImagesAsync(L.Service, default);
        Assert.Equal(new[] { 166, 164, 163, 160 }.Select(L.Image), images.Value.Select(i => i.Image));

        var missing = await Assert.ThrowsAsync<DeployOpsException>(() => facts.Lightsail.RequireServiceAsync("web", default));
        Assert.Equal((ErrorIds.LightsailServiceNotFound, DeployOpsErrorKind.NotFound), (missing.Error.ErrorId, missing.Error.Kind));
        Assert.StartsWith("Container service 'web' does not exist in region 'us-east-2'.", missing.Error.Message, StringComparison.Ordinal);
        Assert.True((await facts.Lightsail.ServiceAsync("web", default)).Absent);
        var log = await facts.Lightsail.LogAsync(new LightsailLogRequest(L.Service, L.Container) { FilterPattern = "ERROR", MaxEvents = 1 }, default);
        Assert.Equal((1, true), (log.Value.Lines.Count, log.Value.Truncated));
        Assert.Contains(L.FailedDeployment.FailureLogLine, log.Value.Lines[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_stale_config_fails_verification_on_the_image_the_token_budget_variables_and_the_startup()
    {
        await _sandbox.LoadScenarioAsync(L.StaleConfig.Scenario);
        using var session = Session();

        var result = await new DeploymentVerifier(Facts(session), Journal).VerifyLightsailAsync(L.Service,
            new VerificationExpectations { RequiredEnvironment = new[] { "AI_MAX_TOKENS_*" }, Origins = new[] { L.Origin } }, default);

        Assert.Equal(("Failed", "ImageTag; Environment; StartupSequence"), (result.Status, result.FailedChecks.ToString()));
        var findings = result.Findings.ToDictionary(f => f.Check);
        Assert.Equal(VerificationOutcome.Warning, findings["HealthEndpoint"].OutcomeKind);
        Assert.EndsWith("/health/live answered 200, but it only checks liveness: a process that never finished starting passes it too.", findings["HealthEndpoint"].Message, StringComparison.Ordinal);
        Assert.Equal(VerificationOutcome.Pass, findings["Cors"].OutcomeKind);
        Assert.Equal("api runs :api.soft-launch-32.162, not the expected :api.soft-launch-32.165 (the newest image pushed): a stale configuration was deployed.", findings["ImageTag"].Message);
        Assert.Equal("missing AI_MAX_TOKENS_*.", findings["Environment"].Message);
        Assert.Contains("logged 'Starting' but never 'Listening on port'", findings["StartupSequence"].Message, StringComparison.Ordinal);
        Assert.False(result.Recorded);
        Assert.Empty(Journal.Of(DeploymentJournal.LightsailTarget(L.Region, L.Service)));
        Assert.Equal(ErrorIds.VerificationFailed, result.ToError()!.ErrorId);

        var deep = await new DeploymentVerifier(Facts(session), Journal).VerifyLightsailAsync(L.Service, new VerificationExpectations { ReadyPath = L.ReadinessPath }, default);
        Assert.EndsWith("/health/ready answered 503, expected 200.", deep.Findings.Single(f => f.Check == "HealthEndpoint").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_the_fresh_image_with_its_variables_deploys_verifies_records_and_leaves_the_service_healthy()
    {
        await _sandbox.LoadScenarioAsync(L.StaleConfig.Scenario);
        using var session = Session();
        var facts = Facts(session);

        var plan = await new LightsailPublisher(facts, Journal).PlanAsync(Publish(165, TokenBudget), default);
        Assert.Equal("image :api.soft-launch-32.162 -> :api.soft-launch-32.165; variables added AI_MAX_TOKENS_INPUT, AI_MAX_TOKENS_OUTPUT", plan.Diff.Summary);
        Assert.Equal("Lightsail container service api (us-east-2)", plan.ShouldProcessTarget);
        var result = await PublishAsync(facts, Publish(165, TokenBudget), expectError: false);

        Assert.Equal((LightsailDeploymentOutcome.Verified, 2, 1, L.Image(165)), (result.OutcomeKind, result.Version, result.PreviousVersion, result.Image));
        Assert.True(result.Verification!.Passed, result.Verification.ToString());
        Assert.Equal(VerificationOutcome.Pass, result.Verification.Findings.Single(f => f.Check == "Environment").OutcomeKind);
        Assert.Equal("2 expected name(s) set; 2 value(s) match by SHA-256 digest.", result.Verification.Findings.Single(f => f.Check == "Environment").Message);
        var entry = Assert.Single(Journal.Of(DeploymentJournal.LightsailTarget(L.Region, L.Service)));
        Assert.Equal(("2", "Publish-LightsailDeployment"), (entry.Revision, entry.VerifiedBy));
        var service = await facts.Lightsail.RequireServiceAsync(L.Service, default);
        Assert.Equal((LightsailServiceState.Running, 2), (service.State, service.CurrentDeployment!.Version));
        using var http = new HttpClient();
        Assert.Equal(200, (int)(await http.GetAsync(service.Url!.TrimEnd('/') + L.ReadinessPath)).StatusCode);
        var shown = Json(result) + Json(plan.Diff);
        foreach (var secret in TokenBudget.Values.Append(L.DatabaseUrl).Append(L.DatabasePassword).Append(L.JwtSecret))
        {
            Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Pre_flight_refuses_an_image_never_pushed_and_an_image_without_its_variables_and_deploys_nothing()
    {
        await _sandbox.LoadScenarioAsync(L.StaleConfig.Scenario);
        using var session = Session();
        var publisher = new LightsailPublisher(Facts(session), Journal);

        var notPushed = await Assert.ThrowsAsync<DeployOpsException>(() => publisher.PlanAsync(Publish(170, TokenBudget), default));
        Assert.Equal(ErrorIds.LightsailImageNotFound, notPushed.Error.ErrorId);
        Assert.Equal("Image :api.soft-launch-32.170 was not pushed to container service 'api'; the newest pushed: :api.soft-launch-32.165, :api.soft-launch-32.162. Nothing was deployed.",
            notPushed.Error.Message);
        var missing = await Assert.ThrowsAsync<DeployOpsException>(() => publisher.PlanAsync(Publish(165), default));
        Assert.Equal(ErrorIds.RequiredEnvironmentMissing, missing.Error.ErrorId);
        Assert.StartsWith(":api.soft-launch-32.165 needs AI_MAX_TOKENS_*, which container api would not have", missing.Error.Message, StringComparison.Ordinal);
        var elsewhere = Assert.Throws<DeployOpsException>(() => (Publish(165) with { Change = new LightsailSpecificationChange { Image = ":web.x.1" } }).Validate());
        Assert.Equal(ErrorIds.InvalidImageReference, elsewhere.Error.ErrorId);

        Assert.Single(await Facts(session).Lightsail.RequireDeploymentsAsync(L.Service, default));
    }

    [Fact]
    public async Task A_deployment_that_fails_its_health_checks_fails_fast_with_its_log_lines_and_the_previous_stays_active()
    {
        await _sandbox.LoadScenarioAsync(L.FailedDeployment.Scenario);
        using var session = Session();
        var facts = Facts(session);
        await Eventually.WaitUntilAsync(async () => (await facts.Lightsail.RequireServiceAsync(L.Service, default)).State == LightsailServiceState.Running, "the scenario's deployment 3 to end");

        var result = await PublishAsync(facts, Publish(L.FailedDeployment.FailingImage) with { RequiredEnvironment = Array.Empty<string>() }, expectError: true);

        Assert.Equal((LightsailDeploymentOutcome.Failed, 4, 2), (result.OutcomeKind, result.Version, result.PreviousVersion));
        Assert.Contains(result.LogLines, line => line.Contains(L.FailedDeployment.FailureLogLine, StringComparison.Ordinal));
        Assert.Contains(result.LogLines, line => line.StartsWith("[deployment:4] The deployment failed: its nodes failed 2 consecutive health checks", StringComparison.Ordinal));
        Assert.StartsWith("EVALUATING_HEALTH_CHECK", result.StateDetail, StringComparison.Ordinal);
        var error = result.ToError()!;
        Assert.Equal(ErrorIds.DeploymentFailed, error.ErrorId);
        Assert.Contains("version 2 is still ACTIVE. Container log: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await facts.Lightsail.RequireServiceAsync(L.Service, default)).CurrentDeployment!.Version);
    }

    [Fact]
    public async Task Rollback_on_failure_restores_the_previous_specification_when_the_new_image_never_becomes_ready()
    {
        await _sandbox.LoadScenarioAsync(L.FailedDeployment.Scenario);
        using var session = Session();
        var facts = Facts(session);
        await Eventually.WaitUntilAsync(async () => (await facts.Lightsail.RequireServiceAsync(L.Service, default)).State == LightsailServiceState.Running, "the scenario's deployment 3 to end");

        var neverReady = Publish(L.FailedDeployment.NeverReadyImage, rollbackOnFailure: true);
        var result = await PublishAsync(facts, neverReady with { RequiredEnvironment = Array.Empty<string>(), Change = neverReady.Change with { HealthCheckPath = L.LivenessPath } }, expectError: true);

        Assert.Equal((LightsailDeploymentOutcome.RolledBack, 5, 2, 2), (result.OutcomeKind, result.Version, result.PreviousVersion, result.RestoredVersion));
        Assert.Equal(L.Image(L.FailedDeployment.ActiveImage), result.Image);
        Assert.Equal("HealthEndpoint; StartupSequence", result.Verification!.FailedChecks.ToString());
        Assert.StartsWith("Deployment 4 failed the verification; rolled back: version 5 runs the specification of version 2", result.Reason, StringComparison.Ordinal);
        var deployments = await facts.Lightsail.RequireDeploymentsAsync(L.Service, default);
        Assert.Equal((5, "ACTIVE", L.Image(163)), (deployments[0].Version, deployments[0].State, deployments[0].Containers[L.Container].Image));
        Assert.Equal(deployments.Single(d => d.Version == 2).Specification.Containers[L.Container].Environment, deployments[0].Containers[L.Container].Environment);
    }

    [Fact]
    public async Task Each_rollback_mode_reaches_the_right_version()
    {
        await _sandbox.LoadScenarioAsync(L.FailedDeployment.Scenario);
        using var session = Session();
        var facts = Facts(session);
        await Eventually.WaitUntilAsync(async () => (await facts.Lightsail.RequireServiceAsync(L.Service, default)).State == LightsailServiceState.Running, "the scenario's deployment 3 to end");
        var verified = await new DeploymentVerifier(facts, Journal).VerifyLightsailAsync(L.Service, new VerificationExpectations { ReadyPath = L.ReadinessPath, ExpectedImageTag = "163" }, default);
        Assert.True(verified.Recorded, verified.ToString());
        // .166 answers 200 on the liveness path only: with the health check there it activates, then fails verification.
        var neverReady = Publish(L.FailedDeployment.NeverReadyImage);
        await PublishAsync(facts, neverReady with { RequiredEnvironment = Array.Empty<string>(), Change = neverReady.Change with { HealthCheckPath = L.LivenessPath } }, expectError: true);

        async Task<LightsailDeploymentResult> RollBackAsync(LightsailRollbackRequest request)
        {
            var rollback = new LightsailRollback(facts, Journal);
            var plan = await rollback.PlanAsync(request with { ServiceName = L.Service, Wait = Wait }, default);
            var outcomes = await rollback.ApplyAsync(plan, request with { ServiceName = L.Service, Wait = Wait }, default);
            return Assert.IsType<LightsailDeploymentResult>(Assert.Single(outcomes).Value);
        }

        // Version 4 (.166) is ACTIVE, unverified; the journal knows version 2 (.163).
        var toVerified = await RollBackAsync(new LightsailRollbackRequest { Target = LightsailRollbackTarget.LastVerified });
        Assert.Equal((5, 4, 2, L.Image(163), "Active"), (toVerified.Version, toVerified.PreviousVersion, toVerified.RestoredVersion, toVerified.Image, toVerified.Outcome));

        var toPrevious = await RollBackAsync(new LightsailRollbackRequest { Target = LightsailRollbackTarget.Previous });
        Assert.Equal((6, 5, 4, L.Image(166)), (toPrevious.Version, toPrevious.PreviousVersion, toPrevious.RestoredVersion, toPrevious.Image));

        var toVersion = await RollBackAsync(new LightsailRollbackRequest { Target = LightsailRollbackTarget.Version, Version = 1 });
        Assert.Equal((7, 6, 1, L.Image(160)), (toVersion.Version, toVersion.PreviousVersion, toVersion.RestoredVersion, toVersion.Image));
        var service = await facts.Lightsail.RequireServiceAsync(L.Service, default);
        Assert.Equal((7, L.Image(160)), (service.CurrentDeployment!.Version, service.CurrentDeployment.Containers[L.Container].Image));

        var failedVersion = await Assert.ThrowsAsync<DeployOpsException>(() => new LightsailRollback(facts, Journal).PlanAsync(
            new LightsailRollbackRequest { ServiceName = L.Service, Target = LightsailRollbackTarget.Version, Version = 3 }, default));
        Assert.Equal(ErrorIds.NothingToRollBackTo, failedVersion.Error.ErrorId);
    }

    [Fact]
    public async Task Scaling_to_two_waits_until_both_nodes_run_and_the_log_reader_merges_every_node_across_pages()
    {
        await _sandbox.LoadScenarioAsync(L.ScaleOne.Scenario);
        using var session = Session();
        var facts = Facts(session);
        var changer = new LightsailServiceChanger(facts);
        var request = new LightsailServiceChangeRequest { ServiceName = L.Service, Scale = 2, Wait = Wait };
        var report = await new LightsailResilience(facts).InspectAsync(L.Service, null, "prod", default);
        Assert.Equal(("Lightsail", L.Service, "prod", "Fail"), (report.Platform, report.Service, report.Environment, report.Status));
        Assert.Equal(new[] { ResilienceClassifier.DesiredCountCheck, ResilienceClassifier.HealthCheckPathCheck },
            report.Findings.Where(f => f.Outcome is "Fail" or "Warning").Select(f => f.Check));

        var plan = await changer.PlanAsync(request, default);
        Assert.Equal("Set scale 1 -> 2", plan.ShouldProcessAction);
        var info = Assert.IsType<LightsailServiceInfo>(Assert.Single(await changer.ApplyAsync(plan, request, default)).Value);

        Assert.Equal((LightsailServiceState.Running, 2), (info.State, info.Scale));
        Assert.Equal("Pass", (await new LightsailResilience(facts).InspectAsync(L.Service, null, null, default)).Findings.Single(f => f.Check == ResilienceClassifier.DesiredCountCheck).Outcome);
        Assert.False((await changer.PlanAsync(request, default)).NeedsChange);

        var wide = new LightsailServiceChangeRequest { ServiceName = L.Service, Scale = 20, Wait = Wait };
        await changer.ApplyAsync(await changer.PlanAsync(wide, default), wide, default);
        var log = await facts.Lightsail.LogAsync(new LightsailLogRequest(L.Service, L.Container), default);
        Assert.Equal(20, log.Value.Lines.Count(l => l.Message.EndsWith(L.ListeningLine, StringComparison.Ordinal)));
        Assert.True(log.Value.Lines.Count > 100, $"{log.Value.Lines.Count} lines: one page only.");
        Assert.Equal(LightsailRequestsOf(session, "GetContainerLog"), (log.Value.Lines.Count + 99) / 100);
    }

    private static int LightsailRequestsOf(AwsSession session, string operation) =>
        session.Calls.Get("Lightsail", operation).Calls;
}
