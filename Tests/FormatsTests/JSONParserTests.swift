import Formats
import Testing

/// Valid documents and the values they decode to (RFC 8259; api-v2.md API-20..27 bodies).
@Suite struct JSONParserTests {
    typealias T = JSONTest

    /// Every value kind, whitespace, escapes and nesting, each with the exact value expected.
    static let validDocuments: [(json: String, value: JSONValue)] = [
        ("null", .null),
        ("true", .bool(true)),
        ("false", .bool(false)),
        (" \t\r\n true \n\r\t ", .bool(true)),
        ("0", T.number("0")),
        ("-0", T.number("-0")),
        ("1.5e-3", T.number("1.5e-3")),
        ("\"\"", .string("")),
        ("\"abc\"", .string("abc")),
        (#""\"\\\/\b\f\n\r\t""#, .string("\"\\/\u{08}\u{0C}\n\r\t")),
        (#""\u00e9\u00E9""#, .string("éé")),
        (#""\ud83d\ude80""#, .string("🚀")),
        (#""\uD834\uDD1E""#, .string("𝄞")),
        (#""\u0000""#, .string("\u{0}")),  // decoded; rejecting NUL is the field's job (DOM-6)
        (#""\u2028\uFFFF\uE000""#, .string("\u{2028}\u{FFFF}\u{E000}")),
        (#""a\u0062c""#, .string("abc")),
        ("\"café 日本 🚀\"", .string("café 日本 🚀")),
        (#""caf\u00e9 日本 \ud83d\ude80 \"q\"""#, .string("café 日本 🚀 \"q\"")),
        ("\"\u{7F}\"", .string("\u{7F}")),  // DEL needs no escape
        ("[]", .array([])),
        ("[ ]", .array([])),
        ("{}", .object(JSONObject(members: []))),
        ("{ \n }", .object(JSONObject(members: []))),
        (
            #"[1,"a",null,true,false,[],{}]"#,
            .array([T.number("1"), .string("a"), .null, .bool(true), .bool(false), .array([]), T.object([])])
        ),
        (" [ 1 , 2 ] ", .array([T.number("1"), T.number("2")])),
        (
            #"{"b":1,"a":[2,{"c":null}]}"#,
            T.object([("b", T.number("1")), ("a", .array([T.number("2"), T.object([("c", .null)])]))])
        ),
        (
            #"{"a":{"b":[{"c":[[]]}]}}"#,
            T.object([("a", T.object([("b", .array([T.object([("c", .array([.array([])]))])]))]))])
        ),
        (
            "{\n  \"intellectual_object\" : {\"identifier\":\"test.edu/bag\",\"access\":\"consortia\"}\n}\n",
            T.object([
                (
                    "intellectual_object",
                    T.object([("identifier", .string("test.edu/bag")), ("access", .string("consortia"))])
                )
            ])
        ),
        (#"{"k\u00e9y\n":"v"}"#, T.object([("kéy\n", .string("v"))])),
        ("[[[[[[[[[[1]]]]]]]]]]", .array([.array([.array([.array([.array([
            .array([.array([.array([.array([.array([T.number("1")])])])])])])])])])])),
        ("[-1,0.5,1e2,1E+2,1e-2,-0.0]", .array([
            T.number("-1"), T.number("0.5"), T.number("1e2"), T.number("1E+2"), T.number("1e-2"), T.number("-0.0"),
        ])),
    ]

    @Test("Valid documents decode to exactly the expected values")
    func validDocumentsDecode() throws {
        for (json, expected) in Self.validDocuments {
            let value = try T.parse(json)
            #expect(value == expected, "\(json)")
        }
    }

    @Test("The raw-buffer entry point agrees with the array one")
    func rawBufferEntryPoint() throws {
        for (json, expected) in Self.validDocuments {
            let bytes = Array(json.utf8)
            let value = try bytes.withUnsafeBytes { buffer in
                try Result { () throws(JSONParseError) in try JSONParser.parse(buffer) }.get()
            }
            #expect(value == expected, "\(json)")
        }
    }

    @Test("Object members keep document order; keys lists them")
    func memberOrder() throws {
        let object = try #require(try T.parse(#"{"z":1,"a":2,"m":3}"#).objectValue)
        #expect(object.keys == ["z", "a", "m"])
        #expect(object.members.map(\.value) == [T.number("1"), T.number("2"), T.number("3")])
        #expect(object.count == 3)
    }

    @Test("Duplicate keys: members keeps both, lookups see the last one")
    func duplicateKeys() throws {
        let object = try #require(try T.parse(#"{"a":1,"b":2,"a":"last"}"#).objectValue)
        #expect(object.members.count == 3)
        #expect(object.keys == ["a", "b", "a"])
        #expect(object["a"] == .string("last"))
        #expect(object["b"] == T.number("2"))
        #expect(object.contains("a"))
    }

    @Test("API-24/API-52: absent, null and present are told apart")
    func absentNullPresent() throws {
        let object = try #require(try T.parse(#"{"institution_id":null,"title":"x"}"#).objectValue)
        #expect(object["institution_id"] == .null)
        #expect(object["institution_id"]?.isNull == true)
        #expect(object.contains("institution_id"))
        #expect(object["missing"] == nil)
        #expect(!object.contains("missing"))
        #expect(object["title"]?.stringValue == "x")
    }

    @Test("DOM-5: keys and strings compare by UTF-8 bytes, not canonical equivalence")
    func byteExactComparison() throws {
        let composed = "\u{E9}"  // é as one scalar
        let decomposed = "e\u{301}"  // e + combining acute
        #expect(composed == decomposed)  // Swift's String ==, which the registry must not rely on
        let object = try #require(try T.parse("{\"\(decomposed)\":1}").objectValue)
        #expect(object[composed] == nil)
        #expect(!object.contains(composed))
        #expect(object[decomposed] == T.number("1"))
        #expect(JSONValue.string(composed) != JSONValue.string(decomposed))
        #expect(T.object([(composed, .null)]) != T.object([(decomposed, .null)]))
        let kelvin = try #require(try T.parse(#"{"\u212A":true}"#).objectValue)
        #expect(kelvin["K"] == nil)
        #expect(kelvin["\u{212A}"] == .bool(true))
    }

    @Test("Accessors return the payload for their own kind and nil for every other kind")
    func accessors() throws {
        let values = try #require(try T.parse(#"[null,true,1,"s",[2],{"k":3}]"#).arrayValue)
        #expect(values.count == 6)
        #expect(values.map(\.isNull) == [true, false, false, false, false, false])
        #expect(values.map(\.boolValue) == [nil, true, nil, nil, nil, nil])
        #expect(values.map { $0.numberValue?.text } == [nil, nil, "1", nil, nil, nil])
        #expect(values.map(\.stringValue) == [nil, nil, nil, "s", nil, nil])
        #expect(values.map(\.arrayValue) == [nil, nil, nil, nil, [T.number("2")], nil])
        #expect(values.map { $0.objectValue?["k"] } == [nil, nil, nil, nil, nil, T.number("3")])
        #expect(try T.parse("false").boolValue == false)
    }

    @Test("Equality is structural: kind, order, duplicates and number lexemes all matter")
    func structuralEquality() {
        #expect(JSONValue.null != .bool(false))
        #expect(T.number("1") != T.number("1.0"))
        #expect(T.number("1") != .string("1"))
        #expect(JSONValue.array([.null, .bool(true)]) != .array([.bool(true), .null]))
        #expect(T.object([("a", .null), ("b", .null)]) != T.object([("b", .null), ("a", .null)]))
        #expect(T.object([("a", .null)]) != T.object([("a", .null), ("a", .null)]))
        #expect(T.object([("a", .array([]))]) == T.object([("a", .array([]))]))
    }
}
