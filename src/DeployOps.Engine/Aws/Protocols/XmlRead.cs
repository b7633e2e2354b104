using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace DeployOps.Aws.Protocols;

/// <summary>
/// Namespace-agnostic readers for query and EC2 responses: children are found by local name, whatever namespace
/// the service declares, and a missing element reads as null or empty.
/// </summary>
public static class XmlRead
{
    /// <summary>The first child with this local name, or null.</summary>
    public static XElement? Child(this XElement element, string localName) =>
        element.Elements().FirstOrDefault(child => child.Name.LocalName == localName);

    /// <summary>The first descendant with this local name, or null.</summary>
    public static XElement? Descendant(this XElement element, string localName) =>
        element.Descendants().FirstOrDefault(child => child.Name.LocalName == localName);

    /// <summary>A child the response must have; its absence means the response is not what the model promises.</summary>
    public static XElement Required(this XElement element, string localName) =>
        element.Child(localName) ?? throw new InvalidDataException($"The response has no '{localName}' element.");

    /// <summary>The element at a path of child names (<c>EngineDefaults/Marker</c> as two names), or null when any step is missing.</summary>
    public static XElement? Path(this XElement element, IEnumerable<string> localNames)
    {
        XElement? current = element;
        foreach (var name in localNames)
        {
            current = current?.Child(name);
        }

        return current;
    }

    /// <summary>A child's text, or null when the child is missing.</summary>
    public static string? Text(this XElement element, string localName) => element.Child(localName)?.Value;

    /// <summary>A child's long value.</summary>
    public static long? Long(this XElement element, string localName) =>
        long.TryParse(element.Text(localName), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>
    /// A child's double value (<c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> included). Null when missing;
    /// <see cref="InvalidDataException"/> when it is not a number.
    /// </summary>
    public static double? Double(this XElement element, string localName) =>
        element.Text(localName) is { } text ? AwsWireValues.ParseDouble(text) : null;

    /// <summary>A list of doubles, e.g. GetMetricData's <c>Values</c> (empty when missing).</summary>
    public static IReadOnlyList<double> Doubles(this XElement element, string listName) =>
        element.Items(listName).Select(item => AwsWireValues.ParseDouble(item.Value)).ToList();

    /// <summary>A child's integer value.</summary>
    public static int? Int(this XElement element, string localName) =>
        int.TryParse(element.Text(localName), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A child's boolean value.</summary>
    public static bool? Bool(this XElement element, string localName) =>
        bool.TryParse(element.Text(localName), out var value) ? value : null;

    /// <summary>
    /// A child's timestamp: ISO 8601 in the query protocols unless the model gives the member another
    /// <c>timestampFormat</c>; any of the three forms is read, as botocore does. Null when missing;
    /// <see cref="InvalidDataException"/> when it is no timestamp.
    /// </summary>
    public static DateTimeOffset? Timestamp(this XElement element, string localName, AwsTimestampFormat format = AwsTimestampFormat.Iso8601) =>
        element.Text(localName) is { } text ? AwsWireValues.ParseTimestamp(text, format) : null;

    /// <summary>The entries of a list child: its <c>member</c> (query) or <c>item</c> (EC2) elements; empty when missing.</summary>
    public static IEnumerable<XElement> Items(this XElement element, string listName) =>
        element.Child(listName)?.Elements() ?? Enumerable.Empty<XElement>();

    /// <summary>A list of strings.</summary>
    public static IReadOnlyList<string> Strings(this XElement element, string listName) =>
        element.Items(listName).Select(item => item.Value).ToList();

    /// <summary>A list built from a list child, one item per entry.</summary>
    public static IReadOnlyList<T> List<T>(this XElement element, string listName, Func<XElement, T> read) =>
        element.Items(listName).Select(read).ToList();
}
