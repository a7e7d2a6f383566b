import Foundation
import KubeAPI

extension LocalAPIServer {
    /// `/version`, discovery (aggregated or legacy, by Accept), and the OpenAPI v3 and v2 documents.
    func handleDiscovery(_ route: APIPath, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        let registry = self.registry.withLock { $0 }
        let format = DiscoveryFormat.negotiate(accept: request.header("Accept"))
        switch route {
        case .version:
            try await respondJSON(Discovery.version(), writer)
        case .coreVersions:
            let body: JSONValue
            if let apiVersion = format.aggregatedAPIVersion {
                body = Discovery.aggregatedCore(registry, apiVersion: apiVersion)
            } else {
                body = Discovery.apiVersions(registry, serverAddress: "\(configuration.host):\(url?.port ?? configuration.port)")
            }
            try await respondDiscovery(body, format, request, writer)
        case .groups:
            let body =
                format.aggregatedAPIVersion.map { Discovery.aggregatedGroups(registry, apiVersion: $0) } ?? Discovery.apiGroupList(registry)
            try await respondDiscovery(body, format, request, writer)
        case .group(let group):
            let list = Discovery.apiGroupList(registry)
            guard let entry = list["groups"]?.arrayValue?.first(where: { $0["name"]?.stringValue == group }) else { throw notFound() }
            var body = entry.objectValue ?? [:]
            body["kind"] = "APIGroup"
            body["apiVersion"] = "v1"
            try await respondJSON(.object(body), writer)
        case .groupVersion(let group, let version):
            guard let body = Discovery.apiResourceList(registry, group: group, version: version) else { throw notFound() }
            try await respondJSON(body, writer)
        case .openAPIv3Index:
            try await writer.respond(
                status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], bytes: JSON.serialize(OpenAPIV3.index(registry)))
        case .openAPIv3(let group, let version):
            guard let body = OpenAPIV3.document(registry, group: group, version: version) else { throw notFound() }
            try await respondRevalidated(
                JSON.serialize(body), etag: "\"\(OpenAPIV3.hash(of: body))\"",
                headers: [("Content-Type", "application/json"), ("Cache-Control", "public, immutable")], request, writer)
        case .openAPIv2:
            // A document without definitions (see OpenAPIV2): protobuf as kubectl asks, else JSON.
            let protobuf = OpenAPIV2.wantsProtobuf(accept: request.header("Accept"))
            let bytes = protobuf ? OpenAPIV2.protobuf() : JSON.serialize(OpenAPIV2.json())
            // The real server's 304 here says Vary: Accept too (03-apply-gadget/019).
            try await respondRevalidated(
                bytes, etag: "\"\(SHA256.hexDigest(bytes))\"",
                headers: [("Content-Type", protobuf ? OpenAPIV2.protobufContentType : "application/json"), ("Vary", "Accept")],
                notModified: [("Vary", "Accept")], request, writer)
        default:
            throw notFound()
        }
    }

    func respondDiscovery(_ body: JSONValue, _ format: DiscoveryFormat, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        try await respondRevalidated(
            JSON.serialize(body), etag: Discovery.etag(for: body), headers: [("Content-Type", format.contentType), ("Vary", "Accept")], request, writer)
    }

    /// A conditional GET: 304 with the ETag (and `notModified`) when the request's
    /// If-None-Match names `etag`, else 200 with `headers`, the ETag and the body.
    func respondRevalidated(
        _ body: @autoclosure () -> [UInt8], etag: String, headers: [(String, String)], notModified: [(String, String)] = [],
        _ request: HTTPServerRequest, _ writer: HTTPResponseWriter
    ) async throws {
        if request.header("If-None-Match") == etag {
            try await writer.respond(status: 304, headers: [("ETag", etag)] + notModified, bytes: [])
            return
        }
        try await writer.respond(status: 200, headers: headers + [("ETag", etag)], bytes: body())
    }

    func notFound() -> Status {
        Status(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
    }

    func respondTable(
        _ served: ServedResource, objects: [JSONObject], resourceVersion: String?, continueToken: String?, _ request: HTTPServerRequest,
        _ writer: HTTPResponseWriter
    ) async throws {
        let document = tableDocument(served, objects: objects, resourceVersion: resourceVersion, continueToken: continueToken, request, forWatch: false)
        try await writer.respond(status: 200, headers: [("Content-Type", TableRenderer.contentType)], bytes: JSON.serialize(document))
    }

    func tableDocument(
        _ served: ServedResource, objects: [JSONObject], resourceVersion: String?, continueToken: String?, _ request: HTTPServerRequest,
        forWatch: Bool, firstEvent: Bool = true
    ) -> JSONValue {
        let include = TableIncludeObject(queryValue: request.query["includeObject"])
        if forWatch, let object = objects.first {
            return TableRenderer.watchEventTable(for: served, object: object, now: now(), includeObject: include, includeColumnDefinitions: firstEvent)
        }
        var listMeta = JSONObject()
        if let resourceVersion { listMeta["resourceVersion"] = .string(resourceVersion) }
        if let continueToken { listMeta["continue"] = .string(continueToken) }
        return TableRenderer.table(for: served, objects: objects, listMeta: listMeta, now: now(), includeObject: include)
    }
}
