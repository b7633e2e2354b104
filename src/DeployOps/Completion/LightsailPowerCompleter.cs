using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using DeployOps.Lightsail;

namespace DeployOps.Commands.Completion;

/// <summary>Completes -Power with the container service powers Lightsail offers (nano to xlarge).</summary>
public sealed class LightsailPowerCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionContext.Matching(LightsailServiceChangeRequest.Powers, wordToComplete);
}
