using System;

namespace DeployOps.Endpoints;

/// <summary>What a CORS check found.</summary>
public enum CorsVerdict
{
    /// <summary>No -Origin was given.</summary>
    NotChecked,

    /// <summary>Access-Control-Allow-Origin names the origin (or *).</summary>
    Allowed,

    /// <summary>No Access-Control-Allow-Origin header.</summary>
    Missing,

    /// <summary>Access-Control-Allow-Origin names another origin.</summary>
    Mismatch,
}

/// <summary>The result of Test-DeploymentEndpoint for one URL (runbook 000 step 4).</summary>
public sealed class EndpointTestResult
{
    public string Url { get; init; } = "";

    /// <summary>The last status code received, or null when no answer came.</summary>
    public int? StatusCode { get; init; }

    public int ExpectedStatusCode { get; init; }

    /// <summary>True when the status was expected and, with an origin, CORS allowed it.</summary>
    public bool Success { get; init; }

    /// <summary>Time to the last answer's headers, in milliseconds.</summary>
    public double LatencyMs { get; init; }

    public int Attempts { get; init; }

    public string? Origin { get; init; }

    public string? AccessControlAllowOrigin { get; init; }

    /// <summary>A <see cref="CorsVerdict"/> name: NotChecked, Allowed, Missing or Mismatch (text, so JSON and CSV show the name).</summary>
    public string Cors => CorsKind.ToString();

    internal CorsVerdict CorsKind { get; init; }

    /// <summary>Why the request failed without an answer (connection refused, timeout, DNS).</summary>
    public string? Error { get; init; }

    public DateTimeOffset CheckedAt { get; init; }

    public override string ToString() => $"{Url} {StatusCode?.ToString() ?? "no answer"} {(Success ? "OK" : "FAILED")}";
}
