using System;

namespace DeployOps.Environments;

/// <summary>What is wrong with the environment settings.</summary>
public enum DeploymentSettingsProblem
{
    /// <summary>No settings file was found, or a named one does not exist.</summary>
    FileNotFound,

    /// <summary>The file is not valid JSON, or a value has the wrong type or form.</summary>
    InvalidFile,

    /// <summary>The requested environment is not in the file.</summary>
    UnknownEnvironment,
}

/// <summary>
/// The environment settings cannot be used. The message names the file and, for a bad value, the JSON key path
/// (e.g. <c>environments.dev.services.api.healthCheckPath</c>), the line and what was expected.
/// </summary>
public sealed class DeploymentSettingsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeploymentSettingsException(
        DeploymentSettingsProblem problem,
        string message,
        string? filePath = null,
        string? jsonPath = null,
        int? line = null,
        Exception? inner = null)
        : base(message, inner)
    {
        Problem = problem;
        FilePath = filePath;
        JsonPath = jsonPath;
        Line = line;
    }

    /// <summary>What is wrong.</summary>
    public DeploymentSettingsProblem Problem { get; }

    /// <summary>The settings file, when one was read.</summary>
    public string? FilePath { get; }

    /// <summary>The key path of the bad value, e.g. <c>environments.dev.region</c>.</summary>
    public string? JsonPath { get; }

    /// <summary>The 1-based line of the bad value.</summary>
    public int? Line { get; }
}
