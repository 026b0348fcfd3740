using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AvLedger.Ledger;

/// <summary>RFC 8785 JSON Canonicalization Scheme: the one byte sequence a JSON value hashes as, so a
/// ledger leaf can be recomputed from its data by anyone. Input that has no canonical form (duplicate
/// member names, NaN or infinities, lone surrogates, integers beyond ±2^53) throws <see cref="FormatException"/>.</summary>
public static class CanonicalJson
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 128 };

    /// <summary>Canonical UTF-8 of <paramref name="node"/>; a null node is the JSON literal <c>null</c>.</summary>
    public static byte[] Serialize(JsonNode? node)
    {
        if (node is null) return "null"u8.ToArray();
        RejectUnrepresentable(node);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) node.WriteTo(writer);
        return Canonicalize(buffer.WrittenSpan);
    }

    /// <summary>Canonical UTF-8 of the JSON text <paramref name="utf8Json"/>.</summary>
    public static byte[] Canonicalize(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8Json.ToArray(), ParseOptions);
            var text = new StringBuilder();
            Write(document.RootElement, text);
            return StrictUtf8.GetBytes(text.ToString());
        }
        catch (JsonException e)
        {
            throw new FormatException("Not valid JSON: " + e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json reports an escaped lone surrogate when the string is read.
            throw new FormatException("A JSON string is not valid Unicode: " + e.Message, e);
        }
        catch (ArgumentException e)
        {
            throw new FormatException("A JSON string is not valid Unicode: " + e.Message, e);
        }
    }

    static void Write(JsonElement element, StringBuilder text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new List<JsonProperty>();
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var member in element.EnumerateObject())
                {
                    if (!names.Add(member.Name)) throw new FormatException($"Duplicate member name \"{member.Name}\".");
                    members.Add(member);
                }
                // RFC 8785 §3.2.3: sort by UTF-16 code units, which is what ordinal comparison does.
                members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                text.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0) text.Append(',');
                    WriteString(members[i].Name, text);
                    text.Append(':');
                    Write(members[i].Value, text);
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first) text.Append(',');
                    first = false;
                    Write(item, text);
                }
                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(element.GetString()!, text);
                break;
            case JsonValueKind.Number:
                text.Append(FormatNumber(element.GetRawText()));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    static void WriteString(string value, StringBuilder text)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ': text.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: text.Append(c); break;
            }
        }
        text.Append('"');
    }

    static string FormatNumber(string literal)
    {
        var value = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value)) throw new FormatException($"The number {literal} is out of the range of an IEEE 754 double.");
        var canonical = FormatDouble(value);
        // JCS would turn an integer beyond ±2^53 into a nearby double (an id or a tick count changing its
        // value). An integer must keep its value or be exactly how the double is written, so the leaf
        // means what its author wrote.
        if (literal.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && literal != canonical
            && BigInteger.Parse(literal, CultureInfo.InvariantCulture) != new BigInteger(value))
            throw new FormatException($"The integer {literal} is beyond ±2^53 and would change to {canonical}; send it as a string.");
        return canonical;
    }

    // ECMAScript Number.prototype.toString (ECMA-262 Number::toString), as RFC 8785 §3.2.2.3 requires.
    static string FormatDouble(double value)
    {
        if (!double.IsFinite(value)) throw new FormatException("NaN and infinities have no JSON form.");
        if (value == 0) return "0";
        if (value < 0) return "-" + FormatDouble(-value);

        // .NET's round-trip form has the shortest digits that read back as the same double, which is
        // the digit string ECMAScript asks for; only the layout differs.
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var e = shortest.IndexOf('E', StringComparison.Ordinal);
        var mantissa = e < 0 ? shortest : shortest[..e];
        var exponent = e < 0 ? 0 : int.Parse(shortest.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot < 0 ? mantissa : mantissa[..dot];
        var digits = (integerPart + (dot < 0 ? "" : mantissa[(dot + 1)..])).TrimEnd('0');

        // value = 0.digits × 10^n, as ECMA-262 has it (s × 10^(n−k) with k digits).
        var n = integerPart.Length + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits[leadingZeros..];
        n -= leadingZeros;
        var k = digits.Length;

        if (k <= n && n <= 21) return digits + new string('0', n - k);
        if (0 < n && n <= 21) return digits[..n] + "." + digits[n..];
        if (-6 < n && n <= 0) return "0." + new string('0', -n) + digits;
        var exp = n - 1;
        var expText = (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString(CultureInfo.InvariantCulture);
        return k == 1 ? digits + "e" + expText : digits[..1] + "." + digits[1..] + "e" + expText;
    }

    // Utf8JsonWriter would throw on NaN and quietly replace a lone surrogate; both must be refused here.
    static void RejectUnrepresentable(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o)
                {
                    RejectIllFormed(name);
                    if (child is not null) RejectUnrepresentable(child);
                }
                break;
            case JsonArray a:
                foreach (var child in a)
                    if (child is not null) RejectUnrepresentable(child);
                break;
            case JsonValue v:
                if ((v.TryGetValue<double>(out var d) && !double.IsFinite(d)) || (v.TryGetValue<float>(out var f) && !float.IsFinite(f)))
                    throw new FormatException("NaN and infinities have no JSON form.");
                if (v.TryGetValue<string>(out var text)) RejectIllFormed(text);
                break;
        }
    }

    static void RejectIllFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else throw new FormatException("A JSON string is not valid Unicode: it has a lone surrogate.");
        }
    }
}
