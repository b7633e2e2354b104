using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace DeployOps.Module.Tests;

/// <summary>
/// Reads a PowerShell data file (.psd1) without PowerShell: one hashtable literal whose values are
/// strings ('single', "double", here-strings), integers, $true/$false/$null, @() arrays, comma lists
/// and nested hashtables, with # and &lt;# #&gt; comments. Hashtables become case-insensitive
/// dictionaries, arrays and comma lists object?[]. Anything else (variables, expressions, commands)
/// is not data and fails with a FormatException that names the line and column.
/// </summary>
public static class PowerShellDataFile
{
    public static IReadOnlyDictionary<string, object?> Parse(string text) => new Reader(text).ReadFile();

    private sealed class Reader(string text)
    {
        private int _pos;

        private char Current => _pos < text.Length ? text[_pos] : '\0';

        private bool AtEnd => _pos >= text.Length;

        public IReadOnlyDictionary<string, object?> ReadFile()
        {
            SkipTrivia(newlines: true);
            if (!TryTake("@{"))
            {
                throw Error("a data file must be one hashtable literal @{ ... }");
            }

            var result = ReadHashtableBody();
            SkipTrivia(newlines: true);
            if (!AtEnd)
            {
                throw Error($"unexpected '{Current}' after the hashtable");
            }

            return result;
        }

        // After "@{": entries separated by newlines or ';', up to '}'.
        private Dictionary<string, object?> ReadHashtableBody()
        {
            var table = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            while (true)
            {
                SkipTrivia(newlines: true);
                if (TryTake("}"))
                {
                    return table;
                }

                int keyAt = _pos;
                string key = ReadKey();
                SkipTrivia(newlines: false);
                Expect('=');
                SkipTrivia(newlines: true);
                object? value = ReadCommaList();
                if (!table.TryAdd(key, value))
                {
                    _pos = keyAt;
                    throw Error($"duplicate key '{key}'");
                }

                SkipTrivia(newlines: false);
                if (!(TryTake(";") || TryTake("\n") || TryTake("\r\n") || Current == '}'))
                {
                    throw Error($"expected a new line, ';' or '}}' after the value of '{key}'");
                }
            }
        }

        // After "@(": values separated by newlines or ';', up to ')'.
        private object?[] ReadArrayBody()
        {
            var items = new List<object?>();
            while (true)
            {
                SkipTrivia(newlines: true);
                if (TryTake(")"))
                {
                    return items.ToArray();
                }

                // Like PowerShell, @( ) unrolls an array value one level: @('a', 'b') has two items.
                object? value = ReadCommaList();
                if (value is object?[] array)
                {
                    items.AddRange(array);
                }
                else
                {
                    items.Add(value);
                }

                SkipTrivia(newlines: false);
                TryTake(";");
            }
        }

        // value (',' value)* ; a newline may follow a comma.
        private object? ReadCommaList()
        {
            object? first = ReadValue();
            SkipTrivia(newlines: false);
            if (Current != ',')
            {
                return first;
            }

            var items = new List<object?> { first };
            while (TryTake(","))
            {
                SkipTrivia(newlines: true);
                items.Add(ReadValue());
                SkipTrivia(newlines: false);
            }

            return items.ToArray();
        }

        private object? ReadValue()
        {
            if (TryTake("@{"))
            {
                return ReadHashtableBody();
            }

            if (TryTake("@("))
            {
                return ReadArrayBody();
            }

            if (TryTake("@'") || TryTake("@\""))
            {
                return ReadHereString(text[_pos - 1]);
            }

            switch (Current)
            {
                case '\'' or '"':
                    return ReadQuoted();
                case '$':
                    return ReadConstantVariable();
            }

            if (char.IsDigit(Current) || (Current == '-' && _pos + 1 < text.Length && char.IsDigit(text[_pos + 1])))
            {
                return ReadInteger();
            }

            throw Error(AtEnd ? "a value is missing" : $"'{Current}' does not start a value a data file may hold");
        }

        private string ReadKey()
        {
            if (Current is '\'' or '"')
            {
                return ReadQuoted();
            }

            int start = _pos;
            while (char.IsLetterOrDigit(Current) || Current is '_' or '-' or '.')
            {
                _pos++;
            }

            return start < _pos ? text[start.._pos] : throw Error("expected a key");
        }

        // 'single' (only '' escapes) or "double" ("" and backtick escapes; no $ expansion in data).
        private string ReadQuoted()
        {
            char quote = text[_pos++];
            string doubled = new(quote, 2);
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error("unterminated string");
                }

                if (TryTake(doubled))
                {
                    value.Append(quote);
                }
                else if (TryTake(quote.ToString()))
                {
                    return value.ToString();
                }
                else if (quote == '"' && TryTake("`"))
                {
                    value.Append(Escape(Current));
                    _pos++;
                }
                else
                {
                    if (quote == '"')
                    {
                        RejectExpansion();
                    }

                    value.Append(text[_pos++]);
                }
            }
        }

        // @' or @" already taken: the text starts on the next line and ends before a line starting '@ or "@.
        private string ReadHereString(char quote)
        {
            SkipTrivia(newlines: false);
            if (!(TryTake("\n") || TryTake("\r\n")))
            {
                throw Error("a here-string's text starts on the line after its opening quote");
            }

            string close = "\n" + quote + "@";
            int end = text.IndexOf(close, _pos, StringComparison.Ordinal);
            if (end < 0)
            {
                throw Error("unterminated here-string");
            }

            int start = _pos;
            string body = text[start..end].TrimEnd('\r');
            for (int dollar = body.IndexOf('$'); quote == '"' && dollar >= 0; dollar = body.IndexOf('$', dollar + 1))
            {
                _pos = start + dollar;
                RejectExpansion();
            }

            _pos = end + close.Length;
            return body.Replace("\r\n", "\n");
        }

        private object? ReadConstantVariable()
        {
            foreach (var (name, value) in new (string, object?)[] { ("$true", true), ("$false", false), ("$null", null) })
            {
                if (string.Compare(text, _pos, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0
                    && !char.IsLetterOrDigit(_pos + name.Length < text.Length ? text[_pos + name.Length] : ' '))
                {
                    _pos += name.Length;
                    return value;
                }
            }

            throw Error("only $true, $false and $null may appear in a data file");
        }

        private long ReadInteger()
        {
            int start = _pos;
            _pos++;
            while (char.IsDigit(Current))
            {
                _pos++;
            }

            return long.Parse(text[start.._pos], CultureInfo.InvariantCulture);
        }

        private void RejectExpansion()
        {
            char next = _pos + 1 < text.Length ? text[_pos + 1] : ' ';
            if (Current == '$' && (char.IsLetter(next) || next is '{' or '(' or '_'))
            {
                throw Error("variables and subexpressions are not data: use single quotes or escape the $");
            }
        }

        private static char Escape(char c) => c switch
        {
            '0' => '\0',
            'a' => '\a',
            'b' => '\b',
            'f' => '\f',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\v',
            _ => c,
        };

        // Spaces, comments and line continuations; new lines too when they do not end a statement here.
        private void SkipTrivia(bool newlines)
        {
            while (!AtEnd)
            {
                if (Current is ' ' or '\t' || (newlines && Current is '\r' or '\n'))
                {
                    _pos++;
                }
                else if (TryTake("`\r\n") || TryTake("`\n"))
                {
                    // line continuation
                }
                else if (TryTake("<#"))
                {
                    int end = text.IndexOf("#>", _pos, StringComparison.Ordinal);
                    _pos = end < 0 ? throw Error("unterminated <# comment") : end + 2;
                }
                else if (Current == '#')
                {
                    while (!AtEnd && Current is not ('\r' or '\n'))
                    {
                        _pos++;
                    }
                }
                else
                {
                    return;
                }
            }
        }

        private bool TryTake(string token)
        {
            if (string.CompareOrdinal(text, _pos, token, 0, token.Length) != 0)
            {
                return false;
            }

            _pos += token.Length;
            return true;
        }

        private void Expect(char c)
        {
            if (Current != c)
            {
                throw Error($"expected '{c}'");
            }

            _pos++;
        }

        private FormatException Error(string message)
        {
            int line = 1, column = 1;
            for (int i = 0; i < _pos && i < text.Length; i++)
            {
                (line, column) = text[i] == '\n' ? (line + 1, 1) : (line, column + 1);
            }

            return new FormatException($"line {line}, column {column}: {message}");
        }
    }
}
