import Foundation
import KubeAPI

/// Which discovery form to answer `/api` and `/apis` with, decided from the request's
/// `Accept` header.
public enum DiscoveryFormat: Sendable, Hashable {
    /// Aggregated discovery (`APIGroupDiscoveryList`) of `apidiscovery.k8s.io/{version}`
    /// (`v2` or `v2beta1`).
    case aggregated(version: String)
    /// `APIVersions` / `APIGroupList`, as plain `application/json`.
    case legacy

    /// The response `Content-Type` for this form.
    public var contentType: String {
        switch self {
        case .aggregated(let version): "application/json;g=apidiscovery.k8s.io;v=\(version);as=APIGroupDiscoveryList"
        case .legacy: "application/json"
        }
    }

    /// The `apiVersion` of an aggregated body (`apidiscovery.k8s.io/v2`); nil for legacy.
    public var aggregatedAPIVersion: String? {
        if case .aggregated(let version) = self { return "apidiscovery.k8s.io/\(version)" }
        return nil
    }

    /// The form to answer: the first media range of `accept` (in the client's order) that
    /// asks for `as=APIGroupDiscoveryList` with `g=apidiscovery.k8s.io` and `v=v2` or
    /// `v=v2beta1` selects aggregated discovery; anything else (no header, `application/json`,
    /// `*/*`) selects the legacy form.
    public static func negotiate(accept: String?) -> DiscoveryFormat {
        guard let accept else { return .legacy }
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let mediaType = parts.first, mediaType == "application/json" || mediaType == "*/*" else { continue }
            var params: [String: String] = [:]
            for part in parts.dropFirst() {
                let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2 { params[kv[0].lowercased()] = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            }
            guard params["as"] == "APIGroupDiscoveryList", params["g"] == "apidiscovery.k8s.io",
                let version = params["v"], version == "v2" || version == "v2beta1"
            else { continue }
            return .aggregated(version: version)
        }
        return .legacy
    }
}

extension Discovery {
    /// A strong ETag for a discovery body: the quoted upper-case SHA-256 of its serialized
    /// form (the real server uses a hash of the body too; clients only compare it).
    public static func etag(for body: JSONValue) -> String {
        "\"\(SHA256.hexDigest(JSON.serialize(body)))\""
    }
}
