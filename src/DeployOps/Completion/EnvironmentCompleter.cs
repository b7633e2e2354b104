using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using DeployOps.Completion;

namespace DeployOps.Commands.Completion;

/// <summary>Completes -Environment with the environments of the settings file (-ConfigPath, else the usual search).</summary>
public sealed class EnvironmentCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var context = new CompletionContext(fakeBoundParameters);
        return CompletionContext.Matching(NameSuggestions.EnvironmentNames(context.PathOf("ConfigPath"), context.CurrentDirectory), wordToComplete);
    }
}
