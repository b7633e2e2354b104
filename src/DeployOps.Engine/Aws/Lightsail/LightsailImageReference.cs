using System.Globalization;
using System.Text.RegularExpressions;

namespace DeployOps.Aws.Lightsail;

/// <summary>
/// An image pushed to a container service, as Lightsail names it: <c>:&lt;service&gt;.&lt;label&gt;.&lt;number&gt;</c>, e.g.
/// <c>:api.soft-launch-32.165</c>. The number grows with every push, so the highest is the newest.
/// </summary>
public sealed record LightsailImageReference(string Service, string Label, int Number)
{
    private static readonly Regex Pattern = new(@"^:(?<service>[a-z0-9]([a-z0-9-]*[a-z0-9])?)\.(?<label>[a-z0-9]([a-z0-9-]*[a-z0-9])?)\.(?<number>\d{1,9})$", RegexOptions.CultureInvariant);

    /// <summary>The reference, or null when <paramref name="image"/> is not a pushed image's (a registry image such as nginx:1.25).</summary>
    public static LightsailImageReference? TryParse(string? image)
    {
        var match = image is null ? null : Pattern.Match(image);
        return match is { Success: true }
            ? new LightsailImageReference(match.Groups["service"].Value, match.Groups["label"].Value, int.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture))
            : null;
    }

    /// <summary>True when <paramref name="image"/> names an image pushed to a container service (it starts with a colon).</summary>
    public static bool IsPushed(string image) => image.StartsWith(":", System.StringComparison.Ordinal);

    public override string ToString() => $":{Service}.{Label}.{Number.ToString(CultureInfo.InvariantCulture)}";
}
