using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Completion;

namespace DeployOps.Commands.Completion;

/// <summary>Completes -LoadBalancer with the load balancers of the account and region typed so far (a short, cached lookup).</summary>
public sealed class LoadBalancerCompleter : AwsNameCompleter
{
    /// <inheritdoc />
    private protected override Task<IReadOnlyList<string>>? NamesAsync(CompletionContext context, AwsSessionOptions options, CancellationToken cancellationToken) =>
        NameSuggestions.LoadBalancersAsync(options, cancellationToken);
}
