using System;
using System.Collections.Generic;

namespace DeployOps.Aws.Configuration;

/// <summary>An environment given as values: for tests and for callers that want to pin the environment.</summary>
public sealed class FixedAwsEnvironment : IAwsEnvironment
{
    private readonly Dictionary<string, string> _variables;

    /// <summary>Creates an environment with the given variables (empty values count as unset) and home directory.</summary>
    public FixedAwsEnvironment(IEnumerable<KeyValuePair<string, string?>>? variables = null, string? homeDirectory = null)
    {
        _variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in variables ?? Array.Empty<KeyValuePair<string, string?>>())
        {
            if (!string.IsNullOrEmpty(pair.Value))
            {
                _variables[pair.Key] = pair.Value!;
            }
        }

        HomeDirectory = homeDirectory;
    }

    /// <inheritdoc />
    public string? GetVariable(string name) => _variables.TryGetValue(name, out var value) ? value : null;

    /// <inheritdoc />
    public string? HomeDirectory { get; }

    /// <summary>A copy with one more variable (or a changed one).</summary>
    public FixedAwsEnvironment With(string name, string? value)
    {
        var copy = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var pair in _variables)
        {
            copy[pair.Key] = pair.Value;
        }

        copy[name] = value;
        return new FixedAwsEnvironment(copy, HomeDirectory);
    }
}
