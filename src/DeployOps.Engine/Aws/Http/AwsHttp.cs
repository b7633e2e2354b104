using System;
using System.Net.Http;
using System.Threading;

namespace DeployOps.Aws.Http;

/// <summary>The process's one HTTP client for AWS calls: connections are pooled and reused across sessions.</summary>
public static class AwsHttp
{
    /// <summary>Connections per endpoint; above a session's default of 8 requests in flight.</summary>
    public const int MaxConnectionsPerEndpoint = 32;

    /// <summary>The shared client. Its own timeout is off: each attempt has its own, so a timeout can be told apart from Ctrl-C.</summary>
    public static HttpClient SharedClient { get; } = new(CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan };

    private static HttpClientHandler CreateHandler()
    {
        var handler = new HttpClientHandler { UseCookies = false };
        try
        {
            // .NET Framework (Windows PowerShell 5.1) allows only 2 connections per host unless told otherwise.
            handler.MaxConnectionsPerServer = MaxConnectionsPerEndpoint;
        }
        catch (PlatformNotSupportedException)
        {
            // An older framework: keep its default.
        }

        return handler;
    }
}
