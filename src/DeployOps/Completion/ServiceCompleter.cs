using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Completion;

namespace DeployOps.Commands.Completion;

/// <summary>Completes -Service with the ECS services of the cluster typed so far (or the environment's cluster).</summary>
public sealed class ServiceCompleter : AwsNameCompleter
{
    /// <inheritdoc />
    private protected override Task<IReadOnlyList<string>>? NamesAsync(CompletionContext context, AwsSessionOptions options, CancellationToken cancellationToken) =>
        context.Cluster() is { } cluster ? NameSuggestions.ServicesAsync(options, cluster, cancellationToken) : null;
}
