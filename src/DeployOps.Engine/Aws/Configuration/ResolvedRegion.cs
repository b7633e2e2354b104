using System.Text.RegularExpressions;

namespace DeployOps.Aws.Configuration;

/// <summary>A region name and where it came from (<c>Parameter</c>, <c>ShellDefault</c>, <c>Environment:AWS_REGION</c>, <c>Profile:&lt;name&gt;</c>).</summary>
public sealed record ResolvedRegion(string Name, string Source)
{
    private static readonly Regex Shape = new("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", RegexOptions.CultureInvariant);

    /// <summary>True when <paramref name="name"/> looks like a region name, e.g. <c>us-east-1</c> or <c>us-gov-west-1</c>.</summary>
    public static bool IsWellFormed(string name) => Shape.IsMatch(name);

    /// <inheritdoc />
    public override string ToString() => $"{Name} (from {Source})";
}
