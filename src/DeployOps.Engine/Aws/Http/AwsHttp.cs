using System.Net.Http;
using System.Threading;

namespace DeployOps.Aws.Http;

/// <summary>The process's one HTTP client for AWS calls: connections are pooled and reused across sessions.</summary>
public static class AwsHttp
{
    /// <summary>The shared client. Its own timeout is off: each attempt has its own, so a timeout can be told apart from Ctrl-C.</summary>
    public static HttpClient SharedClient { get; } = new(new HttpClientHandler { UseCookies = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
