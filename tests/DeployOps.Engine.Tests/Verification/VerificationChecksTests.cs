using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Endpoints;
using DeployOps.Errors;
using DeployOps.Operations;
using DeployOps.Verification;
using Xunit;

namespace DeployOps.Engine.Tests.Verification;

/// <summary>The checks of runbook 003's verify-deployment.sh, pure: what was read in, one finding out.</summary>
public sealed class VerificationChecksTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 1, 0, 0, TimeSpan.Zero);

    private static EndpointTestResult Answer(int status, int expected = 200, string? origin = null, string? allowOrigin = null, CorsVerdict cors = CorsVerdict.NotChecked) => new()
    {
        Url = "http://127.0.0.1:9/health/ready",
        StatusCode = status,
        ExpectedStatusCode = expected,
        Success = status == expected && cors is CorsVerdict.NotChecked or CorsVerdict.Allowed,
        Origin = origin,
        AccessControlAllowOrigin = allowOrigin,
        CorsKind = cors,
    };

    [Fact]
    public void A_healthy_answer_passes_on_the_deep_path_and_warns_on_a_liveness_path()
    {
        Assert.Equal(VerificationOutcome.Pass, VerificationChecks.Health(Answer(200), livenessOnly: false).OutcomeKind);

        var liveness = VerificationChecks.Health(Answer(200), livenessOnly: true);
        Assert.Equal(VerificationOutcome.Warning, liveness.OutcomeKind);
        Assert.Contains("only checks liveness", liveness.Message, StringComparison.Ordinal);
        Assert.Contains("-ReadyPath /health/ready", liveness.RecommendedAction, StringComparison.Ordinal);

        var failed = VerificationChecks.Health(Answer(503), livenessOnly: false);
        Assert.Equal((VerificationOutcome.Fail, "http://127.0.0.1:9/health/ready answered 503, expected 200."), (failed.OutcomeKind, failed.Message));
        Assert.Equal(VerificationOutcome.Skipped, VerificationChecks.Health(null, livenessOnly: false, "No URL.").OutcomeKind);
    }

    [Theory]
    [InlineData("/health/live", null, true)]
    [InlineData("/", null, true)]
    [InlineData("/healthz", null, true)]
    [InlineData("/health/ready", null, false)]
    [InlineData("/api/v1/health/health/", null, false)]
    [InlineData("/health/ready", "/health/ready", false)]
    [InlineData("/health/ready?deep=1", "/health/ready", false)]
    [InlineData("/api/health", "/health/ready", true)]
    public void A_liveness_path_is_one_that_is_not_the_configured_deep_path_or_looks_like_liveness(string path, string? readyPath, bool liveness) =>
        Assert.Equal(liveness, HealthPaths.IsLivenessOnly(path, readyPath));

    [Fact]
    public void Cors_passes_only_when_every_expected_origin_is_allowed()
    {
        var allowed = Answer(200, origin: "https://app.example.com", allowOrigin: "https://app.example.com", cors: CorsVerdict.Allowed);
        var missing = Answer(200, origin: "https://admin.example.com", cors: CorsVerdict.Missing);

        Assert.Equal(VerificationOutcome.Pass, VerificationChecks.CorsHeaders(new[] { allowed }).OutcomeKind);
        var failed = VerificationChecks.CorsHeaders(new[] { allowed, missing });
        Assert.Equal(VerificationOutcome.Fail, failed.OutcomeKind);
        Assert.Contains("https://admin.example.com: Missing (Access-Control-Allow-Origin is absent, status 200)", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("https://app.example.com:", failed.Message, StringComparison.Ordinal);
        Assert.Equal(VerificationOutcome.Skipped, VerificationChecks.CorsHeaders(Array.Empty<EndpointTestResult>()).OutcomeKind);
    }

    [Theory]
    [InlineData(":api.soft-launch-32.165", "165", true)]
    [InlineData(":api.soft-launch-32.165", "soft-launch-32.165", true)]
    [InlineData(":api.soft-launch-32.165", ":api.soft-launch-32.165", true)]
    [InlineData(":api.soft-launch-32.162", "165", false)]
    [InlineData(":api.soft-launch-32.1165", "165", false)]
    [InlineData("lightwave/backend:1.4.2", "1.4.2", true)]
    [InlineData("lightwave/backend:1.4.2", "4.2", false)]
    [InlineData("lightwave/backend:11.4.2", "1.4.2", false)]
    public void An_image_matches_a_tag_that_ends_it_after_a_separator(string image, string expected, bool matches) =>
        Assert.Equal(matches, VerificationChecks.TagMatches(image, expected));

    [Fact]
    public void The_image_check_names_what_runs_and_the_stale_configuration()
    {
        var stale = VerificationChecks.Image(new[] { ("api", ":api.soft-launch-32.162") }, ":api.soft-launch-32.165", "the newest image pushed");

        Assert.Equal(VerificationOutcome.Fail, stale.OutcomeKind);
        Assert.Equal("api runs :api.soft-launch-32.162, not the expected :api.soft-launch-32.165 (the newest image pushed): a stale configuration was deployed.", stale.Message);
        Assert.Equal(VerificationOutcome.Pass, VerificationChecks.Image(new[] { ("api", ":api.soft-launch-32.165") }, "165", "-ExpectedImageTag").OutcomeKind);
        Assert.Equal(VerificationOutcome.Skipped, VerificationChecks.Image(new[] { ("api", "x") }, null, "no tag given").OutcomeKind);
    }

    [Fact]
    public void Variables_are_checked_by_name_with_wildcards_and_by_digest_without_showing_a_value()
    {
        const string secret = "postgres://app:Sup3r-S3cret@db:5432/app";
        var variables = new Dictionary<string, string?> { ["DATABASE_URL"] = secret, ["NODE_ENV"] = "production", ["API_KEY"] = null };

        var missing = VerificationChecks.EnvironmentVariables(variables, new[] { "AI_MAX_TOKENS_*", "NODE_ENV" }, new Dictionary<string, string> { ["DATABASE_URL"] = "postgres://other" });
        Assert.Equal(VerificationOutcome.Fail, missing.OutcomeKind);
        Assert.Equal("missing AI_MAX_TOKENS_*; DATABASE_URL differs from the expected value (SHA-256 digests compared).", missing.Message);
        Assert.DoesNotContain("postgres", missing.Message, StringComparison.Ordinal);

        var matching = VerificationChecks.EnvironmentVariables(variables, new[] { "NODE_*" }, new Dictionary<string, string> { ["DATABASE_URL"] = secret });
        Assert.Equal((VerificationOutcome.Pass, "2 expected name(s) set; 1 value(s) match by SHA-256 digest."), (matching.OutcomeKind, matching.Message));

        var fromSecret = VerificationChecks.EnvironmentVariables(variables, Array.Empty<string>(), new Dictionary<string, string> { ["API_KEY"] = "k" });
        Assert.Equal(VerificationOutcome.Warning, fromSecret.OutcomeKind);
        Assert.Contains("API_KEY come from secrets and were not compared", fromSecret.Message, StringComparison.Ordinal);
        Assert.Equal(VerificationOutcome.Skipped, VerificationChecks.EnvironmentVariables(variables, Array.Empty<string>(), new Dictionary<string, string>()).OutcomeKind);
    }

    [Fact]
    public void A_startup_that_never_listens_fails_naming_the_last_phase_reached()
    {
        var phases = new[] { "Starting Nest application", "Listening on port" };
        var stalled = StartupSequence.Evaluate(new[] { (T0, "[Nest] 1  - LOG [NestFactory] Starting Nest application...") }, phases);
        var complete = StartupSequence.Evaluate(new[] { (T0, "Starting Nest application"), (T0.AddSeconds(4), "Listening on port 3697") }, phases);

        var failed = VerificationChecks.Startup(new[] { ("node a", complete), ("node b", stalled) }, phases);
        Assert.Equal(VerificationOutcome.Fail, failed.OutcomeKind);
        Assert.Equal("The startup is incomplete: node b logged 'Starting Nest application' but never 'Listening on port'.", failed.Message);
        var passed = VerificationChecks.Startup(new[] { ("node a", complete) }, phases);
        Assert.Equal(VerificationOutcome.Pass, passed.OutcomeKind);
        Assert.Contains("the slowest in 4 s", passed.Message, StringComparison.Ordinal);
        Assert.Equal(VerificationOutcome.Fail, VerificationChecks.Startup(Array.Empty<(string, PrintableList<StartupPhaseResult>)>(), phases).OutcomeKind);
    }

    [Fact]
    public void A_result_passes_with_warnings_fails_on_a_fail_and_is_incomplete_on_a_gap_each_with_its_error()
    {
        static DeploymentVerificationResult With(params VerificationOutcome[] outcomes) => new()
        {
            Service = "api",
            Revision = "3",
            Findings = outcomes.Select((o, i) => new DeploymentFinding("Check" + i, o, "m" + i)).ToPrintableList(),
        };

        Assert.Null(With(VerificationOutcome.Pass, VerificationOutcome.Warning, VerificationOutcome.Skipped).ToError());
        var failed = With(VerificationOutcome.Pass, VerificationOutcome.Fail, VerificationOutcome.NotRead);
        Assert.Equal(("Failed", "Check1; Check2"), (failed.Status, failed.FailedChecks.ToString()));
        Assert.Equal((ErrorIds.VerificationFailed, DeployOpsErrorKind.DeploymentFailed), (failed.ToError()!.ErrorId, failed.ToError()!.Kind));
        var incomplete = With(VerificationOutcome.Pass, VerificationOutcome.NotRead);
        Assert.Equal(("Incomplete", ErrorIds.VerificationIncomplete), (incomplete.Status, incomplete.ToError()!.ErrorId));
        Assert.Equal(2, failed.Outcomes().Count);
    }

    [Theory]
    [InlineData("health/ready", null, null, null, null, ErrorIds.InvalidHealthCheckPath, "'health/ready' (from -ReadyPath) is not a health path")]
    [InlineData(null, "https://app.example.com/", null, null, null, ErrorIds.InvalidUrl, "'https://app.example.com/' is not an origin")]
    [InlineData(null, null, "AI MAX", null, null, ErrorIds.InvalidEnvironmentName, "'AI MAX' (from -RequiredEnvironment) is not an environment variable name")]
    [InlineData(null, null, null, "/Listening (/", null, ErrorIds.InvalidStartupPhase, "'/Listening (/' is not a startup phase: the regular expression does not compile")]
    [InlineData(null, null, null, null, "1 65", ErrorIds.InvalidImageReference, "'1 65' is not an image tag")]
    public void Bad_expectations_name_the_value_and_what_was_expected(string? readyPath, string? origin, string? required, string? phase, string? tag, string errorId, string message)
    {
        var expectations = new VerificationExpectations
        {
            ReadyPath = readyPath,
            Origins = origin is null ? Array.Empty<string>() : new[] { origin },
            RequiredEnvironment = required is null ? Array.Empty<string>() : new[] { required },
            StartupPhases = phase is null ? Array.Empty<string>() : new[] { phase },
            ExpectedImageTag = tag,
        };

        var error = Assert.Throws<DeployOpsException>(expectations.Validate).Error;

        Assert.Equal((errorId, DeployOpsErrorKind.InvalidArgument), (error.ErrorId, error.Kind));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
