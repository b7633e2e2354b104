using System;
using System.IO;
using System.Text.Json;
using System.Xml;

namespace DeployOps.Aws.Http;

/// <summary>Says what is wrong with a 2xx body that could not be read: empty, an HTML page, cut off, not JSON/XML, or missing a member.</summary>
internal static class UnreadableBody
{
    /// <summary>True for the exceptions reading a body throws when it is not what the model promises.</summary>
    public static bool IsReadFailure(Exception error) =>
        error is JsonException or XmlException or InvalidDataException or FormatException;

    /// <summary>What was wrong, in words, e.g. <c>the body is empty, and the response must have a 'service' member</c>.</summary>
    public static string Describe(string body, Exception error, AwsProtocol protocol)
    {
        var format = protocol == AwsProtocol.Json ? "JSON" : "XML";
        var trimmed = body.TrimStart();
        if (trimmed.Length == 0)
        {
            return error is InvalidDataException missing ? "the body is empty, and " + Clause(missing.Message) : "the body is empty";
        }

        if (trimmed.StartsWith("<!DOCTYPE html", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("<html", StringComparison.OrdinalIgnoreCase))
        {
            return $"the body is an HTML page, not {format}";
        }

        return error switch
        {
            InvalidDataException missing => Clause(missing.Message),
            _ when error.Message.IndexOf("end of the JSON payload", StringComparison.Ordinal) >= 0
                   || error.Message.IndexOf("Unexpected end", StringComparison.OrdinalIgnoreCase) >= 0 =>
                $"the body ends in the middle of its {format} document ({body.Length} characters): it was cut off",
            JsonException or XmlException => $"the body is not valid {format}: {error.Message}",
            _ => Clause(error.Message),
        };
    }

    // "The response has no 'service' member." -> "the response has no 'service' member"
    private static string Clause(string sentence) =>
        sentence.Length == 0 ? sentence : char.ToLowerInvariant(sentence[0]) + sentence.Substring(1).TrimEnd('.');
}
