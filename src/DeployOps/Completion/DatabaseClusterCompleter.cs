using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using DeployOps.Completion;

namespace DeployOps.Commands.Completion;

/// <summary>Completes -DatabaseCluster with the RDS/Aurora clusters of the account and region typed so far (a short, cached lookup).</summary>
public sealed class DatabaseClusterCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        if (new CompletionContext(fakeBoundParameters).SessionOptions() is not { } options)
        {
            return Array.Empty<CompletionResult>();
        }

        using var timeout = new CancellationTokenSource(NameSuggestions.LookupTimeout);
        return CompletionContext.Matching(NameSuggestions.DatabaseClustersAsync(options, timeout.Token).GetAwaiter().GetResult(), wordToComplete);
    }
}
