using System.Management.Automation;
using DeployOps.Errors;
using DeployOps.Redaction;

namespace DeployOps.Commands;

/// <summary>Turns the engine's <see cref="DeployOpsError"/> into the ErrorRecord PowerShell shows and scripts match on.</summary>
internal static class ErrorRecords
{
    /// <summary>
    /// The record for <paramref name="error"/>: its stable id (PowerShell appends the cmdlet's class to make the
    /// FullyQualifiedErrorId), the category of its kind, its resource as target object, the AWS or network error as the
    /// exception, the engine's message (never a secret, never a stack trace) and its recommended action as ErrorDetails.
    /// </summary>
    public static ErrorRecord Create(DeployOpsError error) => Create(error, SecretRedactor.Patterns);

    /// <summary>The record for <paramref name="error"/>, with <paramref name="redact"/> (which may know this invocation's secrets) taking secrets out.</summary>
    public static ErrorRecord Create(DeployOpsError error, SecretRedactor redact)
    {
        var exception = error.Exception ?? new DeployOpsException(error);
        var target = error.Target is string text ? redact.Redact(text) : error.Target;
        return new ErrorRecord(exception, error.ErrorId, CategoryOf(error), target)
        {
            ErrorDetails = new ErrorDetails(redact.Redact(error.Message)) { RecommendedAction = redact.Redact(error.RecommendedAction ?? string.Empty) },
        };
    }

    /// <summary>The PowerShell category of an error's kind.</summary>
    public static ErrorCategory CategoryOf(DeployOpsError error) => error.Kind switch
    {
        DeployOpsErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        DeployOpsErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        DeployOpsErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        DeployOpsErrorKind.LimitsExceeded => ErrorCategory.LimitsExceeded,
        DeployOpsErrorKind.ConnectionError => ErrorCategory.ConnectionError,
        DeployOpsErrorKind.UnexpectedResponse => ErrorCategory.ProtocolError,
        DeployOpsErrorKind.OperationTimeout => ErrorCategory.OperationTimeout,
        DeployOpsErrorKind.DeploymentFailed or DeployOpsErrorKind.OutcomeUnknown => ErrorCategory.InvalidResult,
        DeployOpsErrorKind.Configuration when error.ErrorId is ErrorIds.NoCredentials or ErrorIds.ProfileNotFound => ErrorCategory.AuthenticationError,
        DeployOpsErrorKind.Configuration => ErrorCategory.InvalidOperation,
        DeployOpsErrorKind.Defect => ErrorCategory.NotSpecified,
        DeployOpsErrorKind.Conflict => ErrorCategory.ResourceBusy,
        DeployOpsErrorKind.AlreadyExists => ErrorCategory.ResourceExists,
        DeployOpsErrorKind.InvalidState => ErrorCategory.InvalidOperation,
        _ => ErrorCategory.NotSpecified,
    };
}
