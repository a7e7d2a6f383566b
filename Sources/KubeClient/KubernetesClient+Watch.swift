import AsyncHTTPClient
import KubeAPI
import NIOCore

extension KubernetesClient {
    /// Starts a watch. HTTP errors (410 Gone for a too-old resourceVersion, 403, …) are
    /// thrown here; an ERROR event inside the stream arrives as an event of type `.error`
    /// whose `status` says why. The sequence ends when the server closes the stream
    /// (`timeoutSeconds`) and throws `KubeError.transport` when the connection drops.
    public func watch<T: KubeObject>(_ type: T.Type, namespace: String? = nil, options: ListOptions = .init()) async throws -> WatchStream<T> {
        try await watch(T.resource, namespace: namespace, options: options, as: T.self)
    }

    public func watch<T: JSONBacked>(
        _ resource: APIResource, namespace: String? = nil, options: ListOptions = .init(), as: T.Type = DynamicObject.self
    ) async throws -> WatchStream<T> {
        var query = options.queryItems
        query.insert(("watch", "true"), at: 0)
        let path = resource.collectionPath(namespace: resource.namespaced ? namespace : nil)
        let timeout = options.timeoutSeconds.map { Duration.seconds($0) }
        let response = try await openStream(APIRequest(method: .GET, path: path, query: query, streaming: true, timeout: timeout))
        return WatchStream(body: response.body, filter: { [interceptor] in interceptor?.watchFilter(path: path) })
    }
}

/// The events of one watch request, parsed from newline-delimited JSON as bytes arrive.
public struct WatchStream<Object: JSONBacked>: AsyncSequence, Sendable {
    public typealias Element = WatchEvent<Object>
    let body: HTTPClientResponse.Body
    /// The client's `RequestInterceptor` filter for this watch, if any.
    let filter: @Sendable () -> (any WatchLineFilter)?

    public func makeAsyncIterator() -> Iterator { Iterator(lines: BodyLines(body: body, what: "watch"), filter: filter()) }

    public struct Iterator: AsyncIteratorProtocol {
        var lines: BodyLines
        let filter: (any WatchLineFilter)?
        /// Lines the filter released and not yet returned.
        var released: [[UInt8]] = []

        public mutating func next() async throws -> WatchEvent<Object>? {
            while let line = try await nextLine() {
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                return try Self.event(from: line)
            }
            return nil
        }

        private mutating func nextLine() async throws -> [UInt8]? {
            guard let filter else { return try await lines.next() }
            while released.isEmpty {
                guard let line = try await lines.next() else { return nil }
                released = filter.receive(line)
            }
            return released.removeFirst()
        }

        static func event(from line: [UInt8]) throws -> WatchEvent<Object> {
            do {
                let json = try JSON.parse(line)
                if json["type"]?.stringValue == "ERROR" {
                    // The object of an ERROR event is a Status, whatever the watched kind.
                    let status = json["object"]?.objectValue ?? [:]
                    return WatchEvent(type: .error, object: Object(object: status))
                }
                return try WatchEvent<Object>(json: json)
            } catch {
                throw KubeError.decoding("watch event: \(error)")
            }
        }
    }
}
