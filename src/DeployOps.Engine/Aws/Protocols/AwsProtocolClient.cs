using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Http;

namespace DeployOps.Aws.Protocols;

/// <summary>What the JSON and query clients share: the service, its endpoint and the session's request pipeline.</summary>
public abstract class AwsProtocolClient
{
    private readonly AwsRequestPipeline _pipeline;

    private protected AwsProtocolClient(AwsServiceDescription service, Uri endpoint, AwsRequestPipeline pipeline, params AwsProtocol[] spoken)
    {
        if (!spoken.Contains(service.Protocol))
        {
            throw new ArgumentException($"{service.ServiceId} speaks {service.Protocol}, which {GetType().Name} does not.", nameof(service));
        }

        Service = service;
        Endpoint = endpoint;
        _pipeline = pipeline;
    }

    /// <summary>The service this client calls.</summary>
    public AwsServiceDescription Service { get; }

    /// <summary>The endpoint it calls.</summary>
    public Uri Endpoint { get; }

    /// <summary>
    /// Sends one framed request through the pipeline and reads the 2xx body with <paramref name="read"/>, inside the
    /// retry loop: a body that cannot be read is retried like a transient error, then reported as an
    /// <see cref="AwsUnexpectedResponseException"/>. <paramref name="readError"/> reads an error response, or returns null
    /// when its body is no AWS error document.
    /// </summary>
    private protected Task<T> SendAsync<T>(
        AwsOperation operation,
        byte[] body,
        string contentType,
        string? target,
        Func<AwsHttpResponse, AwsErrorDetails?> readError,
        Func<string, T> read,
        CancellationToken cancellationToken) =>
        _pipeline.SendAsync(new AwsHttpRequest(Service, Endpoint, operation, body, contentType, target), readError, response => read(response.Body), cancellationToken);
}

/// <summary>
/// A protocol client whose responses are <typeparamref name="TDocument"/> (a JSON object, an XML result element):
/// calls, reads inside the retry loop, and runs an operation's paginator.
/// </summary>
public abstract class AwsProtocolClient<TDocument> : AwsProtocolClient
{
    private protected AwsProtocolClient(AwsServiceDescription service, Uri endpoint, AwsRequestPipeline pipeline, params AwsProtocol[] spoken)
        : base(service, endpoint, pipeline, spoken)
    {
    }

    /// <summary>
    /// Calls <paramref name="operation"/> and returns what <paramref name="read"/> makes of the response document. Read
    /// failures (a missing required member, a value that is no number or timestamp) count as an unreadable answer: retried
    /// for an idempotent operation, an unknown outcome for another.
    /// </summary>
    public abstract Task<T> CallAsync<T>(AwsOperation operation, AwsParameters parameters, Func<TDocument, T> read, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="operation"/> and returns the response document.</summary>
    public Task<TDocument> CallAsync(AwsOperation operation, AwsParameters parameters, CancellationToken cancellationToken) =>
        CallAsync(operation, parameters, document => document, cancellationToken);

    /// <summary>
    /// Runs <paramref name="operation"/>'s <see cref="AwsOperation.Paginator"/>: every page of <paramref name="parameters"/>
    /// (or up to <see cref="AwsPageLimits.MaxItems"/>, or to the first item <paramref name="stopAfter"/> accepts), reading
    /// each entry of the result key (the paginator's first unless <paramref name="resultKey"/> names another) with
    /// <paramref name="read"/>.
    /// </summary>
    public Task<AwsPagedList<T>> PaginateAsync<T>(
        AwsOperation operation,
        AwsParameters parameters,
        Func<TDocument, T> read,
        AwsPageLimits limits = default,
        CancellationToken cancellationToken = default,
        string? resultKey = null,
        Func<T, bool>? stopAfter = null)
    {
        var paginator = operation.Paginator
                        ?? throw new ArgumentException($"{Service.ServiceId} {operation.Name} declares no paginator.", nameof(operation));
        var key = resultKey ?? paginator.ResultKeys[0];
        return AwsPager.CollectAsync(
            paginator,
            parameters,
            limits,
            (page, ct) => CallAsync(operation, page, document => ReadPage(document, paginator, key, read, SentToken(page, paginator)), ct),
            stopAfter,
            cancellationToken);
    }

    /// <summary>All pages' items, for callers that want them all.</summary>
    public async Task<IReadOnlyList<T>> PaginateAllAsync<T>(
        AwsOperation operation, AwsParameters parameters, Func<TDocument, T> read, AwsPageLimits limits, CancellationToken cancellationToken) =>
        (await PaginateAsync(operation, parameters, read, limits, cancellationToken).ConfigureAwait(false)).Items;

    /// <summary>Reads one page: the entries of <paramref name="resultKey"/> and the next token (see <see cref="AwsPager.NextToken"/>).</summary>
    internal abstract AwsPage<T> ReadPage<T>(TDocument document, AwsPaginator paginator, string resultKey, Func<TDocument, T> read, string? sentToken);

    private static string? SentToken(AwsParameters page, AwsPaginator paginator) =>
        page.FirstOrDefault(member => member.Key == paginator.InputToken).Value as string;
}
