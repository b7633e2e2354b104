using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace DeployOps.Redaction;

/// <summary>
/// Takes secret values out of text before it reaches any output: log lines, evidence, messages, verbose and warning
/// text. Values go; names stay (<c>DATABASE_URL=postgres://app:***@db:5432/app</c>). It removes:
/// <list type="bullet">
/// <item>the password in a URL's userinfo (the whole userinfo when it has no user name part), and every query value;</item>
/// <item>the value of <c>password=</c>, <c>secret=</c>, <c>token=</c>, <c>key=</c> and similar pairs (also with <c>:</c>);</item>
/// <item>AWS access key ids (only the prefix stays) and secret-shaped strings (40-character AWS secret keys, JWTs, long
/// mixed-case tokens);</item>
/// <item>every value this run learned is secret: the environment values a task definition declares.</item>
/// </list>
/// Thread-safe: readers add known values while others redact.
/// </summary>
public sealed class SecretRedactor
{
    /// <summary>What a removed value is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>Values shorter than this are not treated as secrets by themselves (true, 8000, dev).</summary>
    public const int MinimumKnownValueLength = 6;

    private static readonly Regex UrlUserInfo = new(@"(?<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)(?<user>[^/\s:@?#]*)(?::(?<password>[^/\s@?#]*))?@", RegexOptions.Compiled);

    private static readonly Regex QueryValue = new(@"(?<=\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s?#""'<>]*\?(?:[^\s#""'<>]*[&;])?)(?<name>[^\s=&;#""'<>]+)=(?<value>[^\s&;#""'<>]*)", RegexOptions.Compiled);

    private static readonly Regex SecretPair = new(
        @"(?<name>\b[\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)[\w.-]*|\bkey)(?<sep>[""']?\s*[=:]\s*[""']?)(?<value>[^\s""',;&}]+)",
        RegexOptions.Compiled | RegexOptions.IgnoreCase);

    private static readonly Regex AccessKeyId = new(@"\b(?<prefix>AKIA|ASIA|AIDA|AROA|AIPA|ANPA|ANVA|AGPA|ABIA|ACCA)[A-Z0-9]{12,}\b", RegexOptions.Compiled);

    private static readonly Regex Jwt = new(@"\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}", RegexOptions.Compiled);

    // 32+ characters drawn from a key alphabet with upper case, lower case and a digit: keys and tokens, not the
    // lowercase hex of task ids and hashes, nor the digits of deployment ids. Never the resource part of an ARN (it
    // follows a colon: role/LightwaveEcsTaskExecutionRole2023 is a name, not a secret).
    private static readonly Regex SecretShaped = new(@"(?<![:A-Za-z0-9/+=_-])(?=[A-Za-z0-9/+=_-]*[a-z])(?=[A-Za-z0-9/+=_-]*[A-Z])(?=[A-Za-z0-9/+=_-]*[0-9])[A-Za-z0-9/+=_-]{32,}(?![A-Za-z0-9/+=_-])", RegexOptions.Compiled);

    private readonly object _gate = new();
    private string[] _known = Array.Empty<string>();

    /// <summary>A redactor that knows no values yet, only the patterns.</summary>
    public SecretRedactor()
    {
    }

    /// <summary>The patterns alone: for text no run's known values apply to (URLs a user typed, messages).</summary>
    public static SecretRedactor Patterns { get; } = new();

    /// <summary>Adds values that are secret wherever they appear (e.g. a task definition's environment values); short ones are ignored.</summary>
    public void AddKnownValues(IEnumerable<string?> values)
    {
        var added = values.Where(v => v is not null && v.Trim().Length >= MinimumKnownValueLength).Select(v => v!.Trim()).ToList();
        if (added.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            // Longest first, so a value that contains another is removed whole.
            _known = _known.Concat(added).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length).ToArray();
        }
    }

    /// <summary>The text without secret values; null stays null.</summary>
    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        // Patterns first, so a known value that is a URL keeps its host in sight with only its password masked; then
        // whatever of the known values is left.
        var result = UrlUserInfo.Replace(text, m => m.Groups["password"].Success
            ? $"{m.Groups["scheme"].Value}{m.Groups["user"].Value}:{Mask}@"
            : $"{m.Groups["scheme"].Value}{Mask}@");
        result = QueryValue.Replace(result, m => $"{m.Groups["name"].Value}={Mask}");
        result = SecretPair.Replace(result, m => m.Groups["value"].Value == Mask ? m.Value : $"{m.Groups["name"].Value}{m.Groups["sep"].Value}{Mask}");
        result = AccessKeyId.Replace(result, m => m.Groups["prefix"].Value + Mask);
        result = Jwt.Replace(result, Mask);
        result = SecretShaped.Replace(result, Mask);
        foreach (var value in System.Threading.Volatile.Read(ref _known))
        {
            result = result.Replace(value, Mask);
        }

        return result;
    }

    /// <summary><see cref="Redact(string)"/> for optional text.</summary>
    public string? RedactOptional(string? text) => text is null ? null : Redact(text);
}
