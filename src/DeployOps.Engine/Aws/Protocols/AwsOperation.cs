namespace DeployOps.Aws.Protocols;

/// <summary>An API operation, whether sending it twice is safe, and how it pages (if it does).</summary>
/// <param name="Name">The operation name as in the service model, e.g. <c>UpdateService</c>.</param>
/// <param name="IsIdempotent">True when repeating it has the same effect as sending it once (all reads, and writes that set state).</param>
public sealed record AwsOperation(string Name, bool IsIdempotent)
{
    /// <summary>Its paging as botocore's <c>paginators-1.json</c> declares it; null for an operation that does not page.</summary>
    public AwsPaginator? Paginator { get; init; }

    /// <summary>A read, or a write that sets absolute state: retried on any retryable failure.</summary>
    public static AwsOperation Idempotent(string name) => new(name, true);

    /// <summary>A write whose repetition changes the outcome: retried only when the failure proves it was not applied.</summary>
    public static AwsOperation NonIdempotent(string name) => new(name, false);

    /// <summary>This operation, paged by <paramref name="paginator"/>.</summary>
    public AwsOperation Paged(AwsPaginator paginator) => this with { Paginator = paginator };
}
