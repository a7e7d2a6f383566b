import AsyncHTTPClient
import KubeAPI
import NIOCore

extension KubernetesClient {
    /// The log of a pod's container (pods/log), as text.
    public func logs(pod: String, namespace: String? = nil, options: LogOptions = .init()) async throws -> String {
        var options = options
        options.follow = false
        let path = Pod.resource.objectPath(namespace: namespace ?? defaultNamespace, name: pod, subresource: "log")
        let response = try await perform(APIRequest(method: .GET, path: path, query: options.queryItems, accept: "*/*"))
        return String(decoding: response.body, as: UTF8.self)
    }

    /// Follows a pod's log: lines as they are written, until the container stops or the
    /// task is cancelled.
    public func followLogs(pod: String, namespace: String? = nil, options: LogOptions = .init()) async throws -> LogLines {
        var options = options
        options.follow = true
        let path = Pod.resource.objectPath(namespace: namespace ?? defaultNamespace, name: pod, subresource: "log")
        let response = try await openStream(APIRequest(method: .GET, path: path, query: options.queryItems, accept: "*/*", streaming: true))
        return LogLines(body: response.body)
    }
}

/// Lines of a followed log.
public struct LogLines: AsyncSequence, Sendable {
    public typealias Element = String
    let body: HTTPClientResponse.Body

    public func makeAsyncIterator() -> Iterator { Iterator(lines: BodyLines(body: body, what: "log")) }

    public struct Iterator: AsyncIteratorProtocol {
        var lines: BodyLines

        public mutating func next() async throws -> String? {
            try await lines.next().map { String(decoding: $0, as: UTF8.self) }
        }
    }
}
