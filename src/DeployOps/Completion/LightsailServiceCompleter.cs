using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Completion;

namespace DeployOps.Commands.Completion;

/// <summary>Completes a Lightsail container service name with the services of the region typed so far (or the environment's).</summary>
public sealed class LightsailServiceCompleter : AwsNameCompleter
{
    /// <inheritdoc />
    private protected override Task<IReadOnlyList<string>>? NamesAsync(CompletionContext context, AwsSessionOptions options, CancellationToken cancellationToken) =>
        NameSuggestions.LightsailServicesAsync(options, cancellationToken);
}
