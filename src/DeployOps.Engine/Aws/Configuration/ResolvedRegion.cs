using System.Text.RegularExpressions;
using Amazon;

namespace DeployOps.Aws.Configuration;

/// <summary>A region name and where it came from (<c>-Region</c>, <c>$StoredAWSRegion</c>, <c>AWS_REGION</c>, <c>profile 'name'</c>...).</summary>
public sealed record ResolvedRegion(string Name, string Source)
{
    // A partition prefix of 2 to 4 letters (us, eusc), words (gov, east), a number: us-east-1, us-gov-west-1, eusc-de-east-1.
    private const string UnknownDisplayName = "Unknown";

    private static readonly Regex Shape = new("^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$", RegexOptions.CultureInvariant);

    /// <summary>True when <paramref name="name"/> looks like a region name, e.g. <c>us-east-1</c> or <c>us-gov-west-1</c>.</summary>
    public static bool IsWellFormed(string name) => Shape.IsMatch(name);

    /// <summary>
    /// True when the AWS SDK knows the region. A well-formed name it does not know may still be a region newer than the
    /// SDK, so this only explains failures; it never refuses a region up front. (The SDK adds every name it is asked
    /// for to its list of regions, under the display name "Unknown", so the list itself cannot tell.)
    /// </summary>
    public bool IsKnown => RegionEndpoint.GetBySystemName(Name).DisplayName != UnknownDisplayName;

    /// <summary>The name in quotes and its source, e.g. <c>'us-east-1' (from -Region)</c>.</summary>
    public override string ToString() => $"'{Name}' (from {Source})";
}
