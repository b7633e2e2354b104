using System;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Storage;

/// <summary>A JSON file that cannot be read as its document (cut off, edited by hand, another format).</summary>
public sealed class CorruptFileException : Exception
{
    public CorruptFileException(string path, string problem, Exception? inner = null)
        : base($"'{path}' is not a valid file of its kind: {problem}", inner)
    {
        Path = path;
    }

    /// <summary>The file.</summary>
    public string Path { get; }
}

/// <summary>
/// One JSON document in one file, shared by processes: reads never see a half-written file (<see cref="AtomicFile"/>),
/// and read-modify-write runs under <see cref="FileLock"/>, so no process's change is lost to another's. The local
/// stores DeployOps keeps (the deployment registry, the deployment journal, the notification outbox) are built on it.
/// </summary>
public sealed class LockedJsonFile<T>
    where T : class, new()
{
    private readonly JsonSerializerOptions _options;
    private readonly TimeSpan _lockTimeout;

    public LockedJsonFile(string path, JsonSerializerOptions options, TimeSpan? lockTimeout = null)
    {
        Path = path;
        _options = options;
        _lockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The document; a new one when the file does not exist. Throws <see cref="CorruptFileException"/> when it cannot be read.</summary>
    public T Read()
    {
        var text = AtomicFile.ReadAllText(Path);
        if (text is null)
        {
            return new T();
        }

        try
        {
            return JsonSerializer.Deserialize<T>(text, _options) ?? throw new CorruptFileException(Path, "it holds null");
        }
        catch (JsonException ex)
        {
            throw new CorruptFileException(Path, $"{ex.Message.TrimEnd('.')} (line {(ex.LineNumber ?? 0) + 1})", ex);
        }
    }

    /// <summary>Reads, changes and writes the document under the lock; returns what was written.</summary>
    public async Task<T> UpdateAsync(Func<T, T> change, CancellationToken cancellationToken = default)
    {
        using var held = await FileLock.AcquireAsync(Path, _lockTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        var updated = change(Read());
        AtomicFile.WriteAllText(Path, JsonSerializer.Serialize(updated, _options));
        return updated;
    }

    /// <summary>
    /// Writes <paramref name="document"/> as the whole file under the lock without reading what is there, so it also
    /// replaces a corrupted file (e.g. a reinitialised registry).
    /// </summary>
    public async Task<T> WriteAsync(T document, CancellationToken cancellationToken = default)
    {
        using var held = await FileLock.AcquireAsync(Path, _lockTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        AtomicFile.WriteAllText(Path, JsonSerializer.Serialize(document, _options));
        return document;
    }
}
