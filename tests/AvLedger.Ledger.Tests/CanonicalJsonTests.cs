using System.Text;
using System.Text.Json.Nodes;
using AvLedger.Ledger;

namespace AvLedger.Ledger.Tests;

/// <summary>RFC 8785 (JCS): the examples of §3.2.2 and §3.2.3 and the number samples of Appendix B.</summary>
public class CanonicalJsonTests
{
    static string Canonical(string json) => Encoding.UTF8.GetString(CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void The_rfc_example_of_section_3_2_2_canonicalizes_as_published()
    {
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string expected = """{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""";
        Assert.Equal(expected, Canonical(input));
    }

    [Fact]
    public void Members_sort_by_utf16_code_units_as_in_the_rfc_example_of_section_3_2_3()
    {
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;
        // The emoji's high surrogate U+D83D sorts before U+FB33, although its code point is larger.
        var expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
            + "\"\u20ac\":\"Euro Sign\",\"\U0001F600\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
        Assert.Equal(Encoding.UTF8.GetBytes(expected), CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(input)));
    }

    [Theory]
    [InlineData(0x0000000000000000UL, "0")]
    [InlineData(0x8000000000000000UL, "0")]
    [InlineData(0x0000000000000001UL, "5e-324")]
    [InlineData(0x8000000000000001UL, "-5e-324")]
    [InlineData(0x7fefffffffffffffUL, "1.7976931348623157e+308")]
    [InlineData(0xffefffffffffffffUL, "-1.7976931348623157e+308")]
    [InlineData(0x4340000000000000UL, "9007199254740992")]
    [InlineData(0xc340000000000000UL, "-9007199254740992")]
    [InlineData(0x4430000000000000UL, "295147905179352830000")]
    [InlineData(0x44b52d02c7e14af5UL, "9.999999999999997e+22")]
    [InlineData(0x44b52d02c7e14af6UL, "1e+23")]
    [InlineData(0x44b52d02c7e14af7UL, "1.0000000000000001e+23")]
    [InlineData(0x444b1ae4d6e2ef4eUL, "999999999999999700000")]
    [InlineData(0x444b1ae4d6e2ef4fUL, "999999999999999900000")]
    [InlineData(0x444b1ae4d6e2ef50UL, "1e+21")]
    [InlineData(0x3eb0c6f7a0b5ed8cUL, "9.999999999999997e-7")]
    [InlineData(0x3eb0c6f7a0b5ed8dUL, "0.000001")]
    [InlineData(0x41b3de4355555553UL, "333333333.3333332")]
    [InlineData(0x41b3de4355555554UL, "333333333.33333325")]
    [InlineData(0x41b3de4355555555UL, "333333333.3333333")]
    [InlineData(0x41b3de4355555556UL, "333333333.3333334")]
    [InlineData(0x41b3de4355555557UL, "333333333.33333343")]
    [InlineData(0xbecbf647612f3696UL, "-0.0000033333333333333333")]
    [InlineData(0x43143ff3c1cb0959UL, "1424953923781206.2")]
    public void Numbers_are_written_as_ecmascript_writes_them(ulong bits, string expected)
    {
        var value = BitConverter.UInt64BitsToDouble(bits);
        Assert.Equal(expected, Encoding.UTF8.GetString(CanonicalJson.Serialize(JsonValue.Create(value))));
    }

    [Theory]
    [InlineData("[1, -0, 1.0, 100e-2, 123456789012, 1e2, 0.1]", "[1,0,1,1,123456789012,100,0.1]")]
    [InlineData("[9007199254740992, -9007199254740992]", "[9007199254740992,-9007199254740992]")]
    [InlineData("[null,true,false]", "[null,true,false]")]
    [InlineData(" { \"b\" : [ ] , \"a\" : { \"d\" : 1 , \"c\" : 2 } } ", "{\"a\":{\"c\":2,\"d\":1},\"b\":[]}")]
    [InlineData("\"\\u001f\\u007f\\/\\u00e9\"", "\"\\u001f\u007f/\u00e9\"")]
    [InlineData("\"\\b\\f\\n\\r\\t\\u0000\"", "\"\\b\\f\\n\\r\\t\\u0000\"")]
    public void Whitespace_goes_and_literals_strings_and_numbers_take_their_one_form(string input, string expected)
    {
        Assert.Equal(expected, Canonical(input));
    }

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"a\":1,\"\\u0061\":2}")]
    [InlineData("[9007199254740993]")]
    [InlineData("[-12345678901234567890]")]
    [InlineData("[1e400]")]
    [InlineData("\"\\ud800\"")]
    [InlineData("{\"\\udc00\":1}")]
    [InlineData("[NaN]")]
    [InlineData("{\"a\":1,}")]
    [InlineData("")]
    [InlineData("[1] [2]")]
    public void Input_without_a_canonical_form_is_refused(string input)
    {
        Assert.Throws<FormatException>(() => CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(input)));
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        Assert.Throws<FormatException>(() => CanonicalJson.Canonicalize([(byte)'"', 0xC3, (byte)'"']));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Nan_and_infinities_in_a_node_are_refused(double value)
    {
        var node = new JsonObject { ["x"] = new JsonArray(1, JsonValue.Create(value)) };
        Assert.Throws<FormatException>(() => CanonicalJson.Serialize(node));
    }

    [Fact]
    public void An_integer_that_a_double_cannot_hold_is_refused_rather_than_rounded()
    {
        Assert.Throws<FormatException>(() => CanonicalJson.Serialize(new JsonObject { ["ticks"] = (1L << 60) + 1 }));
        Assert.Equal("[1e+21,1152921504606847000]", Canonical("[1000000000000000000000,1152921504606847000]"));
    }

    [Fact]
    public void A_lone_surrogate_in_a_node_is_refused()
    {
        Assert.Throws<FormatException>(() => CanonicalJson.Serialize(new JsonObject { ["x"] = "a\ud800b" }));
        Assert.Throws<FormatException>(() => CanonicalJson.Serialize(new JsonObject { ["\udc00"] = 1 }));
    }

    [Fact]
    public void A_node_built_in_code_serializes_like_its_text()
    {
        var node = new JsonObject
        {
            ["record"] = "01JD0000000000000000000000",
            ["size"] = 1_048_576L,
            ["ratio"] = 0.5m,
            ["ok"] = true,
            ["none"] = null,
            ["sha256"] = new JsonArray("ab", "cd"),
            ["when"] = new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.FromHours(8)),
            ["名称"] = "执法记录仪",
        };
        var fromText = CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(node.ToJsonString()));
        Assert.Equal(fromText, CanonicalJson.Serialize(node));
        Assert.Equal(
            "{\"none\":null,\"ok\":true,\"ratio\":0.5,\"record\":\"01JD0000000000000000000000\",\"sha256\":[\"ab\",\"cd\"],"
            + "\"size\":1048576,\"when\":\"2026-11-26T09:30:00+08:00\",\"名称\":\"执法记录仪\"}",
            Encoding.UTF8.GetString(CanonicalJson.Serialize(node)));
    }

    [Fact]
    public void A_null_node_is_the_null_literal()
    {
        Assert.Equal("null"u8.ToArray(), CanonicalJson.Serialize(null));
    }

    [Fact]
    public void Canonical_output_is_a_fixed_point()
    {
        var once = CanonicalJson.Canonicalize("""{"z":[1.5e3,{"y":"\u00e9"}],"a":"\t"}"""u8);
        Assert.Equal(once, CanonicalJson.Canonicalize(once));
    }
}
