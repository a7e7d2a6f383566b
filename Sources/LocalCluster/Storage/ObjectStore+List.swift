import Foundation
import KubeAPI

/// Options of a list request.
public struct ListOptions: Sendable, Hashable {
    public var filter: ObjectFilter
    /// The page size; nil or 0 lists everything.
    public var limit: Int?
    /// The `continue` token of the previous page.
    public var continueToken: String?
    /// List the objects as they were at this resourceVersion (`resourceVersionMatch=Exact`);
    /// nil for the current state.
    public var exactResourceVersion: Int64?

    public init(filter: ObjectFilter = ObjectFilter(), limit: Int? = nil, continueToken: String? = nil, exactResourceVersion: Int64? = nil) {
        self.filter = filter
        self.limit = limit
        self.continueToken = continueToken
        self.exactResourceVersion = exactResourceVersion
    }
}

/// One page of a list.
public struct ListResult: Sendable, Hashable {
    public var items: [JSONObject]
    /// The list's resourceVersion (of the first page, for every page of one list).
    public var resourceVersion: String
    /// The token for the next page; nil on the last page.
    public var continueToken: String?
    /// How many matching objects follow this page; only without selectors, as the real server.
    public var remainingItemCount: Int64?
}

extension ObjectStore {
    /// Lists the objects of a resource in etcd key order, filtered and paginated.
    ///
    /// The continue token has the real server's form (base64url of
    /// `{"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}`). A token whose
    /// resourceVersion is older than the watch history is `410 Expired`. Pages after the
    /// first, and lists at an exact resourceVersion, show the objects as they were then
    /// (rebuilt from the watch history).
    public func list(_ type: ResourceType, options: ListOptions = ListOptions()) throws(Status) -> ListResult {
        let namespace = type.namespaced ? options.filter.namespace : nil
        let prefix = namespace.map { "/\($0)" } ?? ""
        var listRevision = revision
        var start: String?
        if let exact = options.exactResourceVersion {
            guard exact >= historyStart else { throw StoreErrors.listTooOld }
            guard exact <= revision else { throw StoreErrors.tooLargeResourceVersion(exact, current: revision) }
            listRevision = exact
        }
        if let token = options.continueToken, !token.isEmpty {
            let decoded = try ContinueToken(decoding: token)
            guard decoded.resourceVersion >= historyStart else { throw StoreErrors.continueExpired() }
            listRevision = decoded.resourceVersion
            start = decoded.start
        }
        let objects = listRevision < revision ? objects(of: type, at: listRevision) : entries.filter { $0.key.resource == type.qualifiedName }.mapValues(\.object)
        let matching = objects.keys.sorted().lazy.filter { key in
            key.path.hasPrefix(prefix + "/") && (start.map { key.path.dropFirst(prefix.count) >= $0 } ?? true)
        }.compactMap { objects[$0] }.filter { options.filter.matches($0) }
        let all = Array(matching)
        guard let limit = options.limit, limit > 0, all.count > limit else {
            return ListResult(items: all, resourceVersion: String(listRevision))
        }
        let page = Array(all.prefix(limit))
        let lastName = page[limit - 1].meta("name")?.stringValue ?? ""
        let lastKey = StoreKey(type, namespace: page[limit - 1].meta("namespace")?.stringValue, name: lastName)
        let next = ContinueToken(resourceVersion: listRevision, start: String(lastKey.path.dropFirst(prefix.count)) + "\u{0}")
        return ListResult(
            items: page, resourceVersion: String(listRevision), continueToken: next.encoded,
            remainingItemCount: options.filter.hasSelector ? nil : Int64(all.count - limit))
    }
}

/// The continue token of a paginated list, in the real API server's encoding.
public struct ContinueToken: Sendable, Hashable {
    public var resourceVersion: Int64
    /// The key (below the list's prefix) to start from, inclusive.
    public var start: String

    public init(resourceVersion: Int64, start: String) {
        self.resourceVersion = resourceVersion
        self.start = start
    }

    /// Decodes a token; a malformed one is `400 BadRequest`.
    public init(decoding token: String) throws(Status) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let json = try? JSON.parse(data) else {
            throw StoreErrors.badRequest("continue key is not valid: illegal base64 data")
        }
        guard json["v"]?.stringValue == "meta.k8s.io/v1" else {
            throw StoreErrors.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        }
        guard let rv = json["rv"]?.numberValue?.int64, rv > 0, let start = json["start"]?.stringValue, !start.isEmpty else {
            throw StoreErrors.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        }
        self.init(resourceVersion: rv, start: start)
    }

    /// The token text: unpadded base64url of the JSON form.
    public var encoded: String {
        let json: JSONValue = ["v": "meta.k8s.io/v1", "rv": .number(JSONNumber(resourceVersion)), "start": .string(start)]
        return JSON.data(json).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

extension ObjectStore {
    /// The objects of one resource as they were at `resourceVersion`: the current ones
    /// with every later change undone (from the watch history, which must reach back).
    func objects(of type: ResourceType, at resourceVersion: Int64) -> [StoreKey: JSONObject] {
        var state = entries.filter { $0.key.resource == type.qualifiedName }.mapValues(\.object)
        for event in history.reversed() {
            guard event.resourceVersion > resourceVersion else { break }
            guard event.resource.qualifiedName == type.qualifiedName, event.type != .bookmark else { continue }
            switch event.type {
            case .added: state[event.key] = nil
            default: state[event.key] = event.previous
            }
        }
        return state
    }
}
