namespace DeployOps.Aws.Configuration;

/// <summary>
/// Where the AWS layer reads environment variables and the home directory. Every such read goes
/// through this, so tests run against a <see cref="FixedAwsEnvironment"/> and never see the real user's state.
/// </summary>
public interface IAwsEnvironment
{
    /// <summary>The variable's value, or null when it is unset or empty.</summary>
    string? GetVariable(string name);

    /// <summary>The user's home directory (for <c>~/.aws</c> and <c>~/.deployops</c>), or null when unknown.</summary>
    string? HomeDirectory { get; }
}
