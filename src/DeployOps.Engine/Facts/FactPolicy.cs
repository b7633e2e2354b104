using System;
using System.Threading.Tasks;
using DeployOps.Aws;

namespace DeployOps.Facts;

/// <summary>
/// DeployOps' one partial-failure policy, applied by every fact reader: a failure to read one item is a gap on that
/// item, never a lost report and never a false Healthy.
/// <list type="bullet">
/// <item>AWS answered that the item does not exist (a NotFound error): the fact is <see cref="Fact{T}.NotFound"/>.</item>
/// <item>AWS refused or failed for this item (throttled past the retries, access denied, a service error, an outcome it
/// could not confirm): the fact is <see cref="Fact{T}.Unread"/> with a <see cref="Gap"/> saying why.</item>
/// <item>What stops everything propagates: no usable configuration, an endpoint that cannot be reached or does not
/// speak AWS, cancellation. Anything else is a DeployOps defect and propagates too.</item>
/// </list>
/// </summary>
public sealed class FactPolicy
{
    private readonly int _maxAttempts;

    public FactPolicy(int maxAttempts)
    {
        _maxAttempts = maxAttempts;
    }

    /// <summary>Reads one item under the policy; <paramref name="what"/> names it for the gap.</summary>
    public async Task<Fact<T>> ReadAsync<T>(string what, Func<Task<T>> read)
    {
        try
        {
            return Fact<T>.Of(await read().ConfigureAwait(false));
        }
        catch (AwsServiceException ex) when (ex.Classification == AwsErrorClassification.NotFound)
        {
            return Fact<T>.NotFound();
        }
        catch (Exception ex) when (ex is AwsServiceException or AwsOutcomeUnknownException)
        {
            return Fact<T>.Unread(new Gap(what, Why((AwsCallException)ex)));
        }
    }

    /// <summary>Why a read failed, in a few words: the error code, and the attempts when retrying did not help.</summary>
    public string Why(AwsCallException exception) => exception switch
    {
        AwsServiceException { Classification: AwsErrorClassification.Throttling or AwsErrorClassification.ServiceUnavailable } service =>
            $"{service.ErrorCode} after {_maxAttempts} attempt{(_maxAttempts == 1 ? "" : "s")}",
        AwsServiceException service => $"{service.ErrorCode}: {service.ErrorMessage}",
        _ => exception.Message,
    };
}
