namespace DeployOps.Aws.Retries;

/// <summary>
/// The standard retry mode's token bucket: 500 tokens; a retry costs 5 (10 after a timeout); a success gives back
/// what its last retry cost, or 1 when it needed none. An empty bucket stops retries during an outage. Thread-safe.
/// </summary>
public sealed class RetryQuota
{
    /// <summary>Tokens in a full bucket.</summary>
    public const int Capacity = 500;

    /// <summary>Cost of one retry.</summary>
    public const int RetryCost = 5;

    /// <summary>Cost of one retry after a timeout.</summary>
    public const int TimeoutRetryCost = 10;

    /// <summary>Given back by a success that needed no retry.</summary>
    public const int NoRetryIncrement = 1;

    private readonly object _gate = new();
    private int _available = Capacity;

    /// <summary>Tokens left.</summary>
    public int Available
    {
        get
        {
            lock (_gate)
            {
                return _available;
            }
        }
    }

    /// <summary>The cost of retrying after <paramref name="kind"/>.</summary>
    public static int CostOf(FailureKind kind) => kind == FailureKind.Timeout ? TimeoutRetryCost : RetryCost;

    /// <summary>Takes <paramref name="cost"/> tokens if that many are left.</summary>
    public bool TryAcquire(int cost)
    {
        lock (_gate)
        {
            if (_available < cost)
            {
                return false;
            }

            _available -= cost;
            return true;
        }
    }

    /// <summary>Records a success: gives back <paramref name="lastRetryCost"/>, or <see cref="NoRetryIncrement"/> when there was no retry.</summary>
    public void RecordSuccess(int? lastRetryCost)
    {
        lock (_gate)
        {
            var refund = lastRetryCost ?? NoRetryIncrement;
            _available = _available + refund > Capacity ? Capacity : _available + refund;
        }
    }
}
