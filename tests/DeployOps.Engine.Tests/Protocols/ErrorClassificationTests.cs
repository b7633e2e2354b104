using System.Linq;
using DeployOps.Aws;
using DeployOps.Errors;
using Xunit;
using static DeployOps.Aws.AwsErrorClassification;

namespace DeployOps.Engine.Tests.Protocols;

/// <summary>
/// Each service's error table: every error code its botocore model declares is mapped by the service itself, the
/// model's HTTP status agrees with the kind, and the mappings that matter to the runbooks (and the generic codes whose
/// message decides) give the kind and the DeployOps error id they should.
/// </summary>
public sealed class ErrorClassificationTests
{
    /// <summary>The services with an error table whose botocore model lists errors (EC2's lists none).</summary>
    public static TheoryData<string> ModeledServices => new() { "ECS", "Elastic Load Balancing v2", "CloudWatch Logs", "CloudFormation", "RDS", "CloudWatch", "Lightsail", "WAFV2", "SNS", "IAM" };

    [Theory]
    [MemberData(nameof(ModeledServices))]
    public void EveryErrorCodeOfTheModelIsMappedByTheServiceItself(string serviceId)
    {
        var service = AwsServices.Find(serviceId)!;
        var codes = BotocoreModels.ErrorCodes(serviceId);

        var unmapped = codes.Where(error => service.Errors.Match(error.Code, null) is null).Select(error => error.Code);

        Assert.NotEmpty(codes);
        Assert.Empty(unmapped);
    }

    [Theory]
    [MemberData(nameof(ModeledServices))]
    public void TheModelsHttpStatusAgreesWithTheKind(string serviceId)
    {
        var service = AwsServices.Find(serviceId)!;

        var disagreements = BotocoreModels.ErrorCodes(serviceId)
            .Where(error => error.Code != "ReservedDBInstanceAlreadyExists") // RDS's model gives this "already exists" a 404
            .Where(error => error.Code is not ("LimitExceeded" or "ReportGenerationLimitExceeded")) // IAM's model gives its quotas a 409
            .Select(error => (error.Code, error.Status, Kind: AwsErrorClassifier.Classify(service, error.Code, error.Status, null).Classification))
            .Where(error => error.Status switch
            {
                404 => error.Kind != NotFound,
                409 => error.Kind is not (Conflict or AlreadyExists),
                429 => error.Kind is not (Throttling or LimitExceeded or Conflict),
                >= 500 => error.Kind != ServiceUnavailable,
                _ => false,
            })
            .Select(error => $"{error.Code} (HTTP {error.Status}) -> {error.Kind}");

        Assert.Empty(disagreements);
    }

    [Theory]
    [InlineData("ECS", "ClusterNotFoundException", null, NotFound, ErrorIds.ClusterNotFound)]
    [InlineData("ECS", "ServiceNotFoundException", null, NotFound, ErrorIds.ServiceNotFound)]
    [InlineData("ECS", "ServiceNotActiveException", "Service was not ACTIVE.", NotFound, ErrorIds.ServiceNotFound)]
    [InlineData("ECS", "ClientException", "Unable to describe task definition.", NotFound, null)]
    [InlineData("ECS", "ClientException", "Some other problem.", Validation, null)]
    [InlineData("ECS", "UpdateInProgressException", "There is already a current Amazon ECS container agent update in progress.", Conflict, null)]
    [InlineData("ECS", "LimitExceededException", "The limit for the resource was exceeded.", LimitExceeded, null)]
    [InlineData("ECS", "AccessDeniedException", null, AccessDenied, null)]
    [InlineData("ECS", "ServerException", "Service Unavailable.", ServiceUnavailable, null)]
    [InlineData("Elastic Load Balancing v2", "TargetGroupNotFound", "One or more target groups not found", NotFound, ErrorIds.TargetGroupNotFound)]
    [InlineData("Elastic Load Balancing v2", "LoadBalancerNotFound", null, NotFound, ErrorIds.LoadBalancerNotFound)]
    [InlineData("Elastic Load Balancing v2", "ResourceInUse", "Target group is currently in use by a listener or a rule", Conflict, null)]
    [InlineData("Elastic Load Balancing v2", "DuplicateTargetGroupName", null, AlreadyExists, null)]
    [InlineData("Elastic Load Balancing v2", "TooManyTargets", null, LimitExceeded, null)]
    [InlineData("Elastic Load Balancing v2", "InvalidConfigurationRequest", null, Validation, null)]
    [InlineData("Elastic Load Balancing v2", "PriorRequestNotComplete", null, Throttling, null)]
    [InlineData("EC2", "InvalidGroup.NotFound", "The security group 'sg-1' does not exist", NotFound, null)]
    [InlineData("EC2", "InvalidSubnetID.NotFound", null, NotFound, null)]
    [InlineData("EC2", "InvalidGroup.Duplicate", null, AlreadyExists, null)]
    [InlineData("EC2", "InvalidGroup.InUse", null, Conflict, null)]
    [InlineData("EC2", "DependencyViolation", "resource sg-1 has a dependent object", Conflict, null)]
    [InlineData("EC2", "RequestLimitExceeded", null, Throttling, null)]
    [InlineData("EC2", "RulesPerSecurityGroupLimitExceeded", null, LimitExceeded, null)]
    [InlineData("EC2", "InsufficientInstanceCapacity", null, ServiceUnavailable, null)]
    [InlineData("EC2", "UnauthorizedOperation", null, AccessDenied, null)]
    [InlineData("EC2", "InvalidParameterValue", null, Validation, null)]
    [InlineData("CloudWatch Logs", "ResourceNotFoundException", "The specified log group does not exist.", NotFound, null)]
    [InlineData("CloudWatch Logs", "LimitExceededException", null, LimitExceeded, null)]
    [InlineData("CloudWatch Logs", "ResourceAlreadyExistsException", null, AlreadyExists, null)]
    [InlineData("CloudWatch Logs", "OperationAbortedException", null, Conflict, null)]
    [InlineData("CloudWatch Logs", "ThrottlingException", null, Throttling, null)]
    [InlineData("CloudFormation", "ValidationError", "Stack with id web does not exist", NotFound, ErrorIds.StackNotFound)]
    [InlineData("CloudFormation", "ValidationError", "Stack [web] does not exist", NotFound, ErrorIds.StackNotFound)]
    [InlineData("CloudFormation", "ValidationError", "Stack:arn:aws:cloudformation:us-east-1:123456789012:stack/web/1 is in UPDATE_IN_PROGRESS state and can not be updated.", Conflict, null)]
    [InlineData("CloudFormation", "ValidationError", "Stack:arn:aws:cloudformation:us-east-1:123456789012:stack/web/1 is in ROLLBACK_COMPLETE state and can not be updated.", Conflict, null)]
    [InlineData("CloudFormation", "ValidationError", "Template format error: unsupported structure.", Validation, null)]
    [InlineData("CloudFormation", "StackNotFoundException", null, NotFound, ErrorIds.StackNotFound)]
    [InlineData("CloudFormation", "AlreadyExistsException", "Stack [web] already exists", AlreadyExists, null)]
    [InlineData("CloudFormation", "LimitExceededException", null, LimitExceeded, null)]
    [InlineData("CloudFormation", "InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_IAM]", Validation, null)]
    [InlineData("CloudFormation", "OperationInProgressException", null, Conflict, null)]
    [InlineData("RDS", "DBClusterNotFoundFault", "DBCluster db1 not found.", NotFound, null)]
    [InlineData("RDS", "DBInstanceNotFound", null, NotFound, null)]
    [InlineData("RDS", "InvalidDBClusterStateFault", "DbCluster db1 is not in available state.", Conflict, null)]
    [InlineData("RDS", "InvalidDBInstanceState", null, Conflict, null)]
    [InlineData("RDS", "DBClusterAlreadyExistsFault", null, AlreadyExists, null)]
    [InlineData("RDS", "StorageQuotaExceeded", null, LimitExceeded, null)]
    [InlineData("RDS", "InsufficientDBInstanceCapacity", null, ServiceUnavailable, null)]
    [InlineData("RDS", "InvalidParameterCombination", null, Validation, null)]
    [InlineData("IAM", "NoSuchEntity", "The role with name r cannot be found.", NotFound, null)]
    [InlineData("IAM", "ServiceFailure", null, ServiceUnavailable, null)]
    [InlineData("IAM", "AccessDenied", null, AccessDenied, null)]
    [InlineData("CloudWatch", "ResourceNotFound", null, NotFound, null)]
    [InlineData("CloudWatch", "LimitExceeded", null, LimitExceeded, null)]
    [InlineData("CloudWatch", "InvalidParameterValue", null, Validation, null)]
    [InlineData("CloudWatch", "InternalServiceError", null, ServiceUnavailable, null)]
    [InlineData("Lightsail", "NotFoundException", "The Instance does not exist: web-1", NotFound, null)]
    [InlineData("Lightsail", "InvalidInputException", "Some names are already in use: web-1", AlreadyExists, null)]
    [InlineData("Lightsail", "InvalidInputException", "The bundle is not valid.", Validation, null)]
    [InlineData("Lightsail", "AccountSetupInProgressException", null, Conflict, null)]
    [InlineData("Lightsail", "UnauthenticatedException", null, AccessDenied, null)]
    [InlineData("Lightsail", "ServiceException", null, ServiceUnavailable, null)]
    public void AServicesErrorGetsItsKindAndErrorIdFromTheServicesTable(
        string serviceId, string code, string? message, AwsErrorClassification kind, string? errorId)
    {
        var error = new AwsServiceException(AwsServices.Find(serviceId)!, "Op", code, 400, null, message ?? string.Empty);

        Assert.Equal((kind, errorId), (error.Classification, error.ErrorId));
    }

    [Fact]
    public void AServicesOwnTableWinsOverTheCommonCodes()
    {
        // The standard retry mode counts LimitExceededException as throttling; for CloudWatch Logs it is a quota.
        Assert.Equal(Throttling, AwsErrorClassifier.Classify("LimitExceededException", 400, null));
        Assert.Equal(LimitExceeded, new AwsServiceException(AwsServices.CloudWatchLogs, "CreateLogGroup", "LimitExceededException", 400, null, "").Classification);
    }

    [Fact]
    public void AServiceExceptionMadeFromAServiceIdUsesThatServicesTable()
    {
        var error = new AwsServiceException("CloudFormation", "DescribeStacks", "ValidationError", 400, null, "Stack with id web does not exist");

        Assert.Equal((NotFound, ErrorIds.StackNotFound), (error.Classification, error.ErrorId));
    }

    [Fact]
    public void AMissingStackIsStackNotFoundNotAwsRequestFailed()
    {
        var error = new AwsServiceException("CloudFormation", "DescribeStacks", "ValidationError", 400, "req-1", "Stack with id web does not exist");

        var translated = ErrorTranslator.Translate(error, "web");

        Assert.Equal((ErrorIds.StackNotFound, DeployOpsErrorKind.NotFound), (translated.ErrorId, translated.Kind));
        Assert.StartsWith("'web' was not found: Stack with id web does not exist (CloudFormation DescribeStacks, ValidationError).", translated.Message);
    }

    [Theory]
    [InlineData("ECS", "ClusterNotFoundException", ErrorIds.ClusterNotFound, DeployOpsErrorKind.NotFound)]
    [InlineData("ECS", "UpdateInProgressException", ErrorIds.ResourceBusy, DeployOpsErrorKind.Conflict)]
    [InlineData("RDS", "StorageQuotaExceeded", ErrorIds.AwsRequestFailed, DeployOpsErrorKind.LimitsExceeded)]
    [InlineData("EC2", "UnauthorizedOperation", ErrorIds.AccessDenied, DeployOpsErrorKind.PermissionDenied)]
    [InlineData("EC2", "RequestLimitExceeded", ErrorIds.Throttled, DeployOpsErrorKind.LimitsExceeded)]
    [InlineData("CloudWatch", "InvalidParameterValue", ErrorIds.AwsRequestFailed, DeployOpsErrorKind.InvalidArgument)]
    public void TheTranslatorTakesTheIdFromTheTableAndTheKindFromTheClassification(string serviceId, string code, string errorId, DeployOpsErrorKind kind)
    {
        var translated = ErrorTranslator.Translate(new AwsServiceException(AwsServices.Find(serviceId)!, "Op", code, 400, null, "text"), null);

        Assert.Equal((errorId, kind), (translated.ErrorId, translated.Kind));
    }
}
