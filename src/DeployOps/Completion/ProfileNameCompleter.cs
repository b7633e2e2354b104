using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using DeployOps.Completion;

namespace DeployOps.Commands.Completion;

/// <summary>Completes -ProfileName with the profiles of the shared credentials and config files (or -ProfileLocation).</summary>
public sealed class ProfileNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var context = new CompletionContext(fakeBoundParameters);
        return CompletionContext.Matching(NameSuggestions.ProfileNames(context.PathOf("ProfileLocation")), wordToComplete);
    }
}
