import CEL
import KubeAPI
import Testing

/// Estimated costs as a real API server computes them (checked against the factors the
/// conformance corpus records: a 32-character quantity rule costs 30, `self == oldSelf` on
/// 64 characters 28).
@Suite("CEL cost estimation")
struct CELCostTests {
    func cost(_ rule: String, _ schema: JSONValue) throws -> UInt64 {
        try CELProgram.compile(rule, selfType: CELDeclType.from(schema: schema, isResourceRoot: false)).estimatedCost.max
    }

    @Test func matchesTheRealServersEstimates() throws {
        #expect(try cost("isQuantity(self) && quantity(self).isLessThan(quantity('10Gi'))", ["type": "string", "maxLength": 32]) == 30)
        #expect(try cost("self == oldSelf", ["type": "string", "maxLength": 64]) == 28)
        let window: JSONValue = ["type": "object", "properties": ["start": ["type": "integer"], "end": ["type": "integer"]]]
        #expect(try cost("!has(self.start) || !has(self.end) || self.start < self.end", window) == 9)
        let bounded: JSONValue = ["type": "array", "maxItems": 10, "items": ["type": "string", "maxLength": 64]]
        #expect(try cost("self.all(x, x.matches('^[a-z]+$'))", bounded) == 562)
    }

    @Test func unboundedDataMakesRulesExpensive() throws {
        let unbounded: JSONValue = ["type": "array", "items": ["type": "string"]]
        #expect(try cost("self.all(x, x.matches('^[a-z]+$'))", unbounded) > 1_000_000_000)
        #expect(try cost("self.all(x, self.all(y, x == y || !x.startsWith(y)))", unbounded) > 1_000_000_000)
        let window: JSONValue = ["type": "object", "properties": ["start": ["type": "integer"], "end": ["type": "integer"]]]
        #expect(try cost("'start ' + string(self.start) + ' must be before end ' + string(self.end)", window) > 1_000_000_000)
    }
}
