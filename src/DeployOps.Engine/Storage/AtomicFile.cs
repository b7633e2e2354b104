using System;
using System.IO;
using System.Text;

namespace DeployOps.Storage;

/// <summary>
/// Whole-file reads and writes that never expose a half-written file: a write goes to a temporary file in the same
/// folder, is flushed to disk, then renamed over the target (atomic on one file system). A reader sees the old content
/// or the new, never a mix. Combine with <see cref="FileLock"/> when several processes read-modify-write.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The file's text, or null when it does not exist.</summary>
    public static string? ReadAllText(string path) => File.Exists(path) ? File.ReadAllText(path, Utf8) : null;

    /// <summary>Replaces the file's content with <paramref name="text"/> atomically, creating the folder when needed.</summary>
    public static void WriteAllText(string path, string text)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            {
                var bytes = Utf8.GetBytes(text);
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true);
            }

            if (File.Exists(path))
            {
                File.Replace(temporary, path, destinationBackupFileName: null, ignoreMetadataErrors: true);
            }
            else
            {
                File.Move(temporary, path);
            }
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
