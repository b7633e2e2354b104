using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Errors;
using DeployOps.Operations;
using DeployOps.Redaction;

namespace DeployOps.Endpoints;

/// <summary>What Test-DeploymentEndpoint asks for one URL.</summary>
public sealed record EndpointTestRequest
{
    public string Url { get; init; } = "";

    public int ExpectedStatusCode { get; init; } = 200;

    /// <summary>An Origin to send; the answer's Access-Control-Allow-Origin must then name it (or *).</summary>
    public string? Origin { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Further attempts after a failed one.</summary>
    public int RetryCount { get; init; }

    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Runbook 000 step 4: requests a health URL (as <c>curl -v</c> would) and checks the status code and,
/// with an origin, the CORS answer. Redirects are not followed, so a 301 is seen as a 301.
/// </summary>
public sealed class EndpointTester
{
    private static readonly HttpClient SharedClient = new(new HttpClientHandler { AllowAutoRedirect = false, UseProxy = true })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    private readonly IOperationObserver _observer;
    private readonly HttpClient _http;

    public EndpointTester(IOperationObserver observer)
        : this(observer, SharedClient)
    {
    }

    internal EndpointTester(IOperationObserver observer, HttpClient http)
    {
        _observer = observer;
        _http = http;
    }

    /// <summary>Tests one URL; throws <see cref="DeployOpsException"/> (InvalidUrl) for a URL that is not absolute http(s).</summary>
    public async Task<EndpointTestResult> TestAsync(EndpointTestRequest request, CancellationToken cancellationToken)
    {
        var url = ParseUrl(request.Url);
        EndpointTestResult result = null!;
        for (var attempt = 1; attempt <= request.RetryCount + 1; attempt++)
        {
            if (attempt > 1)
            {
                _observer.Verbose($"{Shown(url)}: attempt {attempt - 1} gave {Describe(result)}; trying again in {request.RetryInterval.TotalSeconds:0.#} s.");
                await Task.Delay(request.RetryInterval, cancellationToken).ConfigureAwait(false);
            }

            result = await AttemptAsync(url, request, attempt, cancellationToken).ConfigureAwait(false);
            if (result.Success)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>The error to report for a failed result (null when it succeeded).</summary>
    public static DeployOpsError? ErrorFor(EndpointTestResult result)
    {
        if (result.Success)
        {
            return null;
        }

        var why = result.StatusCode is null
            ? $"no answer ({result.Error})"
            : result.StatusCode != result.ExpectedStatusCode
                ? $"status {result.StatusCode}, expected {result.ExpectedStatusCode}"
                : $"CORS {result.Cors}: Access-Control-Allow-Origin is '{result.AccessControlAllowOrigin ?? "absent"}', expected '{result.Origin}'";
        var kind = result.StatusCode is null ? DeployOpsErrorKind.ConnectionError : DeployOpsErrorKind.Other;
        return new DeployOpsError(ErrorIds.EndpointCheckFailed, kind, $"'{result.Url}' failed the check after {result.Attempts} attempt(s): {why}.", result.Url);
    }

    /// <summary>A URL as DeployOps shows it: its password and query values taken out (a health URL may carry a token).</summary>
    public static string Shown(Uri url) => SecretRedactor.Patterns.Redact(url.ToString());

    /// <summary>The URL to test; throws <see cref="DeployOpsException"/> (InvalidUrl) naming the value when it is not an absolute http(s) URL.</summary>
    public static Uri ParseUrl(string text)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return url;
        }

        var shown = SecretRedactor.Patterns.Redact(text);
        throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidUrl, DeployOpsErrorKind.InvalidArgument,
            $"'{shown}' is not a URL to test; expected an absolute http:// or https:// URL such as https://api.example.com/health/.", shown));
    }

    private async Task<EndpointTestResult> AttemptAsync(Uri url, EndpointTestRequest request, int attempt, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.TryAddWithoutValidation("User-Agent", "DeployOps/Test-DeploymentEndpoint");
        if (request.Origin is not null)
        {
            message.Headers.TryAddWithoutValidation("Origin", request.Origin);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var latency = clock.Elapsed.TotalMilliseconds;
            var status = (int)response.StatusCode;
            var allowOrigin = response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.FirstOrDefault() : null;
            var cors = request.Origin is null ? CorsVerdict.NotChecked
                : allowOrigin is null ? CorsVerdict.Missing
                : allowOrigin == "*" || string.Equals(allowOrigin, request.Origin, StringComparison.OrdinalIgnoreCase) ? CorsVerdict.Allowed
                : CorsVerdict.Mismatch;
            return new EndpointTestResult
            {
                Url = Shown(url),
                StatusCode = status,
                ExpectedStatusCode = request.ExpectedStatusCode,
                Success = status == request.ExpectedStatusCode && cors is CorsVerdict.NotChecked or CorsVerdict.Allowed,
                LatencyMs = Math.Round(latency, 1),
                Attempts = attempt,
                Origin = request.Origin,
                AccessControlAllowOrigin = allowOrigin,
                CorsKind = cors,
                CheckedAt = DateTimeOffset.UtcNow,
            };
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new EndpointTestResult
            {
                Url = Shown(url),
                ExpectedStatusCode = request.ExpectedStatusCode,
                LatencyMs = Math.Round(clock.Elapsed.TotalMilliseconds, 1),
                Attempts = attempt,
                Origin = request.Origin,
                CorsKind = request.Origin is null ? CorsVerdict.NotChecked : CorsVerdict.Missing,
                Error = ex is OperationCanceledException ? $"no answer within {request.Timeout.TotalSeconds:0.#} s" : Innermost(ex).Message,
                CheckedAt = DateTimeOffset.UtcNow,
            };
        }
    }

    private static string Describe(EndpointTestResult result) => result.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? result.Error ?? "no answer";

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }
}
