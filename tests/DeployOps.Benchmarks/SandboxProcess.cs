using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace DeployOps.Benchmarks;

/// <summary>The sandbox as its own process (the way people run it), so its RSS and CPU can be read from /proc.</summary>
public sealed class SandboxProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _control = new() { Timeout = TimeSpan.FromMinutes(2) };

    private SandboxProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public int ProcessId => _process.Id;

    public static async Task<SandboxProcess> StartAsync(string scenario)
    {
        var sandbox = Path.Combine(AppContext.BaseDirectory, "DeployOps.Sandbox.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { sandbox, "--port", "0", "--scenario", scenario })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginErrorReadLine();
        const string ready = "DeployOps sandbox ready at ";
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(ready, StringComparison.Ordinal))
            {
                return new SandboxProcess(process, new Uri(line[ready.Length..] + "/"));
            }
        }

        throw new InvalidOperationException($"The sandbox exited with {process.ExitCode} before it was ready.");
    }

    /// <summary>Resident memory of the sandbox process (moto runs in its own process and is reported apart).</summary>
    public long ResidentBytes => ReadStatusKilobytes(_process.Id, "VmRSS") * 1024;

    /// <summary>Peak resident memory of the sandbox process.</summary>
    public long PeakResidentBytes => ReadStatusKilobytes(_process.Id, "VmHWM") * 1024;

    /// <summary>CPU time used so far (user + system), from /proc/PID/stat.</summary>
    public static TimeSpan CpuTime(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    public TimeSpan CpuTime() => CpuTime(_process.Id);

    /// <summary>The moto_server child of the sandbox, if any.</summary>
    public int? MotoProcessId =>
        Directory.GetDirectories("/proc").Select(d => Path.GetFileName(d)).Where(n => n.All(char.IsDigit)).Select(int.Parse)
            .FirstOrDefault(pid => ParentOf(pid) == _process.Id && File.ReadAllText($"/proc/{pid}/cmdline").Contains("moto_server", StringComparison.Ordinal)) is var pid and > 0 ? pid : null;

    public static long ReadStatusKilobytes(int processId, string field) =>
        File.ReadLines($"/proc/{processId}/status").Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    /// <summary>Loads a scenario (which also clears the faults).</summary>
    public async Task LoadScenarioAsync(string name)
    {
        using var response = await _control.PostAsync(new Uri(Url, "_sandbox/scenario/" + name), null);
        await EnsureSuccessAsync(response);
    }

    /// <summary>The names of the shipped scenarios.</summary>
    public async Task<IReadOnlyList<string>> ScenariosAsync() =>
        JsonNode.Parse(await _control.GetStringAsync(new Uri(Url, "_sandbox/scenarios")))!.AsArray().Select(n => (string)n!).ToList();

    /// <summary><c>GET /_sandbox/state</c>.</summary>
    public async Task<JsonObject> StateAsync() => JsonNode.Parse(await _control.GetStringAsync(new Uri(Url, "_sandbox/state")))!.AsObject();

    /// <summary>Sets the fault rules (<c>POST /_sandbox/faults</c>, e.g. <c>{"seed": 1, "rules": [...]}</c>).</summary>
    public async Task SetFaultsAsync(string settings)
    {
        using var response = await _control.PostAsync(new Uri(Url, "_sandbox/faults"), new StringContent(settings, Encoding.UTF8, "application/json"));
        await EnsureSuccessAsync(response);
    }

    /// <summary>The faults that struck since the rules were set (at most the last 1000); each has kind, service, operation and applied.</summary>
    public async Task<JsonArray> InjectedFaultsAsync() =>
        JsonNode.Parse(await _control.GetStringAsync(new Uri(Url, "_sandbox/faults")))!["injected"]!.AsArray();

    /// <summary>Sets the world clock's speed (world seconds per real second; the sandbox starts at 30).</summary>
    public async Task SetClockSpeedAsync(double speed)
    {
        using var response = await _control.PostAsync(new Uri(Url, "_sandbox/clock"),
            new StringContent(string.Create(CultureInfo.InvariantCulture, $"{{\"speed\": {speed}}}"), Encoding.UTF8, "application/json"));
        await EnsureSuccessAsync(response);
    }

    public async Task ClearFaultsAsync()
    {
        using var response = await _control.DeleteAsync(new Uri(Url, "_sandbox/faults"));
        await EnsureSuccessAsync(response);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM, so the sandbox stops moto and its listeners as it would on Ctrl-C.
            Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await Task.CompletedTask;
        _control.Dispose();
        _process.Dispose();
    }
}
