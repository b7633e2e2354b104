using System;
using System.Globalization;

namespace DeployOps.Aws.Retries;

/// <summary>What to do after a failed attempt.</summary>
public enum RetryVerdict
{
    /// <summary>Wait <see cref="RetryDecision.Delay"/>, then send again.</summary>
    Retry,

    /// <summary>Give up and report the failure.</summary>
    Stop,

    /// <summary>Give up: the request is not idempotent and may have been applied.</summary>
    OutcomeUnknown,
}

/// <summary>A retry decision; <see cref="QuotaCost"/> is what the retry took from the quota.</summary>
public readonly record struct RetryDecision(RetryVerdict Verdict, TimeSpan Delay, int QuotaCost)
{
    internal static RetryDecision Stop => new(RetryVerdict.Stop, TimeSpan.Zero, 0);

    internal static RetryDecision OutcomeUnknown => new(RetryVerdict.OutcomeUnknown, TimeSpan.Zero, 0);
}

/// <summary>
/// The AWS SDKs' "standard" retry mode: at most <see cref="MaxAttempts"/> attempts (3 by default), a delay of
/// <c>random * min(2^(attempt-1), 20)</c> seconds before each retry, and a shared <see cref="RetryQuota"/>.
/// A non-idempotent request is retried only when the failure proves it was not applied.
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>The standard mode's default attempt count.</summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>The most attempts a call may have: past it, backoff alone keeps a call going for half an hour.</summary>
    public const int MaxAllowedAttempts = 100;

    /// <summary>The longest delay before a retry.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(20);

    private readonly Func<double> _random;

    /// <summary>Creates a policy; <paramref name="random"/> returns values in [0, 1).</summary>
    public RetryPolicy(int maxAttempts, RetryQuota quota, Func<double> random)
    {
        if (maxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAttempts), maxAttempts, "At least one attempt is needed.");
        }

        MaxAttempts = maxAttempts;
        Quota = quota;
        _random = random;
    }

    /// <summary>Attempts per call, the first included.</summary>
    public int MaxAttempts { get; }

    /// <summary>The retry quota this policy draws on.</summary>
    public RetryQuota Quota { get; }

    /// <summary>Decides what follows failed attempt number <paramref name="attempt"/> (1-based).</summary>
    public RetryDecision Decide(FailureKind kind, int attempt, bool idempotent)
    {
        if (kind == FailureKind.NotRetryable)
        {
            return RetryDecision.Stop;
        }

        if (!idempotent && !kind.ProvesNotApplied())
        {
            return RetryDecision.OutcomeUnknown;
        }

        var cost = RetryQuota.CostOf(kind);
        if (attempt >= MaxAttempts || !Quota.TryAcquire(cost))
        {
            return RetryDecision.Stop;
        }

        return new RetryDecision(RetryVerdict.Retry, Backoff(attempt), cost);
    }

    /// <summary>The delay after failed attempt number <paramref name="attempt"/>: full jitter over <c>min(2^(attempt-1), 20)</c> seconds.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var ceilingSeconds = Math.Min(Math.Pow(2, attempt - 1), MaxBackoff.TotalSeconds);
        return TimeSpan.FromMilliseconds(_random() * ceilingSeconds * 1000);
    }

    /// <summary>Reads the attempt count: the explicit value, else AWS_MAX_ATTEMPTS, else 3; each must be 1 to <see cref="MaxAllowedAttempts"/>.</summary>
    public static int ResolveMaxAttempts(int? explicitValue, string? environmentValue)
    {
        if (explicitValue is not null)
        {
            return InRange(explicitValue.Value) ? explicitValue.Value : throw InvalidMaxAttempts(explicitValue.Value.ToString(CultureInfo.InvariantCulture), "MaxAttempts");
        }

        if (environmentValue is null)
        {
            return DefaultMaxAttempts;
        }

        return int.TryParse(environmentValue.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && InRange(parsed)
            ? parsed
            : throw InvalidMaxAttempts(environmentValue, "AWS_MAX_ATTEMPTS");
    }

    private static bool InRange(int attempts) => attempts is >= 1 and <= MaxAllowedAttempts;

    private static AwsConfigurationException InvalidMaxAttempts(string value, string source) => new(
        AwsConfigurationProblem.InvalidMaxAttempts,
        $"'{value}' (from {source}) is not a valid attempt count. Expected a whole number from 1 to {MaxAllowedAttempts} (1 disables retries).",
        value: value);
}
