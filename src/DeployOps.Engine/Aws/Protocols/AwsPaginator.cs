using System;
using System.Collections.Generic;
using System.Linq;

namespace DeployOps.Aws.Protocols;

/// <summary>
/// How one operation pages, in the terms of botocore's <c>paginators-1.json</c>: the request member that takes the
/// token (<c>input_token</c>), the response member that gives the next one (<c>output_token</c>, a path such as
/// <c>EngineDefaults.Marker</c> allowed), the request member that sets the page size (<c>limit_key</c>), the list(s) a
/// page holds (<c>result_key</c>) and, for the few operations that have one, the boolean that says whether more pages
/// follow (<c>more_results</c>). Copy each operation's entry from the model:
/// <code>AwsPaginator.Of(inputToken: "Marker", outputToken: "NextMarker", limitKey: "PageSize", "TargetGroups")</code>
/// </summary>
public sealed class AwsPaginator
{
    private static readonly IReadOnlyDictionary<string, string> EmptyNames = new Dictionary<string, string>();

    private readonly IReadOnlyDictionary<string, string> _locationNames;

    private AwsPaginator(string inputToken, string outputToken, string? limitKey, IReadOnlyList<string> resultKeys, string? moreResults, IReadOnlyDictionary<string, string> locationNames)
    {
        if (resultKeys.Count == 0)
        {
            throw new ArgumentException("A paginator needs at least one result key.", nameof(resultKeys));
        }

        InputToken = inputToken;
        OutputToken = outputToken;
        LimitKey = limitKey;
        ResultKeys = resultKeys;
        MoreResults = moreResults;
        _locationNames = locationNames;
    }

    /// <summary><c>input_token</c>: the request member that carries the token.</summary>
    public string InputToken { get; }

    /// <summary><c>output_token</c>: the response member (path) with the next page's token.</summary>
    public string OutputToken { get; }

    /// <summary><c>limit_key</c>: the request member that sets the page size; null when the operation has none.</summary>
    public string? LimitKey { get; }

    /// <summary><c>result_key</c>: the response member(s) (paths) each page holds a list in; the first is the default.</summary>
    public IReadOnlyList<string> ResultKeys { get; }

    /// <summary><c>more_results</c>: a boolean response member (path); when false, no page follows whatever the token says.</summary>
    public string? MoreResults { get; }

    /// <summary>A paginator entry as botocore writes it.</summary>
    public static AwsPaginator Of(string inputToken, string outputToken, string? limitKey, params string[] resultKeys) =>
        new(inputToken, outputToken, limitKey, resultKeys, null, EmptyNames);

    /// <summary>This paginator with <c>more_results</c>.</summary>
    public AwsPaginator WithMoreResults(string moreResults) =>
        new(InputToken, OutputToken, LimitKey, ResultKeys, moreResults, _locationNames);

    /// <summary>
    /// This paginator with the model's <c>locationName</c> of response members whose wire name is not their member name:
    /// EC2's, e.g. <c>("NextToken", "nextToken"), ("SecurityGroups", "securityGroupInfo")</c>.
    /// </summary>
    public AwsPaginator WithLocationNames(params (string Member, string LocationName)[] names) =>
        new(InputToken, OutputToken, LimitKey, ResultKeys, MoreResults, names.ToDictionary(n => n.Member, n => n.LocationName, StringComparer.Ordinal));

    /// <summary>The wire names along a response member path (<c>EngineDefaults.Marker</c> is two).</summary>
    internal IReadOnlyList<string> WirePath(string memberPath) =>
        memberPath.Split('.').Select(member => _locationNames.TryGetValue(member, out var wire) ? wire : member).ToList();
}
