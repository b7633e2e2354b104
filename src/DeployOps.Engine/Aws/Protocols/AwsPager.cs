using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Aws.Protocols;

/// <summary>One page of a paginated response and the token for the next (null on the last page).</summary>
public readonly record struct AwsPage<T>(IReadOnlyList<T> Items, string? NextToken);

/// <summary>How much of a paginated operation to fetch.</summary>
/// <param name="PageSize">The <c>limit_key</c> value per page; null sends none (the service's default page).</param>
/// <param name="MaxItems">Stop once this many items are in hand (later pages ask for no more than are missing); null for all.</param>
public readonly record struct AwsPageLimits(int? PageSize = null, int? MaxItems = null);

/// <summary>The items of a paginated operation; <see cref="Truncated"/> when it stopped at <see cref="AwsPageLimits.MaxItems"/> with pages left.</summary>
public sealed record AwsPagedList<T>(IReadOnlyList<T> Items, bool Truncated);

/// <summary>
/// The one pager: runs any operation's <see cref="AwsPaginator"/> over either protocol. It sends the token and the
/// page size in the paginator's members and follows the output token (and <c>more_results</c>) until the last page
/// or the cap. The protocol clients read each page (<see cref="AwsProtocolClient{TDocument}.PaginateAsync{T}"/>).
/// </summary>
public static class AwsPager
{
    /// <summary>
    /// Fetches pages of <paramref name="request"/> until the service gives no next token or <paramref name="limits"/>
    /// is reached. <paramref name="fetchPage"/> sends one request (token and page size set) and reads its page.
    /// </summary>
    public static Task<AwsPagedList<T>> CollectAsync<T>(
        AwsPaginator paginator,
        AwsParameters request,
        AwsPageLimits limits,
        Func<AwsParameters, CancellationToken, Task<AwsPage<T>>> fetchPage,
        CancellationToken cancellationToken) =>
        CollectAsync(paginator, request, limits, fetchPage, stopAfter: null, cancellationToken);

    /// <summary>
    /// As <see cref="CollectAsync{T}(AwsPaginator, AwsParameters, AwsPageLimits, Func{AwsParameters, CancellationToken, Task{AwsPage{T}}}, CancellationToken)"/>,
    /// and stops at the first item <paramref name="stopAfter"/> accepts (kept, later ones dropped, <see cref="AwsPagedList{T}.Truncated"/>
    /// when more pages were left): newest-first lists read back to a known item (stack events since the last one seen).
    /// </summary>
    public static async Task<AwsPagedList<T>> CollectAsync<T>(
        AwsPaginator paginator,
        AwsParameters request,
        AwsPageLimits limits,
        Func<AwsParameters, CancellationToken, Task<AwsPage<T>>> fetchPage,
        Func<T, bool>? stopAfter,
        CancellationToken cancellationToken)
    {
        if (limits.MaxItems is < 1 || limits.PageSize is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(limits), limits, "Page size and item cap must be 1 or more.");
        }

        var items = new List<T>();
        string? token = null;
        do
        {
            var page = await fetchPage(PageRequest(paginator, request, limits, token, items.Count), cancellationToken).ConfigureAwait(false);
            token = page.NextToken;
            foreach (var item in page.Items)
            {
                items.Add(item);
                if (stopAfter?.Invoke(item) == true)
                {
                    var stoppedEarly = token is not null || !ReferenceEquals(item, page.Items[page.Items.Count - 1]);
                    return new AwsPagedList<T>(limits.MaxItems is { } max ? items.Take(max).ToList() : items, stoppedEarly);
                }
            }
        }
        while (token is not null && (limits.MaxItems is null || items.Count < limits.MaxItems));

        return limits.MaxItems is { } cap && items.Count >= cap
            ? new AwsPagedList<T>(items.Take(cap).ToList(), token is not null || items.Count > cap)
            : new AwsPagedList<T>(items, false);
    }

    /// <summary>
    /// The next token a page gives: null when it gives none (or an empty one) or when <c>more_results</c> says no more;
    /// a token equal to the one sent is not an answer (paging would never end), so reading the page fails.
    /// </summary>
    internal static string? NextToken(AwsPaginator paginator, string? outputToken, bool? moreResults, string? sentToken)
    {
        if (string.IsNullOrEmpty(outputToken) || (paginator.MoreResults is not null && moreResults != true))
        {
            return null;
        }

        return outputToken != sentToken
            ? outputToken
            : throw new InvalidDataException($"The response's {paginator.OutputToken} is the token that was sent, so paging would never end.");
    }

    private static AwsParameters PageRequest(AwsPaginator paginator, AwsParameters request, AwsPageLimits limits, string? token, int collected)
    {
        var pageSize = limits.MaxItems is { } cap ? Math.Min(limits.PageSize ?? cap, cap - collected) : limits.PageSize;
        var page = request.Without(paginator.InputToken);
        page.Add(paginator.InputToken, token);
        if (paginator.LimitKey is not null && pageSize is not null)
        {
            page = page.Without(paginator.LimitKey);
            page.Add(paginator.LimitKey, pageSize);
        }

        return page;
    }
}
