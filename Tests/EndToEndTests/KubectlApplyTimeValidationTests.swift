import Foundation
import KubeTesting
import SlipwayDevTesting
import Testing

/// Issue 12, bullet 5: the cross-field rules CEL can express are `x-kubernetes-validations` on
/// the CRDs, so `kubectl apply` (and `--dry-run=server`) refuses a violation at once, naming
/// the field, as a real API server evaluates them — not minutes later as an Invalid condition.
@Suite("kubectl: cross-field rules refused at apply time", .serialized)
struct KubectlApplyTimeValidationTests {
    static func sparkJob(name: String, extra: String) -> String {
        """
        apiVersion: slipway.dev/v1alpha1
        kind: SparkJob
        metadata: {name: \(name)}
        spec:
          sparkVersion: "3.5.3"
          image: apache/spark:3.5.3
          mainApplicationFile: local:///opt/app.jar
        \(extra.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        """
    }

    static let violations: [(name: String, extra: String, field: String, message: String)] = [
        ("scala-no-main", "type: Scala", "spec.mainClass", "a Scala or Java application needs its main class; set spec.mainClass"),
        ("max-below-min", "type: Python\ndynamicAllocation: {enabled: true, minExecutors: 4, maxExecutors: 2}",
         "spec.dynamicAllocation.maxExecutors", "maxExecutors must not be below minExecutors"),
        ("initial-above-max", "type: Python\ndynamicAllocation: {enabled: true, minExecutors: 1, initialExecutors: 9, maxExecutors: 3}",
         "spec.dynamicAllocation.initialExecutors", "initialExecutors must not be above maxExecutors"),
    ]

    @Test func eachCrossFieldViolationIsRefusedNamingTheField() async throws {
        try await withSlipwayDev { _, _, kubectl in
            for violation in Self.violations {
                let manifest = Self.sparkJob(name: violation.name, extra: violation.extra)
                for dryRun in [["--dry-run=server"], []] {
                    let r = try await kubectl.run(["apply", "-f", "-"] + dryRun, input: manifest)
                    #expect(r.status != 0, "\(violation.name) \(dryRun) was accepted: \(r)")
                    #expect(r.err.contains(violation.field) && r.err.contains(violation.message), "\(violation.name): \(r.err)")
                }
                let get = try await kubectl.run(["get", "sparkjob", violation.name])
                #expect(get.status != 0, "nothing is stored: \(get)")
            }
            // The same spec made consistent is accepted: the rules refuse only what they name.
            let fixed = Self.sparkJob(name: "scala-with-main", extra: "type: Scala\nmainClass: org.example.Main")
            try await kubectl.require(["apply", "--dry-run=server", "-f", "-"], input: fixed)
            let enabledOff = Self.sparkJob(name: "dyn-off", extra: "type: Python\ndynamicAllocation: {enabled: false, minExecutors: 4, maxExecutors: 2}")
            try await kubectl.require(["apply", "--dry-run=server", "-f", "-"], input: enabledOff)
        }
    }
}
