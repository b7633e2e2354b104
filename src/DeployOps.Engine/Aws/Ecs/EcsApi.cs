using DeployOps.Errors;
using static DeployOps.Aws.AwsErrorClassification;

namespace DeployOps.Aws.Ecs;

/// <summary>Amazon ECS as the botocore model <c>ecs/2014-11-13</c> describes it: JSON 1.1, and what its errors mean.</summary>
public static class EcsApi
{
    /// <summary>The description <see cref="AwsServices.Registry"/> registers.</summary>
    public static AwsServiceDescription Description { get; } =
        AwsServiceDescription.Json("ECS", "ecs", "2014-11-13", "AmazonEC2ContainerServiceV20141113") with
        {
            Errors = new AwsErrorTable
            {
                { "ClusterNotFoundException", NotFound, ErrorIds.ClusterNotFound },
                { "ServiceNotFoundException", NotFound, ErrorIds.ServiceNotFound },
                { "ServiceNotActiveException", NotFound, ErrorIds.ServiceNotFound },
                { "DaemonNotFoundException", NotFound },
                { "DaemonNotActiveException", NotFound },
                { "NamespaceNotFoundException", NotFound },
                { "ResourceNotFoundException", NotFound },
                { "ServiceDeploymentNotFoundException", NotFound },
                { "TargetNotFoundException", NotFound },
                { "TaskSetNotFoundException", NotFound },
                { "PlatformUnknownException", Validation },

                // ClientException is ECS's catch-all: a missing task definition, say, is one, so its message decides.
                AwsErrorRule.ForMessage("ClientException", "not found|Unable to describe task definition|is missing|does not exist", NotFound),
                { "ClientException", Validation },
                { "InvalidParameterException", Validation },
                { "PlatformTaskDefinitionIncompatibilityException", Validation },
                { "UnsupportedFeatureException", Validation },
                { "AccessDeniedException", AccessDenied },
                { "BlockedException", AccessDenied },
                { "UpdateInProgressException", Conflict },
                { "ConflictException", Conflict },
                { "ResourceInUseException", Conflict },
                { "ClusterContainsCapacityProviderException", Conflict },
                { "ClusterContainsContainerInstancesException", Conflict },
                { "ClusterContainsServicesException", Conflict },
                { "ClusterContainsTasksException", Conflict },
                { "NoUpdateAvailableException", Conflict },
                { "MissingVersionException", Conflict },
                { "TargetNotConnectedException", Conflict },
                { "LimitExceededException", LimitExceeded },
                { "AttributeLimitExceededException", LimitExceeded },
                { "ServerException", ServiceUnavailable },
            },
        };
}
