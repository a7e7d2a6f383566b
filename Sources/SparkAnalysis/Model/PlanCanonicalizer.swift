/// The identity of a physical plan across runs: the plan tree with what changes from run to run
/// removed — expression ids (`id#12L`), exchange plan ids (`[plan_id=7]`), codegen stage numbers,
/// query-stage numbers and the adaptive wrapper — so that the same query run twice hashes equal.
enum PlanCanonicalizer {
    /// The canonical text of `plan`: one line per node, indented by depth.
    static func canonicalText(_ plan: SparkPlanInfo) -> String {
        var out = ""
        append(plan, depth: 0, to: &out)
        return out
    }

    static func hash(_ plan: SparkPlanInfo) -> UInt64 {
        var hasher = XXH64()
        Array(canonicalText(plan).utf8).withUnsafeBufferPointer { hasher.update($0) }
        return hasher.digest()
    }

    private static func append(_ node: SparkPlanInfo, depth: Int, to out: inout String) {
        if node.nodeName == "AdaptiveSparkPlan" || node.nodeName.hasPrefix("WholeStageCodegen") || node.nodeName == "InputAdapter" {
            for child in node.children { append(child, depth: depth, to: &out) }
            return
        }
        out += String(repeating: " ", count: depth)
        out += node.nodeName.hasSuffix("QueryStage") ? node.nodeName : normalise(node.simpleString)
        out += "\n"
        for child in node.children { append(child, depth: depth + 1, to: &out) }
    }

    /// Removes per-run numbers from one node's description.
    static func normalise(_ text: String) -> String {
        var out = [UInt8]()
        let bytes = Array(text.utf8)
        out.reserveCapacity(bytes.count)
        let planID = Array("plan_id=".utf8)
        var i = 0
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        func skipNumber() {
            let start = i
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            if i > start, i < bytes.count, bytes[i] == UInt8(ascii: "L") { i += 1 }
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "#") {
                out.append(bytes[i])
                i += 1
                skipNumber()
            } else if bytes[i...].starts(with: planID) {
                out += planID
                i += planID.count
                skipNumber()
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether a leaf reads data the plan does not already hold (not a cache, not literals).
    static func readsData(_ leaf: SparkPlanInfo) -> Bool {
        let name = leaf.nodeName
        return name.hasPrefix("Scan ") || name.hasPrefix("BatchScan") || name.hasPrefix("FileScan")
            || name.hasPrefix("HiveTableScan") || name == "Range" || name.hasPrefix("Scan")
    }

    /// "HashAggregate over Scan parquet default.sales": the top operator and what it reads.
    static func summary(_ plan: SparkPlanInfo) -> String {
        var top = plan
        while (top.nodeName == "AdaptiveSparkPlan" || top.nodeName.hasPrefix("WholeStageCodegen")), let child = top.children.first {
            top = child
        }
        var leaves: [String] = []
        for leaf in plan.allNodes where leaf.children.isEmpty && !leaves.contains(leaf.nodeName.trimmingCharacters(in: " ")) {
            leaves.append(leaf.nodeName.trimmingCharacters(in: " "))
        }
        let reads = leaves.prefix(3).joined(separator: ", ")
        return top.children.isEmpty ? reads : "\(top.nodeName) over \(reads)"
    }
}
