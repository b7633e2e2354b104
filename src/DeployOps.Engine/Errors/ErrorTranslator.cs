using System;
using DeployOps.Aws;
using DeployOps.Coordination;
using DeployOps.Environments;

namespace DeployOps.Errors;

/// <summary>
/// Turns what the AWS layer and the settings reader throw into DeployOps errors with stable ids,
/// so every cmdlet reports the same failure the same way.
/// </summary>
public static class ErrorTranslator
{
    public static DeployOpsError Translate(Exception exception, object? target) => exception switch
    {
        DeployOpsException known => known.Error,
        AwsConfigurationException configuration => FromConfiguration(configuration),
        DeploymentSettingsException settings => FromSettings(settings),
        RegistryUnavailableException registry => registry.ToError(),
        AwsServiceException service => FromService(service, target),
        AwsEndpointUnreachableException unreachable =>
            new DeployOpsError(ErrorIds.EndpointUnreachable, DeployOpsErrorKind.ConnectionError, unreachable.Message, unreachable.Endpoint.ToString(), unreachable),
        AwsUnexpectedResponseException unexpected => FromUnexpectedResponse(unexpected),
        AwsOutcomeUnknownException unknown =>
            new DeployOpsError(ErrorIds.OutcomeUnknown, DeployOpsErrorKind.OutcomeUnknown, unknown.Message, target, unknown)
            {
                RecommendedAction = "Check the resource's current state (Get-DeploymentHealth) before trying again.",
            },
        AwsCallException call => new DeployOpsError(ErrorIds.AwsRequestFailed, DeployOpsErrorKind.Other, call.Message, target, call),
        _ => Defect(exception),
    };

    /// <summary>
    /// An exception no DeployOps code expects (a NullReferenceException, Single() on two items): a bug in DeployOps, never
    /// dressed as an AWS failure. It names itself and the real exception type, and stops the command.
    /// </summary>
    public static DeployOpsError Defect(Exception exception) => new(ErrorIds.DeployOpsDefect, DeployOpsErrorKind.Defect,
        $"DeployOps defect, not an AWS failure: {exception.GetType().FullName}: {exception.Message}", null, exception)
    {
        RecommendedAction = "Please report it with the command that was run and this message ($Error[0].Exception has the details).",
    };

    /// <summary>An error for a resource AWS says does not exist, with the id that names its kind.</summary>
    public static DeployOpsError NotFound(string errorId, string message, object target, Exception? exception = null) =>
        new(errorId, DeployOpsErrorKind.NotFound, message, target, exception);

    private static DeployOpsError FromConfiguration(AwsConfigurationException exception)
    {
        var (id, kind) = exception.Problem switch
        {
            AwsConfigurationProblem.NoCredentials => (ErrorIds.NoCredentials, DeployOpsErrorKind.Configuration),
            AwsConfigurationProblem.CredentialsUnavailable => (ErrorIds.NoCredentials, DeployOpsErrorKind.Configuration),
            AwsConfigurationProblem.ProfileNotFound => (ErrorIds.ProfileNotFound, DeployOpsErrorKind.Configuration),
            AwsConfigurationProblem.ProfileFileNotFound => (ErrorIds.ProfileFileNotFound, DeployOpsErrorKind.Configuration),
            AwsConfigurationProblem.ProfileFileInvalid => (ErrorIds.ProfileFileInvalid, DeployOpsErrorKind.Configuration),
            AwsConfigurationProblem.NoRegion => (ErrorIds.NoRegion, DeployOpsErrorKind.Configuration),
            AwsConfigurationProblem.InvalidRegion => (ErrorIds.InvalidRegion, DeployOpsErrorKind.InvalidArgument),
            AwsConfigurationProblem.InvalidEndpointUrl => (ErrorIds.InvalidEndpointUrl, DeployOpsErrorKind.InvalidArgument),
            AwsConfigurationProblem.InvalidMaxAttempts => (ErrorIds.InvalidMaxAttempts, DeployOpsErrorKind.Configuration),
            _ => throw new ArgumentOutOfRangeException(nameof(exception), exception.Problem, "A configuration problem without an error id."),
        };
        return new DeployOpsError(id, kind, exception.Message, exception.Value, exception);
    }

    /// <summary>
    /// An answer that is not AWS's: a 5xx page for a region the AWS SDK does not know is the region's fault (moto and the
    /// sandbox fail so for a region they do not serve); anything else is the endpoint's.
    /// </summary>
    private static DeployOpsError FromUnexpectedResponse(AwsUnexpectedResponseException exception)
    {
        if (exception.HttpStatus >= 500 && exception.Region is { IsKnown: false } region)
        {
            return new DeployOpsError(ErrorIds.InvalidRegion, DeployOpsErrorKind.InvalidArgument,
                $"{region} is not a region AWS knows: {exception.Answer}, as AWS stand-ins such as moto and the DeployOps sandbox "
                + "do for a region they do not serve. Expected a region such as us-east-1 or eu-west-2.",
                region.Name, exception);
        }

        return new DeployOpsError(ErrorIds.UnexpectedEndpointResponse, DeployOpsErrorKind.UnexpectedResponse, exception.Message, exception.Endpoint.ToString(), exception);
    }

    private static DeployOpsError FromSettings(DeploymentSettingsException exception)
    {
        var id = exception.Problem switch
        {
            DeploymentSettingsProblem.FileNotFound => ErrorIds.EnvironmentFileNotFound,
            DeploymentSettingsProblem.UnknownEnvironment => ErrorIds.EnvironmentNotFound,
            _ => ErrorIds.EnvironmentFileInvalid,
        };
        var kind = exception.Problem == DeploymentSettingsProblem.InvalidFile ? DeployOpsErrorKind.InvalidArgument : DeployOpsErrorKind.NotFound;
        return new DeployOpsError(id, kind, exception.Message, exception.FilePath, exception);
    }

    /// <summary>
    /// An AWS error: the id comes from the service's error table (<see cref="AwsServiceException.ErrorId"/>, e.g.
    /// ClusterNotFound, StackNotFound), else the kind's default; the kind from its classification.
    /// </summary>
    private static DeployOpsError FromService(AwsServiceException exception, object? target)
    {
        var classification = exception.Classification;
        var id = exception.ErrorId ?? classification switch
        {
            AwsErrorClassification.AccessDenied => ErrorIds.AccessDenied,
            AwsErrorClassification.Throttling => ErrorIds.Throttled,
            AwsErrorClassification.Conflict => ErrorIds.ResourceBusy,
            AwsErrorClassification.AlreadyExists => ErrorIds.AlreadyExists,
            _ => ErrorIds.AwsRequestFailed,
        };
        var kind = classification switch
        {
            AwsErrorClassification.NotFound => DeployOpsErrorKind.NotFound,
            AwsErrorClassification.AccessDenied => DeployOpsErrorKind.PermissionDenied,
            AwsErrorClassification.Throttling or AwsErrorClassification.LimitExceeded => DeployOpsErrorKind.LimitsExceeded,
            AwsErrorClassification.Validation => DeployOpsErrorKind.InvalidArgument,
            AwsErrorClassification.Conflict => DeployOpsErrorKind.Conflict,
            AwsErrorClassification.AlreadyExists => DeployOpsErrorKind.AlreadyExists,
            _ => DeployOpsErrorKind.Other,
        };
        var message = classification == AwsErrorClassification.NotFound && target is not null
            ? $"'{target}' was not found: {exception.ErrorMessage} ({exception.Service} {exception.Operation}, {exception.ErrorCode})."
            : exception.Message;
        return new DeployOpsError(id, kind, message, target, exception) { RecommendedAction = RecommendedAction(exception) };
    }

    private static string? RecommendedAction(AwsServiceException exception) => exception.Classification switch
    {
        AwsErrorClassification.AccessDenied => $"Grant the credentials {exception.Service}:{exception.Operation}, or use a profile that has it (-ProfileName).",
        AwsErrorClassification.Throttling => "AWS throttled every attempt. Try again later, or allow more attempts with AWS_MAX_ATTEMPTS.",
        AwsErrorClassification.LimitExceeded => "A quota of the account or resource is reached: free some capacity, or ask for a higher quota (Service Quotas).",
        AwsErrorClassification.Conflict => "The resource is busy or in a state that does not allow this: wait for the operation in progress to finish, then try again.",
        _ => null,
    };
}
