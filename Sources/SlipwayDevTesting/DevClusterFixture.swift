import Foundation
import LocalCluster

/// Runs `body` against a fresh `slipway dev` control plane (in-process, random port, its
/// own data directory) and a `kubectl` pointed at it; everything is stopped afterwards.
/// `configure` changes the cluster's configuration before it starts (real Spark, audit hook).
public func withDevCluster(
    ephemeral: Bool = true, dataDirectory: URL? = nil, nodes: [NodeConfiguration] = NodeConfiguration.defaults,
    configure: (inout DevClusterConfiguration) -> Void = { _ in },
    _ body: (DevCluster, Kubectl) async throws -> Void
) async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-dev-\(UUID().uuidString)")
    let data = dataDirectory ?? root.appendingPathComponent("data")
    let home = root.appendingPathComponent("home")
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    var configuration = DevClusterConfiguration(dataDirectory: data, ephemeral: ephemeral, port: 0, bookmarkInterval: .seconds(5), nodes: nodes)
    // Slipway's image (the analysis sidecar) runs the built `slipway` binary, as in `slipway dev`.
    if FileManager.default.isExecutableFile(atPath: OperatorProcess.executable.path) { configuration.slipwayExecutable = OperatorProcess.executable }
    configure(&configuration)
    let cluster = try DevCluster(configuration: configuration)
    try await cluster.start()
    let kubectl = Kubectl(kubeconfig: cluster.kubeconfigPath, home: home)
    do {
        try await body(cluster, kubectl)
    } catch {
        await cluster.shutdown()
        try? FileManager.default.removeItem(at: root)
        throw error
    }
    await cluster.shutdown()
    try? FileManager.default.removeItem(at: root)
}
