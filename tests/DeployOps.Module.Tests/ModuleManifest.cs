using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DeployOps.Module.Tests;

/// <summary>A module manifest read with <see cref="PowerShellDataFile"/>.</summary>
public sealed class ModuleManifest(IReadOnlyDictionary<string, object?> data)
{
    /// <summary>The keys whose values are paths relative to the module root.</summary>
    public static readonly string[] FileKeys =
        ["RootModule", "FormatsToProcess", "TypesToProcess", "RequiredAssemblies", "NestedModules", "FileList"];

    public static ModuleManifest Load(string path) => new(PowerShellDataFile.Parse(File.ReadAllText(path)));

    public bool Has(string key) => data.ContainsKey(key);

    public string? Text(string key) => data.TryGetValue(key, out var value) ? value as string : null;

    /// <summary>A string or an array of strings, as PowerShell accepts both; absent is empty.</summary>
    public IReadOnlyList<string> Strings(string key) => data.GetValueOrDefault(key) switch
    {
        null => [],
        string one => [one],
        object?[] many when many.All(item => item is string) => many.Cast<string>().ToArray(),
        var other => throw new InvalidDataException($"{key} must be a string or an array of strings, not {other}"),
    };

    public IEnumerable<string> NamedFiles() => FileKeys.SelectMany(Strings);
}
