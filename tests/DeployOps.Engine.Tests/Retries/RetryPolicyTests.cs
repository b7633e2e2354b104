using System;
using System.Linq;
using DeployOps.Aws;
using DeployOps.Aws.Retries;
using Xunit;

namespace DeployOps.Engine.Tests.Retries;

/// <summary>The standard retry mode, without a network: classification, backoff bounds, the quota, idempotency.</summary>
public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData("Throttling")]
    [InlineData("ThrottlingException")]
    [InlineData("ThrottledException")]
    [InlineData("RequestThrottledException")]
    [InlineData("TooManyRequestsException")]
    [InlineData("ProvisionedThroughputExceededException")]
    [InlineData("TransactionInProgressException")]
    [InlineData("RequestLimitExceeded")]
    [InlineData("BandwidthLimitExceeded")]
    [InlineData("LimitExceededException")]
    [InlineData("RequestThrottled")]
    [InlineData("SlowDown")]
    [InlineData("PriorRequestNotComplete")]
    [InlineData("EC2ThrottledException")]
    public void ThrottlingCodesAreThrottling(string code)
    {
        Assert.Equal(FailureKind.Throttling, FailureKinds.FromErrorResponse(code, 400));
        Assert.Equal(AwsErrorClassification.Throttling, AwsErrorClassifier.Classify(code, 400, null));
    }

    [Theory]
    [InlineData("RequestTimeout", 400)]
    [InlineData("RequestTimeoutException", 400)]
    [InlineData("InternalError", 500)]
    [InlineData("Http500", 500)]
    [InlineData("Http502", 502)]
    [InlineData("ServiceUnavailable", 503)]
    [InlineData("Http504", 504)]
    public void TransientErrorsAreTransient(string code, int status) =>
        Assert.Equal(FailureKind.Transient, FailureKinds.FromErrorResponse(code, status));

    [Theory]
    [InlineData("ValidationError", 400)]
    [InlineData("AccessDeniedException", 400)]
    [InlineData("ClusterNotFoundException", 400)]
    [InlineData("Http501", 501)]
    public void OtherErrorsAreNotRetried(string code, int status) =>
        Assert.Equal(FailureKind.NotRetryable, FailureKinds.FromErrorResponse(code, status));

    [Theory]
    [InlineData(1, 0.0, 0)]
    [InlineData(1, 0.5, 500)]
    [InlineData(2, 0.5, 1000)]
    [InlineData(3, 0.25, 1000)]
    [InlineData(5, 1.0, 16000)]
    [InlineData(6, 1.0, 20000)]
    [InlineData(30, 0.5, 10000)]
    public void BackoffIsFullJitterOverTwoToTheAttemptCappedAtTwentySeconds(int attempt, double random, int expectedMilliseconds)
    {
        var policy = new RetryPolicy(3, new RetryQuota(), () => random);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), policy.Backoff(attempt));
    }

    [Fact]
    public void BackoffStaysWithinItsBoundsForAnyRandomValue()
    {
        var values = new Random(7);
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var policy = new RetryPolicy(3, new RetryQuota(), values.NextDouble);
            var ceiling = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, attempt - 1), 20));

            var delay = policy.Backoff(attempt);

            Assert.InRange(delay, TimeSpan.Zero, ceiling);
        }
    }

    [Fact]
    public void IdempotentCallIsRetriedUntilTheLastAttempt()
    {
        var policy = new RetryPolicy(3, new RetryQuota(), () => 0.5);

        var first = policy.Decide(FailureKind.Transient, 1, idempotent: true);
        var second = policy.Decide(FailureKind.ConnectionLost, 2, idempotent: true);
        var third = policy.Decide(FailureKind.Transient, 3, idempotent: true);

        Assert.Equal((RetryVerdict.Retry, TimeSpan.FromMilliseconds(500)), (first.Verdict, first.Delay));
        Assert.Equal((RetryVerdict.Retry, TimeSpan.FromSeconds(1)), (second.Verdict, second.Delay));
        Assert.Equal(RetryVerdict.Stop, third.Verdict);
    }

    [Fact]
    public void NonRetryableErrorsStopAtOnce() =>
        Assert.Equal(RetryVerdict.Stop, new RetryPolicy(3, new RetryQuota(), () => 0).Decide(FailureKind.NotRetryable, 1, true).Verdict);

    [Theory]
    [InlineData(FailureKind.Throttling)]
    [InlineData(FailureKind.ConnectionNotEstablished)]
    public void NonIdempotentCallIsRetriedWhenTheFailureProvesItWasNotApplied(FailureKind kind) =>
        Assert.Equal(RetryVerdict.Retry, new RetryPolicy(3, new RetryQuota(), () => 0).Decide(kind, 1, idempotent: false).Verdict);

    [Theory]
    [InlineData(FailureKind.Transient)]
    [InlineData(FailureKind.Timeout)]
    [InlineData(FailureKind.ConnectionLost)]
    public void NonIdempotentCallWithAnAmbiguousFailureHasAnUnknownOutcome(FailureKind kind)
    {
        var quota = new RetryQuota();

        var decision = new RetryPolicy(3, quota, () => 0).Decide(kind, 1, idempotent: false);

        Assert.Equal(RetryVerdict.OutcomeUnknown, decision.Verdict);
        Assert.Equal(RetryQuota.Capacity, quota.Available);
    }

    [Fact]
    public void OneAttemptMeansNoRetries() =>
        Assert.Equal(RetryVerdict.Stop, new RetryPolicy(1, new RetryQuota(), () => 0).Decide(FailureKind.Throttling, 1, true).Verdict);

    [Fact]
    public void RetriesCostFiveTokensAndTimeoutsTen()
    {
        var quota = new RetryQuota();
        var policy = new RetryPolicy(3, quota, () => 0);

        var afterError = policy.Decide(FailureKind.Transient, 1, true);
        var afterTimeout = policy.Decide(FailureKind.Timeout, 1, true);

        Assert.Equal((5, 10), (afterError.QuotaCost, afterTimeout.QuotaCost));
        Assert.Equal(RetryQuota.Capacity - 15, quota.Available);
    }

    [Fact]
    public void AnEmptyQuotaStopsRetriesUntilSuccessesRefillIt()
    {
        var quota = new RetryQuota();
        var policy = new RetryPolicy(3, quota, () => 0);

        var retries = Enumerable.Range(0, 101).Select(_ => policy.Decide(FailureKind.Transient, 1, true).Verdict).ToList();
        quota.RecordSuccess(lastRetryCost: 5);
        var afterRefund = policy.Decide(FailureKind.Transient, 1, true).Verdict;

        Assert.Equal(100, retries.Count(verdict => verdict == RetryVerdict.Retry));
        Assert.Equal(RetryVerdict.Stop, retries.Last());
        Assert.Equal(RetryVerdict.Retry, afterRefund);
    }

    [Fact]
    public void SuccessWithoutRetryRefundsOneTokenAndNeverOverfills()
    {
        var quota = new RetryQuota();
        quota.TryAcquire(10);

        quota.RecordSuccess(lastRetryCost: null);
        var afterOne = quota.Available;
        for (var i = 0; i < 20; i++)
        {
            quota.RecordSuccess(lastRetryCost: null);
        }

        Assert.Equal(RetryQuota.Capacity - 9, afterOne);
        Assert.Equal(RetryQuota.Capacity, quota.Available);
    }

    [Theory]
    [InlineData(null, null, 3)]
    [InlineData(null, "5", 5)]
    [InlineData(2, "5", 2)]
    [InlineData(1, null, 1)]
    [InlineData(null, " 100 ", 100)]
    public void MaxAttemptsComesFromTheOptionThenAwsMaxAttemptsThenThree(int? option, string? variable, int expected) =>
        Assert.Equal(expected, RetryPolicy.ResolveMaxAttempts(option, variable));

    [Theory]
    [InlineData("zero")]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("101")]
    public void InvalidAwsMaxAttemptsIsAnErrorNamingTheVariable(string variable)
    {
        var error = Assert.Throws<AwsConfigurationException>(() => RetryPolicy.ResolveMaxAttempts(null, variable));

        Assert.Equal(AwsConfigurationProblem.InvalidMaxAttempts, error.Problem);
        Assert.Contains($"'{variable}' (from AWS_MAX_ATTEMPTS)", error.Message);
    }
}
