using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Http;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.EcsRuntime;

/// <summary>
/// Answers HTTP requests the way a task's application profile says: its routes, its default
/// status, CORS headers for the origins it allows, how slowly it answers (world seconds on <see cref="WorldClock"/>),
/// whether it resets the connection instead, and its keep-alive timeout (a <c>Keep-Alive</c> header).
/// </summary>
public sealed class AppBehaviour
{
    private readonly AppProfile _profile;
    private readonly string _taskId;
    private readonly WorldClock? _clock;

    /// <param name="clock">The world's clock for slow answers; null answers at once (when nothing serves requests).</param>
    public AppBehaviour(AppProfile profile, string taskId, WorldClock? clock = null)
    {
        _profile = profile;
        _taskId = taskId;
        _clock = clock;
    }

    public async Task<MiniHttpResponse> HandleAsync(MiniHttpRequest request, CancellationToken cancellationToken)
    {
        var response = Answer(request);
        _profile.Routes.TryGetValue(request.Path, out var route);
        if ((route?.SlowSeconds ?? _profile.SlowSeconds) is var slow and > 0 && _clock is not null)
        {
            await Task.Delay(_clock.ToWall(slow), cancellationToken).ConfigureAwait(false);
        }

        return route?.ResetConnection ?? _profile.ResetConnection ? MiniHttpResponse.Reset : response;
    }

    private MiniHttpResponse Answer(MiniHttpRequest request)
    {
        var headers = new List<KeyValuePair<string, string>> { new("Server", "gunicorn"), new("X-Sandbox-Task", _taskId) };
        if (_profile.KeepAliveSeconds is { } keepAlive)
        {
            headers.Add(new("Keep-Alive", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"timeout={keepAlive:0.###}")));
        }

        var origin = request.Header("Origin");
        var corsAllowed = origin is not null && (_profile.CorsAllowOrigins.Contains("*") || _profile.CorsAllowOrigins.Contains(origin, StringComparer.Ordinal));
        if (corsAllowed)
        {
            headers.Add(new("Access-Control-Allow-Origin", _profile.CorsAllowOrigins.Contains("*") ? "*" : origin!));
            headers.Add(new("Vary", "Origin"));
        }

        if (request.Method == "OPTIONS" && origin is not null)
        {
            if (corsAllowed)
            {
                headers.Add(new("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS"));
                headers.Add(new("Access-Control-Allow-Headers", request.Header("Access-Control-Request-Headers") ?? "content-type, authorization"));
            }

            return new MiniHttpResponse(corsAllowed ? 200 : 403, "text/plain", [], headers);
        }

        if (_profile.Routes.TryGetValue(request.Path, out var route))
        {
            headers.AddRange(route.Headers);
            return new MiniHttpResponse(route.Status, route.ContentType, Encoding.UTF8.GetBytes(Expand(route.Body)), headers);
        }

        var body = $"<h1>Not Found</h1><p>The requested resource was not found on this server.</p>";
        return MiniHttpResponse.Text(_profile.DefaultStatus, body, "text/html; charset=utf-8", headers);
    }

    /// <summary>Fills the placeholders a scenario may use in bodies and log lines.</summary>
    public string Expand(string text) => Expand(text, _profile, _taskId);

    public static string Expand(string text, AppProfile profile, string taskId)
    {
        var tag = profile.Image.Contains(':', StringComparison.Ordinal) ? profile.Image[(profile.Image.LastIndexOf(':') + 1)..] : "latest";
        return text
            .Replace("{image}", profile.Image, StringComparison.Ordinal)
            .Replace("{imageTag}", tag, StringComparison.Ordinal)
            .Replace("{taskId}", taskId, StringComparison.Ordinal)
            .Replace("{port}", profile.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}
