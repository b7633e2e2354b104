using System;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Tasks;

namespace DeployOps.Testing;

/// <summary>
/// The aws CLI against a local endpoint (moto or the sandbox): an oracle independent of DeployOps'
/// protocol code. The child process gets throwaway credentials and empty config files, so it never
/// reads the real user's ~/.aws.
/// </summary>
public static class AwsCli
{
    /// <summary>Runs <c>aws ARGS</c> against <paramref name="endpoint"/>; returns standard output, throws with standard error on failure.</summary>
    public static Task<string> RunAsync(Uri endpoint, params string[] arguments) => RunAsync(endpoint, maxAttempts: null, arguments);

    /// <summary>
    /// Runs <c>aws ARGS</c> with one attempt (<c>AWS_MAX_ATTEMPTS=1</c>): the CLI does not retry a 5xx or a dropped
    /// connection, so a test sees the first answer and knows the request was sent once.
    /// </summary>
    public static Task<string> RunOnceAsync(Uri endpoint, params string[] arguments) => RunAsync(endpoint, maxAttempts: 1, arguments);

    private static async Task<string> RunAsync(Uri endpoint, int? maxAttempts, string[] arguments)
    {
        var start = new ProcessStartInfo("aws") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AWS_ENDPOINT_URL"] = endpoint.ToString().TrimEnd('/');
        start.Environment["AWS_ACCESS_KEY_ID"] = "testing";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "testing";
        start.Environment["AWS_DEFAULT_REGION"] = Lightwave.Region;
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_PAGER"] = "";
        if (maxAttempts is { } attempts)
        {
            start.Environment["AWS_MAX_ATTEMPTS"] = attempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("aws did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"aws {string.Join(" ", arguments)} failed: {await error}");
        }

        return await output;
    }

    /// <summary>Runs <c>aws ARGS --output json</c> and parses the answer (default for no output).</summary>
    public static async Task<JsonElement> RunJsonAsync(Uri endpoint, params string[] arguments)
    {
        var text = await RunAsync(endpoint, [.. arguments, "--output", "json"]);
        return string.IsNullOrWhiteSpace(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
