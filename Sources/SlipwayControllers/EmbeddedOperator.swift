import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import SlipwayAPI

/// Installs Slipway's CRDs and runs its controllers in this process — what `slipway dev`
/// and the end-to-end tests use. In a cluster, `slipway operator` runs the same controllers.
public final class EmbeddedOperator: Sendable {
    public let client: KubernetesClient
    private let task: Task<Void, Never>

    /// Installs the CRDs (create or update), then starts the controllers. `observer` sees
    /// every API request the operator makes (tests check them against the chart's RBAC);
    /// through `interceptor` tests inject faults (`RequestInterceptor`).
    public static func start(
        clientConfiguration: ClientConfiguration, configuration: OperatorConfiguration = OperatorConfiguration(),
        logger: Logger = Logger(label: "slipway.operator"), observer: (any RequestObserver)? = nil,
        interceptor: (any RequestInterceptor)? = nil
    ) async throws -> EmbeddedOperator {
        let client = KubernetesClient(configuration: clientConfiguration, logger: logger, observer: observer, interceptor: interceptor)
        do {
            try await CRDInstaller.install(client: client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        return EmbeddedOperator(client: client, configuration: configuration, logger: logger)
    }

    /// Starts against a local API server given by its URL, CA and bearer token.
    /// Drivers reach it at the same URL (`spark.master`), as local pods run on this machine.
    public static func start(
        localServer url: URL, caPEM: String, token: String, workers: Int? = nil, web: JobViewSource? = nil,
        logger: Logger = Logger(label: "slipway.operator")
    ) async throws -> EmbeddedOperator {
        var configuration = OperatorConfiguration(sparkMaster: "k8s://" + url.absoluteString)
        if let workers { configuration.workers = workers }
        configuration.web = web
        return try await start(
            clientConfiguration: .local(server: url, caPEM: caPEM, token: token, userAgent: "slipway-operator"), configuration: configuration,
            logger: logger)
    }

    private init(client: KubernetesClient, configuration: OperatorConfiguration, logger: Logger) {
        self.client = client
        self.task = Task { await OperatorRunner.runControllers(client: client, configuration: configuration, logger: logger) }
    }

    /// Stops the controllers (in-flight reconciles finish) and closes the client.
    public func stop() async {
        task.cancel()
        await task.value
        try? await client.shutdown()
    }
}

/// Creates or updates Slipway's CRDs from the Swift types.
public enum CRDInstaller {
    static let crdResource = APIResource(
        group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", plural: "customresourcedefinitions", namespaced: false)

    public static func install(client: KubernetesClient) async throws {
        for case .object(let crd) in CRDGenerator.all {
            let desired = DynamicObject(object: crd)
            let name = desired.metadata.name ?? ""
            do {
                var current: DynamicObject = try await client.get(crdResource, name: name)
                current.object["spec"] = desired.object["spec"]
                _ = try await client.replace(crdResource, current)
            } catch let error as KubeError where error.isNotFound {
                _ = try await client.create(crdResource, desired)
            }
        }
    }
}
