using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;

namespace DeployOps.Sandbox.Moto;

/// <summary>Namespace-agnostic reading of AWS Query and EC2 XML answers.</summary>
public static class XmlReading
{
    /// <summary>The first descendant with this local name.</summary>
    public static XElement? Find(this XElement element, string name) =>
        element.Descendants().FirstOrDefault(e => e.Name.LocalName == name);

    /// <summary>The first direct child with this local name.</summary>
    public static XElement? Child(this XElement? element, string name) =>
        element?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public static string? Text(this XElement? element, string name) => element.Child(name)?.Value;

    public static int? Int(this XElement? element, string name) =>
        int.TryParse(element.Text(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static bool? Bool(this XElement? element, string name) =>
        bool.TryParse(element.Text(name), out var value) ? value : null;

    /// <summary>The items of the first list named <paramref name="listName"/> anywhere below <paramref name="root"/> (a response's top list).</summary>
    public static IEnumerable<XElement> ListBelow(this XElement root, string listName) =>
        root.Find(listName)?.Elements().Where(e => e.Name.LocalName is "member" or "item") ?? [];

    /// <summary>The items of a list element: Query lists use <c>member</c>, EC2 lists use <c>item</c>.</summary>
    public static IEnumerable<XElement> Items(this XElement? element, string listName) =>
        element.Child(listName)?.Elements().Where(e => e.Name.LocalName is "member" or "item") ?? [];
}
