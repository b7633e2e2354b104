using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using DeployOps.Completion;

namespace DeployOps.Commands.Completion;

/// <summary>Completes -Service with the ECS services of the cluster typed so far (or the environment's cluster).</summary>
public sealed class ServiceCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var context = new CompletionContext(fakeBoundParameters);
        if (context.Cluster() is not { } cluster || context.SessionOptions() is not { } options)
        {
            return Array.Empty<CompletionResult>();
        }

        using var timeout = new CancellationTokenSource(NameSuggestions.LookupTimeout);
        return CompletionContext.Matching(NameSuggestions.ServicesAsync(options, cluster, timeout.Token).GetAwaiter().GetResult(), wordToComplete);
    }
}
