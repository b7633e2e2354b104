using DeployOps.Errors;
using static DeployOps.Aws.AwsErrorClassification;

namespace DeployOps.Aws.CloudFormation;

/// <summary>
/// AWS CloudFormation as the botocore model <c>cloudformation/2010-05-15</c> describes it: query, and what its errors
/// mean. Most stack operations answer every problem with the generic <c>ValidationError</c>, so its message decides:
/// "Stack with id X does not exist" is a missing stack, "... is in UPDATE_IN_PROGRESS state and can not be updated" a
/// conflict with the stack's state.
/// </summary>
public static class CloudFormationApi
{
    /// <summary>The description <see cref="AwsServices.Registry"/> registers.</summary>
    public static AwsServiceDescription Description { get; } =
        AwsServiceDescription.Query("CloudFormation", "cloudformation", "2010-05-15") with
        {
            Errors = new AwsErrorTable
            {
                AwsErrorRule.ForMessage("ValidationError", @"^Stack (with id )?\S+ does not exist", NotFound, ErrorIds.StackNotFound),
                AwsErrorRule.ForMessage("ValidationError", @"^ChangeSet \S+ does not exist", NotFound),
                AwsErrorRule.ForMessage("ValidationError", @"_IN_PROGRESS state|state and can ?not be (updated|deleted)", Conflict),
                { "ValidationError", Validation },
                { "StackNotFoundException", NotFound, ErrorIds.StackNotFound },
                { "ChangeSetNotFound", NotFound },
                AwsErrorRule.ForCodes("NotFound(Exception)?$", NotFound),
                AwsErrorRule.ForCodes("AlreadyExistsException$", AlreadyExists),
                { "LimitExceededException", LimitExceeded },
                { "ConcurrentResourcesLimitExceeded", LimitExceeded },
                { "ResourceScanLimitExceeded", LimitExceeded },
                { "OperationInProgressException", Conflict },
                { "StaleRequestException", Conflict },
                { "StackSetNotEmptyException", Conflict },
                { "CreatedButModifiedException", Conflict },
                { "ResourceScanInProgress", Conflict },
                { "InvalidChangeSetStatus", Conflict },
                { "InsufficientCapabilitiesException", Validation },
                { "InvalidOperationException", Validation },
                { "InvalidStateTransition", Validation },
                { "ConditionalCheckFailed", Validation },
                { "CFNRegistryException", Validation },
            },
        };
}
