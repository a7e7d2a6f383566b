import CEL
import KubeAPI
import Testing

/// Evaluates `text` with `self` bound to JSON of a schema (nil: dynamic).
func evaluate(_ text: String, self json: JSONValue = .null, schema: JSONValue? = nil, old: JSONValue? = nil) throws -> CELValue {
    let type = schema.flatMap { CELDeclType.from(schema: $0, isResourceRoot: false) }
    let program = try CELProgram.compile(text, selfType: type)
    var variables: [String: CELValue] = ["self": CELValue.from(json: json, type: type)]
    if let old { variables["oldSelf"] = CELValue.from(json: old, type: type) }
    return program.evaluate(variables).value
}

/// `true`/`false` of a boolean expression, or a description of what else it gave.
func truth(_ text: String, self json: JSONValue = .null, schema: JSONValue? = nil, old: JSONValue? = nil) -> String {
    do {
        switch try evaluate(text, self: json, schema: schema, old: old) {
        case .bool(let b): return String(b)
        case let other: return "not a bool: \(other)"
        }
    } catch {
        return "compile error: \(error)"
    }
}

@Suite("CEL evaluation")
struct CELEvaluationTests {
    @Test(arguments: [
        "1 + 2 * 3 == 7", "7 / 2 == 3", "-7 % 3 == -1", "2u + 3u == 5u", "1.5 * 2.0 == 3.0", "10 - 3 - 2 == 5",
        "'ab' + 'cd' == 'abcd'", "size('héllo') == 5", "'hello'.size() == 5", "[1, 2] + [3] == [1, 2, 3]",
        "1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3", "1 < 2.5", "3u > 2", "'a' < 'b'", "!false", "true ? 1 == 1 : false",
        "2 in [1, 2, 3]", "!(4 in [1, 2, 3])", "'k' in {'k': 1}", "{'a': 1}['a'] == 1", "[10, 20][1] == 20",
        "[1, 2, 3].all(x, x > 0)", "[1, 2, 3].exists(x, x == 2)", "[1, 2, 3].exists_one(x, x > 2)", "!([1, 2, 3].exists_one(x, x > 1))",
        "[1, 2, 3].map(x, x * 2) == [2, 4, 6]", "[1, 2, 3].filter(x, x != 2) == [1, 3]", "[1, 2, 3].map(x, x > 1, x * 10) == [20, 30]",
        "{'a': 1, 'b': 2}.all(k, k != 'c')", "'abc'.startsWith('ab') && 'abc'.endsWith('bc') && 'abc'.contains('b')",
        "'abc'.matches('^[a-c]+$')", "matches('abc', 'b')", "'ABC'.lowerAscii() == 'abc'", "'abc'.upperAscii() == 'ABC'",
        "'  x '.trim() == 'x'", "'a,b,c'.split(',') == ['a', 'b', 'c']", "['a', 'b'].join('-') == 'a-b'", "'hello'.indexOf('l') == 2",
        "'hello'.lastIndexOf('l') == 3", "'hello'.substring(1, 3) == 'el'", "'hello'.charAt(1) == 'e'", "'aaa'.replace('a', 'b', 2) == 'bba'",
        "int('42') == 42", "uint(42) == 42u", "double(1) == 1.0", "string(42) == '42'", "string(true) == 'true'", "int(3.9) == 3",
        "type(1) == int", "type('x') == string", "type([1]) == list", "dyn(1) == 1", "bool('true')",
        "duration('1h30m') == duration('90m')", "timestamp('2024-01-02T03:04:05Z') < timestamp('2024-01-02T03:04:06Z')",
        "timestamp('2024-01-01T00:00:00Z') + duration('24h') == timestamp('2024-01-02T00:00:00Z')",
        "string(duration('90s')) == '90s'", "string(timestamp('2024-01-02T03:04:05Z')) == '2024-01-02T03:04:05Z'",
        "quantity('1Gi').isGreaterThan(quantity('1000Mi'))", "quantity('500m').isLessThan(quantity('1'))", "isQuantity('10Gi')",
        "!isQuantity('lots')", "quantity('1Gi').compareTo(quantity('1024Mi')) == 0", "quantity('1').add(quantity('500m')) == quantity('1500m')",
        "quantity('2').sub(1) == quantity('1')", "quantity('5').asInteger() == 5", "quantity('1.5').asApproximateFloat() == 1.5",
        "quantity('-1').sign() == -1", "quantity('3').isInteger()", "[3, 1, 2].sum() == 6", "[3, 1, 2].min() == 1", "[3, 1, 2].max() == 3",
        "[1, 2, 3].isSorted()", "[1, 2, 2].indexOf(2) == 1", "[1, 2, 2].lastIndexOf(2) == 2", "sets.contains([1, 2, 3], [2])",
        "sets.equivalent([1, 2], [2, 1])", "sets.intersects([1, 2], [2, 5])", "'abc123'.find('[0-9]+') == '123'",
        "'a1b2'.findAll('[0-9]') == ['1', '2']", "[[1], [2, 3]].flatten() == [1, 2, 3]", "[3, 1, 2].sort() == [1, 2, 3]",
        "[1, 1, 2].distinct() == [1, 2]", "[1, 2, 3].reverse() == [3, 2, 1]", "[1, 2, 3, 4].slice(1, 3) == [2, 3]",
        "r'\\d' == '\\\\d'", "'''triple''' == 'triple'", "0x10 == 16", "1e3 == 1000.0", "b'ab' == bytes('ab')",
        "!(false && (1 / 0 == 1))", "true || (1 / 0 == 1)", "(1 / 0 == 1) || true", "!((1 / 0 == 1) && false)",
    ])
    func expressionsAreTrue(_ text: String) {
        #expect(truth(text) == "true", "\(text)")
    }

    @Test(arguments: [
        ("1 / 0", "division by zero"), ("5 % 0", "modulus by zero"), ("9223372036854775807 + 1", "integer overflow"),
        ("[1][3]", "index out of bounds: 3"), ("{'a': 1}['b']", "no such key"), ("int('x')", "cannot convert"),
        ("quantity('lots')", "quantities must match"), ("'a'.matches('(')", "invalid regular expression"),
    ])
    func runtimeErrors(_ text: String, _ message: String) throws {
        guard case .error(let error) = try evaluate(text) else {
            Issue.record("\(text) did not fail")
            return
        }
        #expect(error.message.contains(message), "\(error.message)")
    }

    static let gizmoSpec: JSONValue = [
        "type": "object", "required": ["size"],
        "properties": [
            "size": ["type": "string"], "replicas": ["type": "integer"], "minReplicas": ["type": "integer"],
            "memory": ["type": "string", "maxLength": 32], "port": ["x-kubernetes-int-or-string": true],
            "tags": ["type": "array", "items": ["type": "string"], "x-kubernetes-list-type": "set"],
            "limits": ["type": "object", "additionalProperties": ["type": "integer"]],
            "when": ["type": "string", "format": "date-time"],
        ],
    ]

    @Test func schemaObjectsExposeDeclaredFieldsAndPresence() throws {
        let spec: JSONValue = ["size": "small", "replicas": 3, "limits": ["cpu": 2], "tags": ["a", "b"], "when": "2024-01-02T03:04:05Z"]
        #expect(truth("self.replicas == 3 && self.size == 'small'", self: spec, schema: Self.gizmoSpec) == "true")
        #expect(truth("has(self.replicas) && !has(self.minReplicas)", self: spec, schema: Self.gizmoSpec) == "true")
        #expect(truth("self.limits.cpu == 2 && self.limits['cpu'] == 2 && 'cpu' in self.limits", self: spec, schema: Self.gizmoSpec) == "true")
        #expect(truth("self.when < timestamp('2025-01-01T00:00:00Z')", self: spec, schema: Self.gizmoSpec) == "true")
        #expect(truth("self.tags == ['b', 'a']", self: spec, schema: Self.gizmoSpec) == "true", "set lists compare as sets")
        guard case .error(let e) = try evaluate("self.minReplicas > 1", self: spec, schema: Self.gizmoSpec) else {
            Issue.record("reading an absent field must fail")
            return
        }
        #expect(e.message == "no such key: minReplicas")
    }

    @Test func transitionRulesSeeOldSelf() {
        #expect(truth("self == oldSelf", self: "a", schema: ["type": "string"], old: "a") == "true")
        #expect(truth("self == oldSelf", self: "b", schema: ["type": "string"], old: "a") == "false")
    }

    @Test func intOrStringIsDynamic() {
        let schema: JSONValue = ["x-kubernetes-int-or-string": true]
        #expect(truth("type(self) == int ? self > 0 : self != ''", self: 8080, schema: schema) == "true")
        #expect(truth("type(self) == int ? self > 0 : self != ''", self: "http", schema: schema) == "true")
    }

    @Test func runawayEvaluationStopsAtTheCostLimit() throws {
        let program = try CELProgram.compile("[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, a + b + c > 0)))", selfType: nil)
        let (value, cost) = program.evaluate([:], costLimit: 500)
        guard case .error(let e) = value else {
            Issue.record("expected the cost limit to stop evaluation, got \(value)")
            return
        }
        #expect(e.message.hasPrefix("operation cancelled: actual cost limit exceeded"))
        #expect(cost > 500)
    }
}
