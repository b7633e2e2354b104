using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Completion;

namespace DeployOps.Commands.Completion;

/// <summary>Completes -DatabaseInstance with the RDS DB instances of the account and region typed so far (a short, cached lookup).</summary>
public sealed class DatabaseInstanceCompleter : AwsNameCompleter
{
    /// <inheritdoc />
    private protected override Task<IReadOnlyList<string>>? NamesAsync(CompletionContext context, AwsSessionOptions options, CancellationToken cancellationToken) =>
        NameSuggestions.DatabaseInstancesAsync(options, cancellationToken);
}
