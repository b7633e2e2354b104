using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Sandbox.Moto;

/// <summary>
/// The last lines moto wrote to its standard output and error, kept so that an error about one of
/// moto's answers can quote what moto itself said (its tracebacks end up there, not in its answers).
/// </summary>
public sealed partial class MotoLog
{
    private const int Capacity = 50;
    private const int QuotedLines = 5;
    private const int QuotedLineLength = 200;

    // moto answers a failed request first and writes the traceback after: a description waits until the log has had
    // time to start and then has been quiet for a moment (within a bound).
    private const int SettleAtLeastMs = 300;
    private const int QuietMs = 200;
    private const int SettleAtMostMs = 2000;

    private readonly Queue<string> _lines = new();
    private readonly string? _unavailableBecause;
    private long _lastLineAt;

    /// <summary>A log that collects what a moto_server started by the sandbox writes.</summary>
    public MotoLog()
    {
    }

    private MotoLog(string unavailableBecause) => _unavailableBecause = unavailableBecause;

    /// <summary>The log of a moto the sandbox did not start: it has nothing to quote.</summary>
    public static MotoLog NotAvailable(Uri url) =>
        new($"moto's log is not available (the moto at {url.GetLeftPart(UriPartial.Authority)} was not started by the sandbox; look at its own output)");

    public void Add(string? line)
    {
        // Lines with no letter or digit (blank lines, Python's ^^^^ markers under a traceback's code) say nothing.
        if (line is null || !line.Any(char.IsLetterOrDigit) || _unavailableBecause is not null)
        {
            return;
        }

        Volatile.Write(ref _lastLineAt, Environment.TickCount64);
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > Capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    /// <summary>moto's last few log lines on one line, for the end of an error message, once moto has finished writing about the failure.</summary>
    public async Task<string> DescribeTailAsync(CancellationToken cancellationToken)
    {
        if (_unavailableBecause is not null)
        {
            return _unavailableBecause + ".";
        }

        var started = Environment.TickCount64;
        while (true)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            var now = Environment.TickCount64;
            if (now - started >= SettleAtMostMs || (now - started >= SettleAtLeastMs && now - Volatile.Read(ref _lastLineAt) >= QuietMs))
            {
                break;
            }
        }

        List<string> tail;
        lock (_lines)
        {
            tail = _lines.TakeLast(QuotedLines).ToList();
        }

        return tail.Count == 0
            ? "moto has written nothing to its log."
            : "moto's last log lines: " + string.Join(" | ", tail.Select(line => OneLine(line, QuotedLineLength))) + ".";
    }

    /// <summary>Text squeezed onto one line (runs of white space become one space) and cut to <paramref name="maxLength"/>.</summary>
    public static string OneLine(string text, int maxLength)
    {
        var line = Whitespace().Replace(text, " ").Trim();
        return line.Length <= maxLength ? line : line[..maxLength] + "...";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
