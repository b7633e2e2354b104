using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Completion;

namespace DeployOps.Commands.Completion;

/// <summary>Completes -DatabaseCluster with the RDS/Aurora clusters of the account and region typed so far (a short, cached lookup).</summary>
public sealed class DatabaseClusterCompleter : AwsNameCompleter
{
    /// <inheritdoc />
    private protected override Task<IReadOnlyList<string>>? NamesAsync(CompletionContext context, AwsSessionOptions options, CancellationToken cancellationToken) =>
        NameSuggestions.DatabaseClustersAsync(options, cancellationToken);
}
