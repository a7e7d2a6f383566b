import KubeAPI
import Testing

@Suite("Label and field selectors")
struct SelectorTests {
    static let labels: [String: String] = ["app": "x", "tier": "web", "env": "a", "has": ""]

    @Test(arguments: [
        ("", true),
        ("app=x", true), ("app==x", true), ("app=y", false), ("app!=y", true), ("app!=x", false),
        ("missing!=x", true), ("env in (a,b)", true), ("env in (b,c)", false), ("env notin (b,c)", true),
        ("env notin (a)", false), ("missing notin (a)", true), ("missing in (a)", false),
        ("has", true), ("missing", false), ("!missing", true), ("!app", false),
        ("app=x,tier!=db,env in (a,b),!legacy,has", true), ("app=x,tier=db", false),
        ("has=", true), ("has in ()", true), ("has in (,z)", true), ("app=x,app=y", false),
        (" app = x , env in ( a , b ) ", true), ("in=1", false), ("app in (in,notin,x)", true),
    ])
    func parsesAndMatches(_ text: String, _ expected: Bool) throws {
        let selector = try LabelSelector(parsing: text)
        #expect(selector.matches(Self.labels) == expected)
        // The canonical string means the same.
        let reparsed = try LabelSelector(parsing: selector.selectorString)
        #expect(reparsed.matches(Self.labels) == expected)
        #expect(reparsed.selectorString == selector.selectorString)
    }

    @Test(arguments: [
        ("app=x,tier!=db,env in (b,a),!legacy,has", "app=x,env in (a,b),has,!legacy,tier notin (db)"),
        ("b=1,a=2", "a=2,b=1"), ("", ""), ("k8s.io/role==master", "k8s.io/role=master"),
        ("x notin (c,a,b)", "x notin (a,b,c)"), ("a in (b,b)", "a in (b)"),
    ])
    func formatsCanonically(_ text: String, _ canonical: String) throws {
        #expect(try LabelSelector(parsing: text).selectorString == canonical)
    }

    @Test func parsedFormIsTheJSONForm() throws {
        let selector = try LabelSelector(parsing: "app=x,tier!=db,env in (a,b),!legacy")
        #expect(JSON.string(selector.json)
            == #"{"matchLabels":{"app":"x"},"matchExpressions":[{"key":"tier","operator":"NotIn","values":["db"]},{"key":"env","operator":"In","values":["a","b"]},{"key":"legacy","operator":"DoesNotExist"}]}"#)
    }

    @Test(arguments: [
        ("app in (a b)", 10, "found 'b', expected: ',', ')' or identifier"),
        ("=x", 0, "found '=', expected: !, identifier"),
        ("app in a", 7, "expected: '('"),
        ("app in (a", 9, "expected: ',', ')' or identifier"),
        ("app x", 4, "found 'x', expected: '=', '!=', '==', 'in', 'notin'"),
        ("app=x,", 6, "expected: identifier after ','"),
        ("app>1", 3, "'>' isn't supported in label selectors"),
        ("!app=x", 4, "expected: ',' or 'end of string'"),
        ("-bad=x", 0, "invalid label key"),
        ("app=-bad", 3, "invalid label value"),
        ("a/b/c", 0, "invalid label key"),
        ("Upper.Case/x", 0, "prefix part must be a lowercase RFC 1123 subdomain"),
        ("app=x y", 6, "expected: ',' or 'end of string'"),
    ])
    func reportsErrors(_ text: String, _ position: Int, _ message: String) {
        do {
            _ = try LabelSelector(parsing: text)
            Issue.record("expected \"\(text)\" to fail")
        } catch {
            #expect(error.selector == text)
            #expect(error.position == position, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test func jsonSelectorMatching() throws {
        let selector = try #require(LabelSelector(json: try JSON.parse(
            #"{"matchLabels":{"app":"x"},"matchExpressions":[{"key":"env","operator":"In","values":["a"]},{"key":"old","operator":"DoesNotExist"}]}"#)))
        #expect(selector.matches(["app": "x", "env": "a"]))
        #expect(!selector.matches(["app": "x", "env": "a", "old": "1"]))
        #expect(!selector.matches(["app": "x"]))
        #expect(selector.selectorString == "app=x,env in (a),!old")
        #expect(LabelSelector().matches([:]))
        #expect(LabelSelector().isEmpty)
        // Invalid requirements select nothing.
        #expect(!LabelSelector(matchLabels: [:], matchExpressions: [.init(key: "a", operator: .in)]).matches(["a": ""]))
        #expect(!LabelSelector(matchLabels: [:], matchExpressions: [.init(key: "a", operator: .other("Gt"), values: ["1"])]).matches(["a": "2"]))
        #expect(LabelSelectorOperator(rawValue: "In") == .in)
        #expect(LabelSelectorOperator.other("NotIn") == .notIn)
    }

    // MARK: - Field selectors

    static let event: JSONValue = [
        "involvedObject": ["name": "p1", "namespace": "demo", "kind": "Pod"],
        "spec": ["nodeName": "n1", "replicas": 3, "paused": false],
        "status": ["phase": "Running"],
    ]

    @Test(arguments: [
        ("", true), ("involvedObject.name=p1", true), ("involvedObject.name==p1", true),
        ("involvedObject.name=p2", false), ("involvedObject.name!=p2", true),
        ("involvedObject.name=p1,involvedObject.namespace=demo", true),
        ("involvedObject.name=p1,involvedObject.namespace!=demo", false),
        ("spec.missing=", true), ("spec.missing!=", false), ("spec.nodeName=", false),
        ("spec.replicas=3", true), ("spec.paused=false", true), ("status.phase!=Running", false),
    ])
    func fieldSelectorMatches(_ text: String, _ expected: Bool) throws {
        #expect(try FieldSelector(parsing: text).matches(Self.event) == expected)
    }

    @Test func fieldSelectorEscapesAndFormats() throws {
        let s = try FieldSelector(parsing: #"metadata.name=a\,b\=c\\d,spec.x!=y"#)
        #expect(s.terms == [.init(path: "metadata.name", value: #"a,b=c\d"#), .init(path: "spec.x", negated: true, value: "y")])
        #expect(s.selectorString == #"metadata.name=a\,b\=c\\d,spec.x!=y"#)
        #expect(s.matches(["metadata": ["name": #"a,b=c\d"#]]))
        #expect(FieldSelector([.init(path: "a", value: "1=2")]).description == #"a=1\=2"#)
    }

    @Test(arguments: [#"name"#, #"a=b=c"#, #"a=b\x"#, #"a=b\"#])
    func fieldSelectorErrors(_ text: String) {
        #expect(throws: FieldSelectorParseError.self) { try FieldSelector(parsing: text) }
    }
}
