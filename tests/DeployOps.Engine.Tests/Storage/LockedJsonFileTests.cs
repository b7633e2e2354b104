using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Engine.Tests.Support;
using DeployOps.Storage;
using Xunit;

namespace DeployOps.Engine.Tests.Storage;

/// <summary>The local store's guarantees: no change lost to a concurrent one, no half-written file seen, a dead owner's lock taken over.</summary>
public sealed class LockedJsonFileTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TempDirectory _folder = new();

    public sealed class Counter
    {
        public List<int> Values { get; set; } = new();
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Concurrent_updates_lose_nothing_and_readers_never_see_a_half_written_file()
    {
        var file = new LockedJsonFile<Counter>(Path.Combine(_folder.Path, "counter.json"), Json);
        var reading = true;
        var readFailures = 0;
        var reader = Task.Run(() =>
        {
            while (Volatile.Read(ref reading))
            {
                try
                {
                    _ = file.Read();
                }
                catch (CorruptFileException)
                {
                    readFailures++;
                }
            }
        });

        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await file.UpdateAsync(counter => { counter.Values.Add(writer * 1000 + i); return counter; });
            }
        })));
        Volatile.Write(ref reading, false);
        await reader;

        Assert.Equal(200, file.Read().Values.Distinct().Count());
        Assert.Equal(0, readFailures);
        using (await FileLock.AcquireAsync(file.Path, TimeSpan.FromMilliseconds(100)))
        {
            // Free at once: every writer released it.
        }

        Assert.Empty(Directory.GetFiles(_folder.Path, "*.tmp"));
    }

    [Fact]
    public async Task A_lock_file_left_by_a_process_that_exited_is_no_lock()
    {
        // The operating system freed its lock when it died; only the file with its last owner remains.
        var path = Path.Combine(_folder.Path, "counter.json");
        File.WriteAllText(FileLock.LockPathOf(path), $"{Environment.MachineName} 999999 {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}");

        var written = await new LockedJsonFile<Counter>(path, Json, TimeSpan.FromSeconds(5)).UpdateAsync(c => { c.Values.Add(1); return c; });

        Assert.Equal(new[] { 1 }, written.Values);
    }

    [Fact]
    public async Task A_lock_held_by_a_live_process_times_out_naming_the_lock_and_its_owner()
    {
        var path = Path.Combine(_folder.Path, "counter.json");
        using var held = await FileLock.AcquireAsync(path, TimeSpan.FromSeconds(1));

        var thrown = await Assert.ThrowsAsync<TimeoutException>(() => FileLock.AcquireAsync(path, TimeSpan.FromMilliseconds(200)));

        Assert.Contains(FileLock.LockPathOf(path), thrown.Message);
        Assert.Contains($"process {Environment.ProcessId}", thrown.Message);
    }

    [Fact]
    public void A_corrupted_file_is_an_error_naming_the_file_and_the_line()
    {
        var path = Path.Combine(_folder.Path, "deployments.json");
        File.WriteAllText(path, "{\n  \"values\": [1, 2,\n");

        var thrown = Assert.Throws<CorruptFileException>(() => new LockedJsonFile<Counter>(path, Json).Read());

        Assert.Equal(path, thrown.Path);
        Assert.Contains("(line 3)", thrown.Message);
    }

    [Fact]
    public async Task Writing_a_whole_document_replaces_a_corrupted_file()
    {
        var path = Path.Combine(_folder.Path, "deployments.json");
        File.WriteAllText(path, "{\"values\": [1, 2");
        var file = new LockedJsonFile<Counter>(path, Json);

        await file.WriteAsync(new Counter { Values = { 7 } });

        Assert.Equal(new[] { 7 }, file.Read().Values);
    }
}
