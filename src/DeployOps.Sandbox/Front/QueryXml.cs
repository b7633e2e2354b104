using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Front;

/// <summary>
/// Builds the answers of query-protocol operations a simulator owns (CloudFormation, RDS):
/// <c>&lt;ActionResponse xmlns=...&gt;&lt;ActionResult&gt;...&lt;/ActionResult&gt;&lt;ResponseMetadata/&gt;</c>, lists as
/// <c>member</c> elements, absent values left out, as botocore reads them.
/// </summary>
public static class QueryXml
{
    /// <summary>The answer to <paramref name="action"/>, its result holding <paramref name="result"/> (elements or null).</summary>
    public static AwsResponse Response(AwsServiceProtocol protocol, string action, params object?[] result)
    {
        XNamespace ns = protocol.XmlNamespace;
        var root = new XElement(action + "Response",
            new XElement(action + "Result", result.Where(r => r is not null)),
            new XElement("ResponseMetadata", new XElement("RequestId", AwsServiceProtocol.NewRequestId())));
        foreach (var element in root.DescendantsAndSelf())
        {
            element.Name = ns + element.Name.LocalName;
        }

        return AwsResponse.Xml(root.ToString(SaveOptions.DisableFormatting));
    }

    /// <summary>An element with text, or null (left out) when <paramref name="value"/> is null.</summary>
    public static XElement? Text(string name, string? value) => value is null ? null : new XElement(name, value);

    /// <summary>A timestamp in ISO 8601, or null when there is none.</summary>
    public static XElement? Time(string name, DateTimeOffset? value) => value is null ? null : new XElement(name, WorldTimeline.Iso(value.Value));

    /// <summary>A boolean in the protocol's spelling.</summary>
    public static XElement Bool(string name, bool value) => new(name, value ? "true" : "false");

    /// <summary>
    /// A list: one entry per item, each holding the item's elements. Entries are <c>member</c> unless the model gives the
    /// list's member a <c>locationName</c> (RDS: <c>Event</c>, <c>DBInstance</c>).
    /// </summary>
    public static XElement List(string name, IEnumerable<IEnumerable<XElement?>> members, string memberName = "member") =>
        new(name, members.Select(m => new XElement(memberName, m.Where(e => e is not null))));

    /// <summary>A list of strings.</summary>
    public static XElement Strings(string name, IEnumerable<string> values, string memberName = "member") =>
        new(name, values.Select(v => new XElement(memberName, v)));

    /// <summary>
    /// moto's XML answer (query or EC2 protocol) changed by <paramref name="change"/> in place, for a simulator that overlays
    /// what moto does not model; an answer that is not XML is handed back as it is.
    /// </summary>
    public static AwsResponse Overlay(AwsResponse reply, Action<XElement> change)
    {
        XElement root;
        try
        {
            root = XElement.Parse(reply.BodyText);
        }
        catch (System.Xml.XmlException)
        {
            return reply;
        }

        change(root);
        return AwsResponse.Xml(root.ToString(SaveOptions.DisableFormatting));
    }
}
