import Foundation
import KubeAPI
import KubeClient
import Synchronization

/// One fault a run injects into the operator's client (`RequestInterceptor`), Sieve-style.
enum Fault: Sendable, Hashable, CustomStringConvertible {
    /// None: the reference run, which counts the writes and watch events.
    case none
    /// The operator dies right after its k-th API write (POST, PUT, PATCH, DELETE) reached
    /// the server — it never sees the answer — and a fresh operator starts on the same server.
    case crashAfterWrite(Int)
    /// The k-th watch event (across all of the operator's watches) is lost; the informer
    /// learns at the next bookmark on that watch that its version is gone and relists, as
    /// one does after a broken watch.
    case dropWatchEvent(Int)
    /// Every watch hands its events on `n` events late (at the latest with the next
    /// bookmark): the operator reads caches stale by up to `n` events.
    case staleCache(events: Int)

    /// The point alone (`7`), for reports.
    var point: String {
        switch self {
        case .none: "-"
        case .crashAfterWrite(let k), .dropWatchEvent(let k), .staleCache(let k): "\(k)"
        }
    }

    var description: String {
        switch self {
        case .none: "no fault"
        case .crashAfterWrite(let k): "crash after write \(k)"
        case .dropWatchEvent(let k): "drop watch event \(k)"
        case .staleCache(let n): "caches stale by \(n) events"
        }
    }
}

/// What every request of a crashed operator fails with.
struct InjectedCrash: Error, CustomStringConvertible {
    let write: Int
    var description: String { "the operator crashed (injected after its write \(write))" }
}

/// Counts the operator's writes and watch events, and injects `fault`.
final class FaultInterceptor: RequestInterceptor {
    struct Counts: Sendable {
        var writes = 0
        var watchEvents = 0
        var crashed = false
        var dropped = false
    }

    let fault: Fault
    let counts = Mutex(Counts())

    init(_ fault: Fault) { self.fault = fault }

    var crashed: Bool { counts.withLock { $0.crashed } }

    /// Writes to the cluster's state; the CRD install at start is not the operator's work.
    static func isWrite(method: String, path: String) -> Bool {
        ["POST", "PUT", "PATCH", "DELETE"].contains(method) && !path.contains("/customresourcedefinitions")
    }

    func willSend(method: String, path: String) async throws {
        let crashedAt: Int? = counts.withLock { $0.crashed ? $0.writes : nil }
        if let crashedAt { throw InjectedCrash(write: crashedAt) }
    }

    func didAnswer(method: String, path: String, code: Int) async throws {
        guard Self.isWrite(method: method, path: path) else { return }
        let crashedAt: Int? = counts.withLock { c in
            // Answers that arrive after the crash are lost as well (writes in flight).
            if c.crashed { return c.writes }
            c.writes += 1
            if case .crashAfterWrite(let k) = fault, c.writes == k {
                c.crashed = true
                return k
            }
            return nil
        }
        if let crashedAt { throw InjectedCrash(write: crashedAt) }
    }

    func watchFilter(path: String) -> (any WatchLineFilter)? {
        switch fault {
        case .none, .crashAfterWrite: CountingFilter(interceptor: self, drop: nil)
        case .dropWatchEvent(let k): CountingFilter(interceptor: self, drop: k)
        case .staleCache(let n): StaleFilter(lag: n)
        }
    }

    /// Counts one watch event; true when it is the one to drop.
    fileprivate func countEvent(drop: Int?) -> Bool {
        counts.withLock { c in
            c.watchEvents += 1
            guard let drop, c.watchEvents == drop, !c.dropped else { return false }
            c.dropped = true
            return true
        }
    }
}

/// The type of one watch line (`ADDED`, `BOOKMARK`, `ERROR`, …).
private func eventType(_ line: [UInt8]) -> String? {
    (try? JSON.parse(line))?["type"]?.stringValue
}

/// Counts a watch's events (not bookmarks) and drops the chosen one; the next bookmark on
/// the same watch becomes a 410 Gone, so the informer relists.
private final class CountingFilter: WatchLineFilter {
    let interceptor: FaultInterceptor
    let drop: Int?
    var gapOpen = false

    init(interceptor: FaultInterceptor, drop: Int?) {
        self.interceptor = interceptor
        self.drop = drop
    }

    func receive(_ line: [UInt8]) -> [[UInt8]] {
        switch eventType(line) {
        case "BOOKMARK":
            guard gapOpen else { return [line] }
            gapOpen = false
            return [Array(Self.gone.utf8)]
        case "ADDED", "MODIFIED", "DELETED":
            if interceptor.countEvent(drop: drop) {
                gapOpen = true
                return []
            }
            return [line]
        default:
            return [line]
        }
    }

    static let gone =
        #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version (injected: an event was lost)","reason":"Expired","code":410}}"#
}

/// Holds a watch's events back until `lag` newer ones arrived or a bookmark (or error) comes.
private final class StaleFilter: WatchLineFilter {
    let lag: Int
    var held: [[UInt8]] = []

    init(lag: Int) { self.lag = lag }

    func receive(_ line: [UInt8]) -> [[UInt8]] {
        switch eventType(line) {
        case "ADDED", "MODIFIED", "DELETED":
            held.append(line)
            guard held.count > lag else { return [] }
            return [held.removeFirst()]
        default:
            defer { held = [] }
            return held + [line]
        }
    }
}
