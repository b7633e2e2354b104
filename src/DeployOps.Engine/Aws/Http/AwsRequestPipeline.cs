using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Configuration;
using DeployOps.Aws.Retries;

namespace DeployOps.Aws.Http;

/// <summary>
/// The one path every AWS call takes: count, bound concurrency, sign, send with a per-attempt timeout, read the
/// answer or the error, and retry as the <see cref="RetryPolicy"/> decides. Both protocol clients go through it. An
/// error status whose body is no AWS error document is an <see cref="AwsUnexpectedResponseException"/>, never an AWS
/// error code; so is a 2xx body that cannot be read, after it was retried like a transient error (an idempotent call
/// only: for another, the outcome is unknown). A clock-skew error corrects the session's clock and is re-signed and
/// sent again once, outside the retry policy: AWS rejected it before doing anything.
/// </summary>
internal sealed class AwsRequestPipeline : IDisposable
{
    private readonly AwsSigner _signer;
    private readonly ResolvedRegion _region;
    private readonly HttpClient _http;
    private readonly RetryPolicy _retryPolicy;
    private readonly AwsCallCounter _counter;
    private readonly SemaphoreSlim _concurrency;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly TimeSpan _attemptTimeout;
    private readonly ClockCorrection _clock;

    public AwsRequestPipeline(
        AwsSigner signer,
        ResolvedRegion region,
        HttpClient http,
        RetryPolicy retryPolicy,
        AwsCallCounter counter,
        int maxConcurrency,
        Func<TimeSpan, CancellationToken, Task> delay,
        TimeSpan attemptTimeout,
        Func<DateTimeOffset> utcNow)
    {
        _signer = signer;
        _region = region;
        _http = http;
        _retryPolicy = retryPolicy;
        _counter = counter;
        _concurrency = new SemaphoreSlim(maxConcurrency, maxConcurrency);
        _delay = delay;
        _attemptTimeout = attemptTimeout;
        _clock = new ClockCorrection(utcNow);
    }

    /// <summary>How far the machine's clock is behind AWS's, as learnt from a clock-skew error; zero until one.</summary>
    public TimeSpan ClockOffset => _clock.Offset;

    /// <summary>
    /// Sends <paramref name="request"/> until it succeeds and its body reads, or the policy gives up; returns what
    /// <paramref name="read"/> made of the 2xx response. <paramref name="readError"/> reads an error response, or returns
    /// null when its body is no AWS error document.
    /// </summary>
    public async Task<T> SendAsync<T>(
        AwsHttpRequest request,
        Func<AwsHttpResponse, AwsErrorDetails?> readError,
        Func<AwsHttpResponse, T> read,
        CancellationToken cancellationToken)
    {
        var service = request.Service.ServiceId;
        var operation = request.Operation.Name;
        _counter.RecordCall(service, operation);
        int? lastRetryCost = null;
        var clockCorrected = false;
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await AttemptAsync(request, readError, cancellationToken).ConfigureAwait(false);
            if (outcome.Response is { } response)
            {
                try
                {
                    var value = read(response);
                    _retryPolicy.Quota.RecordSuccess(lastRetryCost);
                    return value;
                }
                catch (Exception ex) when (UnreadableBody.IsReadFailure(ex))
                {
                    var problem = UnreadableBody.Describe(response.Body, ex, request.Service.Protocol);
                    outcome = AttemptOutcome.Failure(FailureKind.Transient, Unexpected(request, response.StatusCode, ex, problem));
                }
            }

            if (!clockCorrected && outcome.ServerTimeAfterSkew is { } serverTime && _clock.TryCorrect(outcome.SignedAt, serverTime))
            {
                // Re-signed with the corrected clock and sent again, once; that resend is not one of the policy's attempts.
                clockCorrected = true;
                attempt--;
                continue;
            }

            var decision = _retryPolicy.Decide(outcome.Kind, attempt, request.Operation.IsIdempotent);
            switch (decision.Verdict)
            {
                case RetryVerdict.Retry:
                    lastRetryCost = decision.QuotaCost;
                    await _delay(decision.Delay, cancellationToken).ConfigureAwait(false);
                    break;
                case RetryVerdict.OutcomeUnknown:
                    throw new AwsOutcomeUnknownException(service, operation, request.Endpoint, outcome.Error!);
                default:
                    throw outcome.Error!;
            }
        }
    }

    public void Dispose() => _concurrency.Dispose();

    private async Task<AttemptOutcome> AttemptAsync(
        AwsHttpRequest request,
        Func<AwsHttpResponse, AwsErrorDetails?> readError,
        CancellationToken cancellationToken)
    {
        await _concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var signedAt = _clock.Now;
            using var message = await CreateMessageAsync(request, signedAt, cancellationToken).ConfigureAwait(false);
            _counter.RecordAttempt(request.Service.ServiceId, request.Operation.Name);
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(_attemptTimeout);
            try
            {
                using var httpResponse = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, attemptTimeout.Token)
                    .ConfigureAwait(false);
                var body = await httpResponse.Content.ReadAsStringAsync().ConfigureAwait(false);
                var response = new AwsHttpResponse((int)httpResponse.StatusCode, body, RequestIdOf(httpResponse), httpResponse.Headers.Date);
                return response.IsSuccess ? AttemptOutcome.Success(response) : ErrorOutcome(request, response, readError) with { SignedAt = signedAt };
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                return AttemptOutcome.Failure(FailureKind.Timeout, Unreachable(request, AwsUnreachableReason.Timeout, ex));
            }
            catch (HttpRequestException ex)
            {
                var (kind, reason) = ConnectionFailures.Classify(ex);
                return AttemptOutcome.Failure(kind, Unreachable(request, reason, ex));
            }
        }
        finally
        {
            _concurrency.Release();
        }
    }

    private async Task<HttpRequestMessage> CreateMessageAsync(AwsHttpRequest request, DateTimeOffset signedAt, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string> { ["Content-Type"] = request.ContentType };
        if (request.Target is not null)
        {
            headers["X-Amz-Target"] = request.Target;
        }

        var signedHeaders = await _signer.SignAsync(request, headers, cancellationToken, signedAt.UtcDateTime).ConfigureAwait(false);
        var message = new HttpRequestMessage(HttpMethod.Post, request.Endpoint) { Content = new ByteArrayContent(request.Body) };
        foreach (var header in signedHeaders)
        {
            // Content-Type goes on the content, exactly as signed; the rest on the request.
            var added = string.Equals(header.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)
                ? message.Content.Headers.TryAddWithoutValidation(header.Key, header.Value)
                : message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            if (!added)
            {
                throw new InvalidOperationException($"The signed header {header.Key} could not be added to the request.");
            }
        }

        return message;
    }

    /// <summary>The answer that is not AWS's, for <paramref name="request"/>; <paramref name="bodyProblem"/> says what was wrong with a 2xx body.</summary>
    private AwsUnexpectedResponseException Unexpected(AwsHttpRequest request, int httpStatus, Exception? inner = null, string? bodyProblem = null) =>
        new(request.Service.ServiceId, request.Operation.Name, request.Endpoint, httpStatus, _region, bodyProblem, inner);

    private AttemptOutcome ErrorOutcome(
        AwsHttpRequest request,
        AwsHttpResponse response,
        Func<AwsHttpResponse, AwsErrorDetails?> readError)
    {
        if (readError(response) is not { } details)
        {
            // An HTTP status alone: retried by status (a 5xx page from a proxy may pass), never read as an AWS error code.
            return AttemptOutcome.Failure(FailureKinds.FromErrorResponse(string.Empty, response.StatusCode), Unexpected(request, response.StatusCode));
        }

        var error = new AwsServiceException(
            request.Service,
            request.Operation.Name,
            details.Code,
            response.StatusCode,
            response.RequestId ?? details.RequestId,
            details.Message);
        var serverTimeAfterSkew = ClockCorrection.IsClockSkewError(details.Code, details.Message)
            ? ClockCorrection.ServerTime(response.ServerDate, details.Message)
            : null;
        return AttemptOutcome.Failure(FailureKinds.FromErrorResponse(details.Code, response.StatusCode), error) with { ServerTimeAfterSkew = serverTimeAfterSkew };
    }

    private static AwsEndpointUnreachableException Unreachable(AwsHttpRequest request, AwsUnreachableReason reason, Exception cause) =>
        new(request.Service.ServiceId, request.Operation.Name, request.Endpoint, reason, cause);

    private static string? RequestIdOf(HttpResponseMessage response)
    {
        foreach (var name in new[] { "x-amzn-RequestId", "x-amz-request-id" })
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                return values.FirstOrDefault();
            }
        }

        return null;
    }

    private sealed record AttemptOutcome(AwsHttpResponse? Response, FailureKind Kind, Exception? Error)
    {
        /// <summary>When the request was signed.</summary>
        public DateTimeOffset SignedAt { get; init; }

        /// <summary>For a clock-skew error, the server's time at the answer; else null.</summary>
        public DateTimeOffset? ServerTimeAfterSkew { get; init; }

        public static AttemptOutcome Success(AwsHttpResponse response) => new(response, FailureKind.NotRetryable, null);

        public static AttemptOutcome Failure(FailureKind kind, Exception error) => new(null, kind, error);
    }
}
