import CEL
import Foundation
import KubeAPI
import SlipwayAPI
import Testing

/// The CEL rules Slipway's CRDs carry (`x-kubernetes-validations`) compile against their
/// schema node as the API server compiles them, and say yes and no where the operator's
/// validation does. `kubectl apply` refusing them on `slipway dev` needs the server to
/// evaluate CRD rules (another branch).
@Suite("CRD validation rules")
struct CRDValidationRuleTests {
    /// Every node of `schema` that carries rules, with its path.
    static func ruleNodes(_ schema: JSONValue, path: String = "") -> [(path: String, node: JSONValue)] {
        var found: [(String, JSONValue)] = []
        if schema["x-kubernetes-validations"] != nil { found.append((path, schema)) }
        for (name, child) in schema["properties"]?.objectValue ?? [:] { found += ruleNodes(child, path: path + "." + name) }
        if let items = schema["items"] { found += ruleNodes(items, path: path + "[*]") }
        return found
    }

    static func program(_ rule: ValidationRule, node: JSONValue) throws -> CELProgram {
        try CELProgram.compile(rule.rule, selfType: CELDeclType.from(schema: node, isResourceRoot: false))
    }

    static func holds(_ rule: ValidationRule, node: JSONValue, on json: String) throws -> Bool {
        let value = try JSON.parse(json)
        let decl = CELDeclType.from(schema: node, isResourceRoot: false)
        let result = try program(rule, node: node).evaluate(["self": CELValue.from(json: value, type: decl)]).value
        guard case .bool(let holds) = result else { Issue.record("\(rule.rule) gave \(result)"); return false }
        return holds
    }

    @Test func everyRuleOfEveryCRDCompilesToABoolean() throws {
        var compiled = 0
        for crd in CRDGenerator.all {
            let schema = try #require(crd[path: ["spec", "versions"]]?.arrayValue?.first?[path: ["schema", "openAPIV3Schema"]])
            for (path, node) in Self.ruleNodes(schema) {
                for entry in node["x-kubernetes-validations"]?.arrayValue ?? [] {
                    let rule = ValidationRule(entry["rule"]?.stringValue ?? "", message: entry["message"]?.stringValue ?? "")
                    #expect(!rule.message.isEmpty, "\(path): a rule without a message")
                    let program = try Self.program(rule, node: node)
                    #expect(program.outputType == .bool, "\(path): \(rule.rule)")
                    compiled += 1
                }
            }
        }
        #expect(compiled == SparkJobSpec.rules.count + SparkDynamicAllocationSpec.rules.count)
    }

    @Test func dynamicAllocationRulesRefuseWhatTheOperatorRefuses() throws {
        let node = SparkDynamicAllocationSpec.schema.json
        let (maxRule, initialMin, initialMax) = (SparkDynamicAllocationSpec.rules[0], SparkDynamicAllocationSpec.rules[1], SparkDynamicAllocationSpec.rules[2])
        #expect(try !Self.holds(maxRule, node: node, on: #"{"enabled": true, "minExecutors": 3, "maxExecutors": 2}"#))
        #expect(try Self.holds(maxRule, node: node, on: #"{"enabled": true, "minExecutors": 2, "maxExecutors": 2}"#))
        #expect(try Self.holds(maxRule, node: node, on: #"{"enabled": false, "minExecutors": 3, "maxExecutors": 2}"#), "only when enabled")
        #expect(try Self.holds(maxRule, node: node, on: #"{"enabled": true, "maxExecutors": 2}"#))
        #expect(try !Self.holds(initialMin, node: node, on: #"{"enabled": true, "minExecutors": 3, "initialExecutors": 1}"#))
        #expect(try !Self.holds(initialMax, node: node, on: #"{"enabled": true, "maxExecutors": 3, "initialExecutors": 4}"#))
        #expect(try Self.holds(initialMax, node: node, on: #"{"enabled": true, "maxExecutors": 3, "initialExecutors": 3}"#))
    }

    @Test func aScalaOrJavaApplicationNeedsItsMainClass() throws {
        let node = SparkJobSpec.schema.json
        let rule = SparkJobSpec.rules[0]
        #expect(try !Self.holds(rule, node: node, on: #"{"type": "Scala"}"#))
        #expect(try !Self.holds(rule, node: node, on: #"{"type": "Java", "mainClass": ""}"#))
        #expect(try Self.holds(rule, node: node, on: #"{"type": "Java", "mainClass": "org.example.Main"}"#))
        #expect(try Self.holds(rule, node: node, on: #"{"type": "Python"}"#))
    }
}
