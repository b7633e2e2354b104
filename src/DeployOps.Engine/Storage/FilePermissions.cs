using System;
using System.IO;
using System.Reflection;

namespace DeployOps.Storage;

/// <summary>
/// Unix permission bits of the store's files and folders (runbook 001: the registry wants 644 and its folder 755). They
/// are read and set through .NET's <c>File.GetUnixFileMode</c>/<c>SetUnixFileMode</c> when the runtime has them
/// (.NET 7 and later, so PowerShell 7.4+ on Linux and macOS); on Windows and under Windows PowerShell 5.1 there are no
/// permission bits and <see cref="TryGetMode"/> answers null.
/// </summary>
public static class FilePermissions
{
    /// <summary>What runbook 001 sets on the registry file: rw-r--r--.</summary>
    public const int FileMode = 0x1A4; // 0644

    /// <summary>What runbook 001 sets on the registry folder: rwxr-xr-x.</summary>
    public const int FolderMode = 0x1ED; // 0755

    private const int OwnerRead = 0x100;
    private const int OwnerWrite = 0x80;
    private const int OwnerExecute = 0x40;

    private static readonly MethodInfo? GetMode = Platform(typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) }));
    private static readonly MethodInfo? SetMode = GetMode is null ? null : typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), GetMode.ReturnType });

    /// <summary>True when this runtime and system have Unix permission bits.</summary>
    public static bool Supported => GetMode is not null && SetMode is not null;

    /// <summary>The permission bits of <paramref name="path"/> (a file or folder), or null when there are none to read.</summary>
    public static int? TryGetMode(string path)
    {
        if (GetMode is null || !(File.Exists(path) || Directory.Exists(path)))
        {
            return null;
        }

        try
        {
            return Convert.ToInt32(GetMode.Invoke(null, new object[] { path }), System.Globalization.CultureInfo.InvariantCulture) & 0xFFF;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Sets the permission bits; throws <see cref="UnauthorizedAccessException"/> when the user may not (not the owner).</summary>
    public static void SetModeOf(string path, int mode)
    {
        if (SetMode is null)
        {
            throw new PlatformNotSupportedException("This system has no Unix permission bits.");
        }

        try
        {
            SetMode.Invoke(null, new[] { path, Enum.ToObject(SetMode.GetParameters()[1].ParameterType, mode) });
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }

    /// <summary>What a file's owner lacks to use it as a store file (read and write), or null when nothing.</summary>
    public static string? MissingForFile(int mode) => Missing(mode, (OwnerRead, "read"), (OwnerWrite, "write"));

    /// <summary>What a folder's owner lacks to use it as the store (list, create files, enter), or null when nothing.</summary>
    public static string? MissingForFolder(int mode) => Missing(mode, (OwnerRead, "read"), (OwnerWrite, "write"), (OwnerExecute, "enter"));

    /// <summary>The bits as <c>ls</c> and chmod show them: 644, 755, 000.</summary>
    public static string Octal(int mode) => Convert.ToString(mode & 0x1FF, 8).PadLeft(3, '0');

    private static string? Missing(int mode, params (int Bit, string Name)[] needed)
    {
        var missing = Array.FindAll(needed, n => (mode & n.Bit) == 0);
        return missing.Length == 0 ? null : string.Join(" and ", Array.ConvertAll(missing, n => n.Name));
    }

    // Windows has the methods on .NET 7+, but they always throw there.
    private static MethodInfo? Platform(MethodInfo? method) => Path.DirectorySeparatorChar == '\\' ? null : method;
}
