import Foundation
import KubeAPI

/// API faults `slipway dev` can inject on demand, for reliability tests.
public struct FaultSettings: Sendable, Hashable {
    /// Share of requests (0…1) answered 500 InternalError.
    public var errorRate: Double = 0
    /// Share of requests (0…1) answered 429 TooManyRequests with Retry-After: 1.
    public var throttleRate: Double = 0
    /// The next N watches that resume from a resourceVersion get 410 Gone.
    public var goneWatches: Int = 0
    /// The clients the error and throttle rates apply to, by `User-Agent` program name (up
    /// to the first "/", e.g. `slipway-operator`); empty means every client.
    public var clients: [String] = []
    /// 500s and 429s injected so far.
    public var injected: Int = 0
    /// Bumped to drop every open watch connection (without ending the response).
    var dropEpoch: Int = 0

    public init() {}

    var json: JSONValue {
        ["errorRate": .number(JSONNumber(errorRate)), "throttleRate": .number(JSONNumber(throttleRate)), "goneWatches": .number(JSONNumber(goneWatches)),
         "clients": .array(clients.map { .string($0) }), "injected": .number(JSONNumber(injected))]
    }
}

/// A change to the fault settings, as `POST`/`PATCH /slipway/faults` sends it: only the
/// fields given change; `reset: true` first clears every setting.
public struct FaultChange: Sendable, Hashable {
    public var reset = false
    public var errorRate: Double?
    public var throttleRate: Double?
    public var clients: [String]?
    public var goneWatches: Int?
    public var dropWatches = false

    public init() {}

    /// The fields the endpoint takes.
    public static let fields = ["reset", "errorRate", "throttleRate", "clients", "goneWatches", "dropWatches"]

    /// Reads a request body; a value out of range, of the wrong type or an unknown field is a
    /// 400 naming the field (never stored clamped).
    public static func parse(_ body: JSONValue) throws(Status) -> FaultChange {
        guard let object = body.objectValue else { throw invalid("body", "must be a JSON object") }
        var change = FaultChange()
        for (key, value) in object {
            switch key {
            case "reset": change.reset = try boolean(key, value)
            case "dropWatches": change.dropWatches = try boolean(key, value)
            case "errorRate": change.errorRate = try rate(key, value)
            case "throttleRate": change.throttleRate = try rate(key, value)
            case "goneWatches":
                guard let n = value.numberValue?.int, n >= 0 else { throw invalid(key, "must be an integer of at least 0, not \(JSON.string(value))") }
                change.goneWatches = n
            case "clients":
                guard let items = value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
                    throw invalid(key, "must be a list of client names (strings), not \(JSON.string(value))")
                }
                change.clients = items.compactMap(\.stringValue)
            default:
                throw invalid(key, "is not a fault setting; use \(fields.joined(separator: ", "))")
            }
        }
        return change
    }

    static func rate(_ key: String, _ value: JSONValue) throws(Status) -> Double {
        guard let rate = value.numberValue?.double, rate >= 0, rate <= 1 else {
            throw invalid(key, "must be a number between 0 and 1, not \(JSON.string(value))")
        }
        return rate
    }

    static func boolean(_ key: String, _ value: JSONValue) throws(Status) -> Bool {
        guard let flag = value.boolValue else { throw invalid(key, "must be true or false, not \(JSON.string(value))") }
        return flag
    }

    static func invalid(_ field: String, _ problem: String) -> Status {
        Status(code: 400, reason: "BadRequest", message: "\(field): \(problem)")
    }
}

extension LocalAPIServer {
    /// Answers a request of client `agent` with an injected 500 or 429, at the configured rates.
    func injectFault(agent: String) throws(Status) {
        let roll = Double.random(in: 0..<1)
        let fault: Int? = faults.withLock { f in
            guard f.errorRate > 0 || f.throttleRate > 0, f.clients.isEmpty || f.clients.contains(agent) else { return nil }
            let code = roll < f.errorRate ? 500 : (roll < f.errorRate + f.throttleRate ? 429 : nil)
            if code != nil { f.injected += 1 }
            return code
        }
        if fault == 500 {
            throw Status(code: 500, reason: "InternalError", message: "Internal error occurred: injected by slipway dev")
        }
        if fault == 429 {
            var details = StatusDetails()
            details.retryAfterSeconds = 1
            throw Status(code: 429, reason: "TooManyRequests", message: "the server has received too many requests and has asked us to try again later (injected by slipway dev)", details: details)
        }
    }

    /// Whether this watch must be refused with 410 (and counts it).
    func consumeForcedGone() throws(Status) -> Bool {
        faults.withLock { f in
            guard f.goneWatches > 0 else { return false }
            f.goneWatches -= 1
            return true
        }
    }

    /// Sets faults: `PATCH/POST /slipway/faults` with a JSON body of the fields to change
    /// (`errorRate`, `throttleRate`, `clients`, `goneWatches`, `dropWatches: true`).
    public func setFaults(
        errorRate: Double? = nil, throttleRate: Double? = nil, clients: [String]? = nil, goneWatches: Int? = nil, dropWatches: Bool = false,
        reset: Bool = false
    ) async {
        faults.withLock { f in
            if reset {
                let epoch = f.dropEpoch
                f = FaultSettings()
                f.dropEpoch = epoch
            }
            if let clients { f.clients = clients }
            if let errorRate { f.errorRate = min(max(errorRate, 0), 1) }
            if let throttleRate { f.throttleRate = min(max(throttleRate, 0), 1) }
            if let goneWatches { f.goneWatches = max(0, goneWatches) }
            if dropWatches { f.dropEpoch += 1 }
        }
        if dropWatches { await store.closeClientWatches() }
    }

    func handleAdmin(_ segments: [String], _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        switch (request.method, segments.first) {
        case ("GET", "faults"):
            try await respondJSON(faults.withLock { $0.json }, writer)
        case ("POST", "faults"), ("PATCH", "faults"):
            let body = request.body.isEmpty ? JSONValue.object([:]) : try RequestBody.object(request)
            let change = try FaultChange.parse(body)
            await setFaults(
                errorRate: change.errorRate, throttleRate: change.throttleRate, clients: change.clients, goneWatches: change.goneWatches,
                dropWatches: change.dropWatches, reset: change.reset)
            try await respondJSON(faults.withLock { $0.json }, writer)
        case ("DELETE", "faults"):
            await setFaults(reset: true)
            try await respondJSON(faults.withLock { $0.json }, writer)
        case ("POST", "nodes") where segments.count == 3:
            try await nodeAction(segments[1], segments[2])
            try await respondJSON(["node": .string(segments[1]), "action": .string(segments[2])], writer)
        case ("POST", "pods") where segments.count == 4 && segments[3] == "evict":
            guard let evict = hooks.withLock({ $0.evictPod }) else { throw nodesUnavailable() }
            try await evict(segments[1], segments[2])
            try await respondJSON(["pod": .string("\(segments[1])/\(segments[2])"), "action": "evict"], writer)
        default:
            throw Status(code: 404, reason: "NotFound", message: "unknown admin endpoint /slipway/\(segments.joined(separator: "/"))")
        }
    }

    func nodeAction(_ node: String, _ action: String) async throws {
        let hooks = self.hooks.withLock { $0 }
        switch action {
        case "interrupt":
            guard let interrupt = hooks.interruptNode else { throw nodesUnavailable() }
            try await interrupt(node)
        case "restore":
            guard let restore = hooks.restoreNode else { throw nodesUnavailable() }
            try await restore(node)
        default:
            throw StoreErrors.badRequest("unknown node action \"\(action)\": use interrupt or restore")
        }
    }

    func nodesUnavailable() -> Status {
        Status(code: 503, reason: "ServiceUnavailable", message: "this server runs no local nodes")
    }
}
