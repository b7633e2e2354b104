using System;
using DeployOps.Aws;
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
        AwsServiceException service => FromService(service, target),
        AwsEndpointUnreachableException unreachable =>
            new DeployOpsError(ErrorIds.EndpointUnreachable, DeployOpsErrorKind.ConnectionError, unreachable.Message, unreachable.Endpoint.ToString(), unreachable),
        AwsOutcomeUnknownException unknown =>
            new DeployOpsError(ErrorIds.OutcomeUnknown, DeployOpsErrorKind.OutcomeUnknown, unknown.Message, target, unknown)
            {
                RecommendedAction = "Check the resource's current state (Get-DeploymentHealth) before trying again.",
            },
        _ => new DeployOpsError(ErrorIds.AwsRequestFailed, DeployOpsErrorKind.Other, exception.Message, target, exception),
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
            AwsConfigurationProblem.NoRegion => (ErrorIds.NoRegion, DeployOpsErrorKind.Configuration),
            AwsConfigurationProblem.InvalidRegion => (ErrorIds.InvalidRegion, DeployOpsErrorKind.InvalidArgument),
            AwsConfigurationProblem.InvalidEndpointUrl => (ErrorIds.InvalidEndpointUrl, DeployOpsErrorKind.InvalidArgument),
            _ => (ErrorIds.AwsRequestFailed, DeployOpsErrorKind.Configuration),
        };
        return new DeployOpsError(id, kind, exception.Message, null, exception);
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

    private static DeployOpsError FromService(AwsServiceException exception, object? target)
    {
        switch (exception.Classification)
        {
            case AwsErrorClassification.NotFound:
                var id = exception.ErrorCode switch
                {
                    "ClusterNotFoundException" => ErrorIds.ClusterNotFound,
                    "ServiceNotFoundException" or "ServiceNotActiveException" => ErrorIds.ServiceNotFound,
                    "TargetGroupNotFound" => ErrorIds.TargetGroupNotFound,
                    _ => ErrorIds.AwsRequestFailed,
                };
                var message = target is null ? exception.Message : $"{target} was not found: {exception.ErrorMessage} ({exception.Service} {exception.Operation}, {exception.ErrorCode}).";
                return new DeployOpsError(id, DeployOpsErrorKind.NotFound, message, target, exception);
            case AwsErrorClassification.AccessDenied:
                return new DeployOpsError(ErrorIds.AccessDenied, DeployOpsErrorKind.PermissionDenied, exception.Message, target, exception)
                {
                    RecommendedAction = $"Grant the credentials {exception.Service}:{exception.Operation}, or use a profile that has it (-ProfileName).",
                };
            case AwsErrorClassification.Throttling:
                return new DeployOpsError(ErrorIds.Throttled, DeployOpsErrorKind.LimitsExceeded, exception.Message, target, exception)
                {
                    RecommendedAction = "AWS throttled every attempt. Try again later, or allow more attempts with AWS_MAX_ATTEMPTS.",
                };
            case AwsErrorClassification.Validation:
                return new DeployOpsError(ErrorIds.AwsRequestFailed, DeployOpsErrorKind.InvalidArgument, exception.Message, target, exception);
            default:
                return new DeployOpsError(ErrorIds.AwsRequestFailed, DeployOpsErrorKind.Other, exception.Message, target, exception);
        }
    }
}
