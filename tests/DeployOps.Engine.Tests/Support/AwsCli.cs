using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Tasks;
using DeployOps.Testing;

namespace DeployOps.Engine.Tests.Support;

/// <summary>
/// The AWS CLI against a test's moto: an oracle independent of the engine's protocol code. The child process gets
/// its own credentials and empty config files, so it never reads the real user's ~/.aws.
/// </summary>
internal static class AwsCli
{
    public static async Task<JsonElement> RunAsync(MotoFixture moto, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("aws")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.ArgumentList.Add("--endpoint-url");
        startInfo.ArgumentList.Add(moto.Url.ToString());
        startInfo.ArgumentList.Add("--output");
        startInfo.ArgumentList.Add("json");
        foreach (var (name, value) in Variables)
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("aws did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"aws {string.Join(" ", arguments)} failed: {await error}");
        }

        var text = await output;
        return string.IsNullOrWhiteSpace(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static IEnumerable<(string, string)> Variables => new[]
    {
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_DEFAULT_REGION", MotoSessions.Region),
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ("AWS_PAGER", string.Empty),
    };
}
