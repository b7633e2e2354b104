using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Completion;

namespace DeployOps.Commands.Completion;

/// <summary>
/// The base of the completers that offer names AWS lists (clusters, services, stacks, container services, database
/// clusters): the region, profile and endpoint typed so far give the session; the lookup is short and cached
/// (<see cref="NameSuggestions"/>); nothing is offered, and no error written, when AWS cannot answer in time.
/// </summary>
public abstract class AwsNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var context = new CompletionContext(fakeBoundParameters);
        if (context.SessionOptions() is not { } options)
        {
            return Array.Empty<CompletionResult>();
        }

        using var timeout = new CancellationTokenSource(NameSuggestions.LookupTimeout);
        return NamesAsync(context, options, timeout.Token) is { } names
            ? CompletionContext.Matching(names.GetAwaiter().GetResult(), wordToComplete)
            : Array.Empty<CompletionResult>();
    }

    /// <summary>The names to offer; null when what the lookup needs was not typed (a service's cluster).</summary>
    private protected abstract Task<IReadOnlyList<string>>? NamesAsync(CompletionContext context, AwsSessionOptions options, CancellationToken cancellationToken);
}
