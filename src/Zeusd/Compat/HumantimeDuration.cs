using System.Diagnostics.CodeAnalysis;

namespace Zeusd.Compat;

/// <summary>
/// Reads <c>--expires</c> durations the way the original daemon does (it uses Rust's humantime 2.3): a sequence of
/// <c>&lt;integer&gt;&lt;unit&gt;</c> spans, optionally separated by whitespace (<c>1h 30m</c>, <c>2weeks</c>, <c>1y</c>).
/// A month is 30.44 days and a year 365.25 days; a number without a unit is rejected. Error texts and byte offsets
/// match humantime's, because the original prints them as the cause. No .NET library parses this grammar, hence by hand.
/// </summary>
public static class HumantimeDuration
{
    /// <summary>A parsed duration. Seconds are unbounded by <see cref="TimeSpan"/>'s range, as in Rust's Duration.</summary>
    public readonly record struct Duration(ulong Seconds, uint Nanoseconds);

    private const ulong NanosPerSecond = 1_000_000_000;

    /// <summary>Parses <paramref name="text"/> (already trimmed and lowercased by the caller).</summary>
    /// <returns>True on success; otherwise <paramref name="error"/> holds humantime's message.</returns>
    public static bool TryParse(string text, out Duration duration, [NotNullWhen(false)] out string? error)
    {
        duration = default;
        if (text == "0")
        {
            error = null;
            return true;
        }
        var parser = new Parser(text);
        error = parser.Run();
        duration = new Duration(parser.Seconds, (uint)parser.Nanos);
        return error is null;
    }

    /// <summary>The unit's length in (seconds, nanoseconds) per 1, or null for an unknown unit.</summary>
    private static (ulong Seconds, ulong Nanos)? UnitLength(string unit) => unit switch
    {
        "nanos" or "nsec" or "ns" => (0, 1),
        "usec" or "us" or "µs" => (0, 1_000),
        "millis" or "msec" or "ms" => (0, 1_000_000),
        "seconds" or "second" or "secs" or "sec" or "s" => (1, 0),
        "minutes" or "minute" or "min" or "mins" or "m" => (60, 0),
        "hours" or "hour" or "hr" or "hrs" or "h" => (3_600, 0),
        "days" or "day" or "d" => (86_400, 0),
        "weeks" or "week" or "wk" or "wks" or "w" => (604_800, 0),
        "months" or "month" or "M" => (2_630_016, 0),
        "years" or "year" or "yr" or "yrs" or "y" => (31_557_600, 0),
        _ => null,
    };

    /// <summary>One left-to-right pass over the text, tracking UTF-8 byte offsets for error messages.</summary>
    private sealed class Parser(string text)
    {
        private int _index;      // next char index in text
        private int _byteOffset; // UTF-8 byte offset of _index

        public ulong Seconds { get; private set; }

        public ulong Nanos { get; private set; }

        public string? Run()
        {
            if (FirstDigit(out ulong? first) is { } firstError)
            {
                return firstError;
            }
            if (first is not { } n)
            {
                return "value was empty";
            }
            while (true)
            {
                // The number (whitespace may sit between digits and the unit).
                int offset = _byteOffset;
                bool unitStarted = false;
                while (Next(out char c))
                {
                    if (c is >= '0' and <= '9')
                    {
                        if (n > (ulong.MaxValue - (ulong)(c - '0')) / 10)
                        {
                            return "number is too large";
                        }
                        n = n * 10 + (ulong)(c - '0');
                    }
                    else if (char.IsWhiteSpace(c))
                    {
                    }
                    else if (IsUnitChar(c))
                    {
                        unitStarted = true;
                        break;
                    }
                    else
                    {
                        return $"invalid character at {offset}";
                    }
                    offset = _byteOffset;
                }

                // The unit: letters up to whitespace, a digit (next span) or the end.
                int unitStartIndex = unitStarted ? _index - 1 : _index;
                int unitEndIndex = _index;
                offset = _byteOffset;
                bool nextSpan = false;
                ulong nextNumber = 0;
                if (unitStarted)
                {
                    while (Next(out char c))
                    {
                        if (c is >= '0' and <= '9')
                        {
                            nextSpan = true;
                            nextNumber = (ulong)(c - '0');
                            break;
                        }
                        if (char.IsWhiteSpace(c))
                        {
                            break;
                        }
                        if (!IsUnitChar(c))
                        {
                            return $"invalid character at {offset}";
                        }
                        offset = _byteOffset;
                        unitEndIndex = _index;
                    }
                }
                if (AddSpan(n, text[unitStartIndex..unitEndIndex]) is { } unitError)
                {
                    return unitError;
                }
                if (nextSpan)
                {
                    n = nextNumber;
                    continue;
                }
                if (FirstDigit(out ulong? following) is { } followingError)
                {
                    return followingError;
                }
                if (following is not { } value)
                {
                    return Normalize();
                }
                n = value;
            }
        }

        /// <summary>Skips whitespace to the first digit of a span; anything else means a number was expected.</summary>
        private string? FirstDigit(out ulong? digit)
        {
            int offset = _byteOffset;
            while (Next(out char c))
            {
                if (c is >= '0' and <= '9')
                {
                    digit = (ulong)(c - '0');
                    return null;
                }
                if (!char.IsWhiteSpace(c))
                {
                    digit = null;
                    return $"expected number at {offset}";
                }
            }
            digit = null;
            return null;
        }

        private string? AddSpan(ulong n, string unit)
        {
            if (UnitLength(unit) is not { } length)
            {
                if (text.All(c => c == '0'))
                {
                    // humantime reads a run of zeros without a unit as zero.
                    Seconds = 0;
                    Nanos = 0;
                    return null;
                }
                return unit.Length == 0
                    ? $"time unit needed, for example {n}sec or {n}ms"
                    : $"unknown time unit {RustDebug.String(unit)}, supported units: ns, us/µs, ms, sec, min, hours, days, weeks, months, years (and few variations)";
            }
            if (!TryMultiply(n, length.Seconds, out ulong seconds) || !TryMultiply(n, length.Nanos, out ulong nanos))
            {
                return "number is too large";
            }
            if (!TryAdd(Nanos, nanos, out nanos))
            {
                return "number is too large";
            }
            if (nanos > NanosPerSecond)
            {
                if (!TryAdd(seconds, nanos / NanosPerSecond, out seconds))
                {
                    return "number is too large";
                }
                nanos %= NanosPerSecond;
            }
            if (!TryAdd(Seconds, seconds, out seconds))
            {
                return "number is too large";
            }
            Seconds = seconds;
            Nanos = nanos;
            return null;
        }

        /// <summary>Exactly one second of nanoseconds carries over, as Rust's Duration::new does.</summary>
        private string? Normalize()
        {
            if (Nanos >= NanosPerSecond)
            {
                if (!TryAdd(Seconds, Nanos / NanosPerSecond, out ulong seconds))
                {
                    return "number is too large";
                }
                Seconds = seconds;
                Nanos %= NanosPerSecond;
            }
            return null;
        }

        private bool Next(out char c)
        {
            if (_index >= text.Length)
            {
                c = default;
                return false;
            }
            c = text[_index];
            _index++;
            _byteOffset += c switch
            {
                < (char)0x80 => 1,
                < (char)0x800 => 2,
                _ when char.IsHighSurrogate(c) => 4,
                _ when char.IsLowSurrogate(c) => 0,
                _ => 3,
            };
            return true;
        }

        private static bool IsUnitChar(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or 'µ';

        private static bool TryMultiply(ulong a, ulong b, out ulong product)
        {
            UInt128 wide = (UInt128)a * b;
            product = (ulong)wide;
            return wide <= ulong.MaxValue;
        }

        private static bool TryAdd(ulong a, ulong b, out ulong sum)
        {
            sum = unchecked(a + b);
            return sum >= a;
        }
    }
}
