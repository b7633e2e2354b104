using System.Text.RegularExpressions;
using DeployOps.Errors;

namespace DeployOps.Stacks;

/// <summary>What a stack may be called: CloudFormation's name rule, or a stack id.</summary>
public static class StackNames
{
    private static readonly Regex Name = new("^[a-zA-Z][-a-zA-Z0-9]{0,127}$", RegexOptions.CultureInvariant);
    private static readonly Regex Id = new(@"^arn:aws[-a-z]*:cloudformation:[a-z0-9-]+:\d{12}:stack/[a-zA-Z][-a-zA-Z0-9]{0,127}/[-a-zA-Z0-9]+$", RegexOptions.CultureInvariant);

    /// <summary>Throws InvalidStackName (a <see cref="DeployOpsException"/>) unless <paramref name="stackName"/> is a stack name or id.</summary>
    public static void Validate(string stackName)
    {
        if (!Name.IsMatch(stackName ?? "") && !Id.IsMatch(stackName ?? ""))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidStackName, DeployOpsErrorKind.InvalidArgument,
                $"'{stackName}' is not a stack name: expected a letter, then letters, digits and hyphens (at most 128 characters), e.g. lightwave-dev-stack, " +
                "or a stack id (arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID).", stackName));
        }
    }
}
