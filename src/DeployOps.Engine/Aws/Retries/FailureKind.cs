namespace DeployOps.Aws.Retries;

/// <summary>How one attempt failed, as far as retrying is concerned.</summary>
public enum FailureKind
{
    /// <summary>The service throttled the request: it was not applied.</summary>
    Throttling,

    /// <summary>A transient service error (HTTP 500/502/503/504, InternalError, RequestTimeout): it may have been applied.</summary>
    Transient,

    /// <summary>No response before the attempt timed out: it may have been applied.</summary>
    Timeout,

    /// <summary>The connection could not be made (refused, name not resolved): nothing was sent.</summary>
    ConnectionNotEstablished,

    /// <summary>The connection dropped after the request was sent: it may have been applied.</summary>
    ConnectionLost,

    /// <summary>An error that retrying does not fix (validation, not found, access denied).</summary>
    NotRetryable,
}

/// <summary>Facts about failure kinds.</summary>
public static class FailureKinds
{
    /// <summary>True when the failure proves the request was not applied, so even a non-idempotent request may be sent again.</summary>
    public static bool ProvesNotApplied(this FailureKind kind) =>
        kind is FailureKind.Throttling or FailureKind.ConnectionNotEstablished;

    /// <summary>Classifies an error response from its code and HTTP status (standard retry mode).</summary>
    public static FailureKind FromErrorResponse(string errorCode, int httpStatus)
    {
        if (AwsErrorCodes.IsThrottling(errorCode) || httpStatus == 429)
        {
            return FailureKind.Throttling;
        }

        if (AwsErrorCodes.IsTransient(errorCode) || httpStatus is 500 or 502 or 503 or 504)
        {
            return FailureKind.Transient;
        }

        return FailureKind.NotRetryable;
    }
}
