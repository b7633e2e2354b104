using System;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Sandbox.Moto;

/// <summary>One of the sandbox's own calls to moto failed; <see cref="Exception.Message"/> is one line that names the call.</summary>
public abstract class MotoException : Exception
{
    protected MotoException(string service, string operation, int status, string message, Exception? inner)
        : base(message, inner)
    {
        Service = service;
        Operation = operation;
        Status = status;
    }

    public string Service { get; }

    public string Operation { get; }

    /// <summary>The HTTP status of moto's answer.</summary>
    public int Status { get; }
}

/// <summary>moto refused one of the sandbox's own calls with an AWS error in the protocol's shape.</summary>
public sealed class MotoCallException : MotoException
{
    public MotoCallException(string service, string operation, int status, string code, string message)
        : base(service, operation, status, $"{service} {operation} failed in moto ({status} {code}): {MotoLog.OneLine(message, MaxQuoted)}", null)
    {
        Code = code;
        AwsMessage = message;
    }

    internal const int MaxQuoted = 300;

    public string Code { get; }

    public string AwsMessage { get; }
}

/// <summary>
/// moto answered one of the sandbox's own calls with something the protocol never answers (an HTML
/// page, an empty or unparseable body, an error status without the protocol's error), or with a
/// server error where the sandbox cannot go on without moto. The message names the call, the HTTP
/// status and ends with moto's own last log lines, all on one line.
/// </summary>
public sealed partial class BadMotoAnswerException : MotoException
{
    private BadMotoAnswerException(string service, string operation, int status, string problem, string logTail, Exception? inner)
        : base(service, operation, status, $"moto gave an unusable answer to {service} {operation}: HTTP {status} {problem}. {logTail}", inner)
    {
    }

    /// <summary>An answer whose body is not <paramref name="expected"/> (e.g. "XML", "an AWS error in JSON").</summary>
    public static async Task<BadMotoAnswerException> NotExpectedAsync(string service, string operation, int status, string? contentType, string body,
        string expected, MotoLog log, CancellationToken cancellationToken, Exception? inner = null) =>
        new(service, operation, status, $"{DescribeBody(contentType, body)} where {expected} was expected",
            await log.DescribeTailAsync(cancellationToken).ConfigureAwait(false), inner);

    /// <summary>A server error moto answered in the protocol's shape, at a moment the sandbox cannot go on without moto.</summary>
    public static async Task<BadMotoAnswerException> ServerErrorAsync(MotoCallException error, MotoLog log, CancellationToken cancellationToken) =>
        new(error.Service, error.Operation, error.Status, $"{error.Code}: {MotoLog.OneLine(error.AwsMessage, MotoCallException.MaxQuoted).TrimEnd('.')}",
            await log.DescribeTailAsync(cancellationToken).ConfigureAwait(false), error);

    private static string DescribeBody(string? contentType, string body)
    {
        var text = body.TrimStart();
        if (text.Length == 0)
        {
            return "with an empty body";
        }

        if (contentType?.Contains("html", StringComparison.OrdinalIgnoreCase) == true ||
            text.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || text.StartsWith("<html", StringComparison.OrdinalIgnoreCase))
        {
            var title = HtmlTitle().Match(text);
            return title.Success ? $"with an HTML page (\"{MotoLog.OneLine(title.Groups[1].Value, 100)}\")" : "with an HTML page";
        }

        return $"with a body that begins \"{MotoLog.OneLine(text, 100)}\"";
    }

    [GeneratedRegex("<title>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlTitle();
}
