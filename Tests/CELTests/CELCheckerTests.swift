import CEL
import KubeAPI
import Testing

@Suite("CEL checking and compile errors")
struct CELCheckerTests {
    static let spec = CELEvaluationTests.gizmoSpec

    func compileError(_ text: String, schema: JSONValue? = spec) -> String? {
        let type = schema.flatMap { CELDeclType.from(schema: $0, isResourceRoot: false) }
        do {
            _ = try CELProgram.compile(text, selfType: type)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func errorsNameTheProblemAndItsPosition() {
        #expect(compileError("self.doesNotExist > 0") == "ERROR: <input>:1:5: undefined field 'doesNotExist'\n | self.doesNotExist > 0\n | ....^")
        #expect(compileError("foo > 0")?.hasPrefix("ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')") == true)
        #expect(compileError("self.size + 1 == 2")?.contains("found no matching overload for '_+_' applied to '(string, int)'") == true)
        #expect(compileError("self.replicas <= ")?.hasPrefix("ERROR: <input>:1:18: Syntax error: mismatched input '<EOF>'") == true)
        #expect(compileError("[1, 'a']")?.contains("expected type 'int' but found 'string'") == true)
        #expect(compileError("self.?size == 'x'")?.contains("not supported by slipway dev") == true)
        #expect(compileError("url('https://x').getHost() == 'x'")?.contains("undeclared reference to 'url'") == true)
    }

    @Test(arguments: [
        ("self.replicas > 1", CELType.bool), ("self.size + 'x'", .string), ("self.tags.size()", .int), ("self.port", .dyn),
        ("self.limits", .map(.string, .int)), ("self.tags.map(t, t.size())", .list(.int)), ("quantity(self.memory)", .quantity),
        ("self.when", .timestamp),
    ])
    func outputTypes(_ text: String, _ type: CELType) throws {
        let program = try CELProgram.compile(text, selfType: CELDeclType.from(schema: Self.spec, isResourceRoot: false))
        #expect(program.outputType == type, "\(text)")
    }

    @Test func resourceRootsExposeTypeMeta() throws {
        let root: JSONValue = ["type": "object", "properties": ["spec": Self.spec]]
        let type = CELDeclType.from(schema: root, isResourceRoot: true)
        #expect(throws: Never.self) { try CELProgram.compile("self.metadata.name.startsWith('a') && self.kind == 'Gizmo'", selfType: type) }
        #expect(try CELProgram.compile("oldSelf.spec.size == self.spec.size", selfType: type).usesOldSelf)
    }

    @Test func propertyNamesAreEscapedAsKubernetesDoes() {
        #expect(CELEscaping.escape("x-y") == "x__dash__y")
        #expect(CELEscaping.escape("namespace") == "__namespace__")
        #expect(CELEscaping.escape("a.b/c") == "a__dot__b__slash__c")
        #expect(CELEscaping.escape("a__b") == "a__underscores__b")
        #expect(CELEscaping.escape("1x") == nil)
        #expect(CELEscaping.escape("a b") == nil)
    }
}
