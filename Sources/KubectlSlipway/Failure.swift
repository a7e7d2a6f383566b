import Foundation
import KubeAPI
import KubeClient
import SlipwayPlugin

/// Errors from the cluster, turned into one line that says what to do.
enum Failure {
    static func explain(_ error: any Error, server: String) -> any Error {
        guard let error = error as? KubeError else { return error }
        switch error {
        case .transport(let detail):
            return PluginError("cannot reach the API server at \(server) (\(detail)); check the context with kubectl config current-context")
        case .unauthorized:
            return PluginError("the API server at \(server) refused the credentials (401); log in again or pick another --context")
        case .forbidden(let status):
            return PluginError("forbidden: \(status.message ?? "no permission"); ask for the rights or use another --context")
        case .notFound(let status):
            return PluginError("\(status.message ?? "not found"); are Slipway's CRDs installed? (kubectl get crd batchjobs.slipway.dev)")
        default:
            return PluginError("\(error)")
        }
    }

}
