using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using DeployOps.Completion;

namespace DeployOps.Commands.Completion;

/// <summary>Completes -Region with the regions AWSSDK.Core knows.</summary>
public sealed class RegionCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionContext.Matching(NameSuggestions.Regions(), wordToComplete);
}
