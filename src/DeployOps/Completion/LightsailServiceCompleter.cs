using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using DeployOps.Completion;

namespace DeployOps.Commands.Completion;

/// <summary>Completes a Lightsail container service name with the services of the region typed so far (or the environment's).</summary>
public sealed class LightsailServiceCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        if (new CompletionContext(fakeBoundParameters).SessionOptions() is not { } options)
        {
            return Array.Empty<CompletionResult>();
        }

        using var timeout = new CancellationTokenSource(NameSuggestions.LookupTimeout);
        return CompletionContext.Matching(NameSuggestions.LightsailServicesAsync(options, timeout.Token).GetAwaiter().GetResult(), wordToComplete);
    }
}
