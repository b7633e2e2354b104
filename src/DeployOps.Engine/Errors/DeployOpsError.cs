using System;

namespace DeployOps.Errors;

/// <summary>
/// What went wrong, in terms a cmdlet turns into an ErrorRecord: a stable PascalCase id, a kind
/// (mapped to a PowerShell error category), the resource it concerns, and the underlying exception.
/// </summary>
public sealed class DeployOpsError
{
    public DeployOpsError(string errorId, DeployOpsErrorKind kind, string message, object? target = null, Exception? exception = null)
    {
        ErrorId = errorId;
        Kind = kind;
        Message = message;
        Target = target;
        Exception = exception;
    }

    /// <summary>Stable id, e.g. <c>ServiceNotFound</c>; see <see cref="ErrorIds"/>.</summary>
    public string ErrorId { get; }

    public DeployOpsErrorKind Kind { get; }

    /// <summary>What happened and, where it helps, what to do; never a secret.</summary>
    public string Message { get; }

    /// <summary>The resource (name, ARN, URL) the error is about.</summary>
    public object? Target { get; }

    /// <summary>The AWS or network error behind it, if any.</summary>
    public Exception? Exception { get; }

    /// <summary>What the operator can do next, if there is something specific.</summary>
    public string? RecommendedAction { get; init; }

    public override string ToString() => $"{ErrorId}: {Message}";
}

/// <summary>Kinds of failure; each maps to one PowerShell ErrorCategory in the cmdlet layer.</summary>
public enum DeployOpsErrorKind
{
    /// <summary>A cluster, service, target group... that does not exist (ObjectNotFound).</summary>
    NotFound,

    /// <summary>A malformed value: ARN, path, URL, region (InvalidArgument).</summary>
    InvalidArgument,

    /// <summary>AWS refused the credentials' permissions (PermissionDenied).</summary>
    PermissionDenied,

    /// <summary>Throttled beyond the retries (LimitsExceeded).</summary>
    LimitsExceeded,

    /// <summary>An endpoint could not be reached (ConnectionError).</summary>
    ConnectionError,

    /// <summary>An endpoint answered, but not as an AWS API does: a web page, a 404 for a path (ProtocolError).</summary>
    UnexpectedResponse,

    /// <summary>A wait ran out of time (OperationTimeout).</summary>
    OperationTimeout,

    /// <summary>A deployment failed, rolled back or its tasks keep stopping (InvalidResult).</summary>
    DeploymentFailed,

    /// <summary>Configuration needed to work is missing or wrong: credentials, region, settings file (InvalidOperation / NotSpecified).</summary>
    Configuration,

    /// <summary>The request may or may not have been applied (InvalidResult).</summary>
    OutcomeUnknown,

    /// <summary>Anything else AWS answered with an error (NotSpecified).</summary>
    Other,

    /// <summary>The resource is busy with another change (an update in progress): wait, then try again (ResourceBusy).</summary>
    Conflict,

    /// <summary>The resource to create already exists (ResourceExists).</summary>
    AlreadyExists,

    /// <summary>A bug in DeployOps itself (an exception no DeployOps code expects): stops the command (NotSpecified).</summary>
    Defect,

    /// <summary>The action is not legal in the resource's current state (a stack's status): it names the state and the legal actions (InvalidOperation).</summary>
    InvalidState,
}

/// <summary>Thrown for errors that stop the whole operation (no credentials, no region, bad settings file).</summary>
public sealed class DeployOpsException : Exception
{
    public DeployOpsException(DeployOpsError error)
        : base(error.Message, error.Exception)
    {
        Error = error;
    }

    public DeployOpsError Error { get; }
}
