import Foundation
import KubeTesting

/// The repository's root, found from this file's path.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .standardized

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    static func read(_ relative: String) throws -> String { try String(contentsOf: url(relative), encoding: .utf8) }

    static var chart: URL { url("charts/slipway") }
}

/// `.tools/bin/<name>` (what scripts/setup.sh installs), else the first `name` on PATH.
func locateTool(_ name: String) -> URL? {
    let candidates = [Repository.url(".tools/bin/\(name)")] + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map {
        URL(fileURLWithPath: String($0)).appendingPathComponent(name)
    }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

/// Helm is missing: the tests fail (never skip) and say how to install it.
struct HelmMissing: Error, CustomStringConvertible {
    var description: String {
        "helm not found at .tools/bin/helm or on PATH: run scripts/setup.sh (it installs the pinned Helm 3.17 into .tools/bin)"
    }
}

/// A failed helm command, with everything it printed.
struct HelmFailed: Error, CustomStringConvertible {
    var arguments: [String]
    var result: ProcessResult
    var description: String { "helm \(arguments.joined(separator: " ")) failed: \(result)" }
}

/// Runs the real `helm` — `.tools/bin/helm` (what scripts/setup.sh installs) or the first on
/// PATH — with its own cache, config and data directories, so tests never touch the user's.
struct Helm {
    let executable: URL
    let home: URL

    static func locate() throws -> Helm {
        guard let found = locateTool("helm") else { throw HelmMissing() }
        try FileManager.default.createDirectory(at: sharedHome, withIntermediateDirectories: true)
        return Helm(executable: found, home: sharedHome)
    }

    /// One HOME for every helm this test process runs.
    static let sharedHome = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-helm-\(UUID().uuidString)")

    /// `helm args…`; `kubeconfig` points it at a cluster.
    func run(_ arguments: [String], kubeconfig: URL? = nil, timeout: Duration = .seconds(120)) async throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.path
        environment["HELM_CACHE_HOME"] = home.appendingPathComponent("cache").path
        environment["HELM_CONFIG_HOME"] = home.appendingPathComponent("config").path
        environment["HELM_DATA_HOME"] = home.appendingPathComponent("data").path
        if let kubeconfig { environment["KUBECONFIG"] = kubeconfig.path } else { environment.removeValue(forKey: "KUBECONFIG") }
        process.environment = environment
        return try await runToEnd(process, timeout: timeout)
    }

    /// `helm template slipway charts/slipway --namespace slipway-system` with `--set` values;
    /// throws with helm's output when rendering fails.
    func template(_ sets: [String] = [], includeCRDs: Bool = false, namespace: String = "slipway-system") async throws -> String {
        var arguments = ["template", "slipway", Repository.chart.path, "--namespace", namespace]
        if includeCRDs { arguments.append("--include-crds") }
        for set in sets { arguments += ["--set", set] }
        let result = try await run(arguments)
        guard result.status == 0 else { throw HelmFailed(arguments: arguments, result: result) }
        return result.out
    }

    /// The chart rendered with `sets`, parsed.
    func render(_ sets: [String] = []) async throws -> RenderedChart {
        try RenderedChart(yaml: try await template(sets))
    }
}
