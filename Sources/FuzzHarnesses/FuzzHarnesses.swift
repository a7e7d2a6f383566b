import Foundation
import KubeAPI

/// Fuzz harnesses for Slipway's hand-written parsers and decoders (docs/fuzzing.md).
///
/// Each harness takes arbitrary bytes, must never trap on any of them, and checks a property
/// where one exists (a round trip, idempotence, monotonic results); a property that fails
/// stops the process with `fatalError`, which libFuzzer (FuzzTesting/) and the corpus replay
/// (FuzzCorpusTests) both report as a crash.
public enum FuzzHarness {
    /// Every harness by its target name; a harness returns whether its parser accepted the
    /// input (FuzzCorpusTests checks the seeds hold both kinds) (the libFuzzer executable is `Fuzz` + the name
    /// capitalised; the seed corpus is FuzzTesting/Seeds/<name>/).
    public static let all: [(name: String, run: @Sendable ([UInt8]) -> Bool)] = [
        ("json", json),
        ("quantity", quantity),
        ("selectors", selectors),
        ("jsonpatch", jsonPatch),
        ("mergepatch", mergePatch),
        ("strategicpatch", strategicMergePatch),
        ("apply", serverSideApply),
        ("protobuf", protobuf),
        ("kubeconfig", kubeconfig),
        ("cron", cron),
        ("cel", cel),
    ]

    /// The harness named `name`.
    public static func named(_ name: String) -> (@Sendable ([UInt8]) -> Bool)? {
        all.first { $0.name == name }?.run
    }

    /// Fails the harness: the property `what` does not hold for this input.
    static func violated(_ what: String, _ details: @autoclosure () -> String) -> Never {
        fatalError("fuzz property violated: \(what): \(details())")
    }

    /// The input as text, when it is UTF-8 (parsers of text get only valid text, as from
    /// a `String` decoded off the wire).
    static func text(_ bytes: [UInt8]) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    // MARK: - JSON

    /// `JSON.parse`: whatever parses serializes to JSON that parses to the same value, and
    /// serializing that again gives the same bytes.
    @discardableResult
    public static func json(_ bytes: [UInt8]) -> Bool {
        guard let value = try? JSON.parse(bytes) else { return false }
        let serialized = JSON.serialize(value)
        let again: JSONValue
        do { again = try JSON.parse(serialized) } catch {
            violated("serialized JSON parses", "\(error) in \(String(decoding: serialized, as: UTF8.self))")
        }
        guard again == value else { violated("JSON round trip", "\(value) became \(again)") }
        let twice = JSON.serialize(again)
        guard twice == serialized else { violated("JSON serialization is stable", String(decoding: twice, as: UTF8.self)) }
        _ = JSON.prettyString(value)
        return true
    }

    // MARK: - Quantities

    /// Kubernetes quantities (`Quantity(_:)`) and Spark/JVM memory sizes
    /// (`Quantity(sparkMemory:)`) of the same text: canonical forms parse back to equal
    /// quantities, and no arithmetic the operator does on a parsed quantity traps.
    @discardableResult
    public static func quantity(_ bytes: [UInt8]) -> Bool {
        guard let text = text(bytes) else { return false }
        var accepted = false
        if let q = try? Quantity(text) {
            accepted = true
            let canonical = q.canonical
            let again: Quantity
            do { again = try Quantity(canonical) } catch {
                violated("a quantity's canonical form parses", "\(text) → \(canonical): \(error)")
            }
            guard again == q else { violated("quantity round trip", "\(text) → \(canonical) → \(again.canonical)") }
            guard again.canonical == canonical else { violated("canonical form is stable", "\(canonical) → \(again.canonical)") }
            exerciseArithmetic(q)
        }
        if let spark = try? Quantity(sparkMemory: text) {
            accepted = true
            let rendered = spark.sparkMemoryString
            let again: Quantity
            do { again = try Quantity(sparkMemory: rendered) } catch {
                violated("a Spark memory string parses", "\(text) → \(rendered): \(error)")
            }
            guard again == spark else { violated("Spark memory round trip", "\(text) → \(rendered) → \(again)") }
            exerciseArithmetic(spark)
        }
        return accepted
    }

    /// What the scheduler, the adapters and the renderers do with quantities: sums,
    /// differences, comparisons, scaled values, growth factors and rounding.
    static func exerciseArithmetic(_ q: Quantity) {
        let others: [Quantity] = [.zero, Quantity(1), Quantity(bytes: 64 << 20), Quantity(milli: 1), Quantity(Int64.max), -Quantity(Int64.max), q]
        for other in others {
            let sum = q + other
            let difference = q - other
            _ = (sum < q, difference < other, q == other, sum.canonical, difference.canonical)
        }
        _ = (q.value, q.milliValue, q.bytes, q.doubleValue, q.sign, (-q).canonical, q.scaledValue(scale: 9), q.scaledValue(scale: -9))
        for factor in [1.5, 1.1, 2, 0.5] {
            _ = try? q.multiplied(by: factor, roundingUpTo: Quantity(bytes: 1 << 20))
            _ = try? q.multiplied(by: factor, roundingUpTo: Quantity(milli: 1))
        }
        _ = try? q.roundedUp(toMultipleOf: Quantity(bytes: 1 << 20))
        _ = q.sparkMemoryString
    }

    // MARK: - Selectors

    /// Label and field selectors: the string form of a parsed selector parses to a selector
    /// with the same string form, which selects the same objects.
    @discardableResult
    public static func selectors(_ bytes: [UInt8]) -> Bool {
        guard let text = text(bytes) else { return false }
        var accepted = false
        if let selector = try? LabelSelector(parsing: text) {
            accepted = true
            let canonical = selector.selectorString
            let again: LabelSelector
            do { again = try LabelSelector(parsing: canonical) } catch {
                violated("a label selector's string form parses", "\(text) → \(canonical): \(error)")
            }
            guard again.selectorString == canonical else {
                violated("label selector round trip", "\(text) → \(canonical) → \(again.selectorString)")
            }
            for labels in sampleLabels(from: selector) where selector.matches(labels) != again.matches(labels) {
                violated("label selector round trip selects the same", "\(text) → \(canonical) on \(labels)")
            }
        }
        if let selector = try? FieldSelector(parsing: text) {
            accepted = true
            let canonical = selector.selectorString
            let again: FieldSelector
            do { again = try FieldSelector(parsing: canonical) } catch {
                violated("a field selector's string form parses", "\(text) → \(canonical): \(error)")
            }
            guard again == selector else { violated("field selector round trip", "\(text) → \(canonical) → \(again.selectorString)") }
            _ = selector.matches(basePod)
        }
        return accepted
    }

    /// Label sets built from the selector's own keys and values (and none).
    static func sampleLabels(from selector: LabelSelector) -> [[String: String]] {
        var sets: [[String: String]] = [[:], selector.matchLabels]
        for requirement in selector.matchExpressions {
            sets.append([requirement.key: requirement.values.first ?? ""])
            sets.append(selector.matchLabels.merging([requirement.key: "other"]) { $1 })
        }
        return sets
    }

    // MARK: - Cron and CEL live in FuzzHarnesses+Schedule.swift and FuzzHarnesses+CEL.swift;
    // patches and decoders in FuzzHarnesses+Patch.swift.

    /// The fixed object patches apply to: a pod with labels, two containers (a list keyed
    /// by name in strategic merge and apply), ports, env and a status.
    public static let basePod: JSONValue = {
        let text = #"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default","labels":{"app":"web","tier":"a"},
         "annotations":{"note":"x"},"uid":"0e0d5a8c-0000-4000-8000-000000000001","resourceVersion":"7",
         "finalizers":["slipway.dev/cleanup"]},
         "spec":{"restartPolicy":"Never","nodeName":"node-1","containers":[
           {"name":"main","image":"busybox","args":["sleep","1"],"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
            "ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":53,"protocol":"UDP"}],
            "resources":{"requests":{"memory":"64Mi","cpu":"100m"},"limits":{"memory":"128Mi"}}},
           {"name":"side","image":"busybox","volumeMounts":[{"name":"v","mountPath":"/v"}]}],
          "volumes":[{"name":"v","emptyDir":{}}],"tolerations":[{"key":"k","operator":"Exists"}]},
         "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}
        """#
        do { return try JSON.parse(text) } catch { fatalError("the base pod is valid JSON: \(error)") }
    }()
}
