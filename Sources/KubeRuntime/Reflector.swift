import Foundation
import KubeAPI
import KubeClient
import Logging

/// Tuning of an informer's list and watch loop. The defaults are client-go's.
public struct InformerConfiguration: Sendable {
    /// Page size of the initial list and of relists; nil lists everything at once.
    public var pageSize: Int?
    /// First delay after a failed list or watch; doubles up to `maxBackoff`.
    public var initialBackoff: Duration
    /// The longest delay between failed attempts.
    public var maxBackoff: Duration
    /// Each watch asks the server to end it after a random number of seconds in this range,
    /// so that watches of many clients do not all reconnect at once.
    public var watchTimeoutSeconds: ClosedRange<Int>
    /// A watch that ends without any event sooner than this counts as a failure (backoff).
    public var minimumWatchDuration: Duration

    public init(
        pageSize: Int? = 500, initialBackoff: Duration = .milliseconds(800), maxBackoff: Duration = .seconds(30),
        watchTimeoutSeconds: ClosedRange<Int> = 300...600, minimumWatchDuration: Duration = .seconds(1)
    ) {
        self.pageSize = pageSize
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.watchTimeoutSeconds = watchTimeoutSeconds
        self.minimumWatchDuration = minimumWatchDuration
    }
}

/// Doubling delays between failed attempts, reset by a success.
struct Backoff: Sendable {
    let initial: Duration
    let max: Duration
    private var nextDelay: Duration

    init(initial: Duration, max: Duration) {
        self.initial = initial
        self.max = max
        self.nextDelay = initial
    }

    mutating func next() -> Duration {
        defer { nextDelay = Swift.min(nextDelay * 2, max) }
        return nextDelay
    }

    mutating func reset() { nextDelay = initial }
}

/// Keeps a `Store` equal to the server's state: lists, then watches from the list's
/// resourceVersion, resumes from the last seen resourceVersion when a watch ends, and
/// relists when the server says that version is gone (410).
struct Reflector<Object: KubeObject>: Sendable {
    let listerWatcher: any ListerWatcher<Object>
    let store: Store<Object>
    let clock: any KubeClock
    let configuration: InformerConfiguration
    let transform: (@Sendable (Object) -> Object)?
    let logger: Logger

    /// Where the loop stands between two API calls.
    private struct Progress {
        var resourceVersion = ""
        var needsList = true
        var consecutiveGone = 0
        var backoff: Backoff
        /// The server accepted the current watch (its response started).
        var watchEstablished = false
    }

    /// Runs until the task is cancelled. `deliver` gets every change of the store, in order;
    /// `synced` is called after each successful list.
    func run(deliver: @Sendable (StoreChange<Object>) async -> Void, synced: @Sendable () -> Void) async {
        var progress = Progress(backoff: Backoff(initial: configuration.initialBackoff, max: configuration.maxBackoff))
        while !Task.isCancelled {
            do {
                if progress.needsList {
                    progress.resourceVersion = try await listAndReplace(deliver: deliver)
                    progress.needsList = false
                    synced()
                }
                try await watchOnce(&progress, deliver: deliver)
            } catch is CancellationError {
                return
            } catch {
                guard !Task.isCancelled else { return }
                await recover(from: error, &progress)
            }
        }
    }

    private func recover(from error: any Error, _ progress: inout Progress) async {
        if Self.isGone(error) {
            // The resourceVersion is too old for the server: relist, and never watch from it again.
            logger.info("resourceVersion expired, relisting", metadata: ["resourceVersion": "\(progress.resourceVersion)"])
            progress.needsList = true
            progress.consecutiveGone += 1
            // Relist at once the first time; back off if the fresh version expires again at once.
            guard progress.consecutiveGone > 1 else { return }
        } else {
            logger.warning("list or watch failed", metadata: ["error": "\(error)"])
        }
        try? await clock.sleep(for: progress.backoff.next())
    }

    // MARK: - List

    /// Lists every page and replaces the store's content; returns the list's resourceVersion.
    private func listAndReplace(deliver: @Sendable (StoreChange<Object>) async -> Void) async throws -> String {
        let (items, resourceVersion) = try await listAll()
        let changes = store.replace(items.map(applyTransform), resourceVersion: resourceVersion)
        logger.debug("listed", metadata: ["count": "\(items.count)", "resourceVersion": "\(resourceVersion)"])
        for change in changes { await deliver(change) }
        return resourceVersion
    }

    private func listAll() async throws -> ([Object], String) {
        var options = ListOptions(limit: configuration.pageSize)
        var items: [Object] = []
        while true {
            let page: ObjectList<Object>
            do {
                page = try await listerWatcher.list(options: options)
            } catch let error as KubeError where error.isGone && options.continue != nil {
                // The continue token expired between pages: list everything in one request.
                logger.info("list continuation expired, listing without pages")
                let full = try await listerWatcher.list(options: ListOptions())
                return (full.items, full.metadata.resourceVersion ?? "")
            }
            items += page.items
            guard let token = page.metadata.continue, !token.isEmpty else {
                return (items, page.metadata.resourceVersion ?? "")
            }
            options.continue = token
        }
    }

    // MARK: - Watch

    private func watchOnce(_ progress: inout Progress, deliver: @Sendable (StoreChange<Object>) async -> Void) async throws {
        let options = ListOptions(
            resourceVersion: progress.resourceVersion, allowWatchBookmarks: true,
            timeoutSeconds: Int.random(in: configuration.watchTimeoutSeconds))
        let started = clock.now()
        progress.watchEstablished = false
        let sawEvents: Bool
        do {
            sawEvents = try await consume(listerWatcher, options: options, progress: &progress, deliver: deliver)
        } catch KubeError.transport(let message)
            where progress.watchEstablished && clock.now().timeIntervalSince(started) >= configuration.minimumWatchDuration.seconds {
            // A watch that ran for a while lost its connection (a load balancer or an API
            // server restart): as client-go does, resume from the last resourceVersion at
            // once. One that breaks at once still backs off.
            logger.info("watch connection broke, resuming", metadata: ["error": .string(message), "resourceVersion": "\(progress.resourceVersion)"])
            return
        }
        if sawEvents { return }
        let lasted = clock.now().timeIntervalSince(started)
        if !Task.isCancelled, lasted < configuration.minimumWatchDuration.seconds {
            // A server that closes every watch at once must not make us spin.
            logger.warning("watch ended at once without events", metadata: ["resourceVersion": "\(progress.resourceVersion)"])
            try await clock.sleep(for: progress.backoff.next())
        }
    }

    /// Applies the events of one watch; returns whether there were any.
    private func consume<LW: ListerWatcher<Object>>(
        _ listerWatcher: LW, options: ListOptions, progress: inout Progress,
        deliver: @Sendable (StoreChange<Object>) async -> Void
    ) async throws -> Bool {
        let events = try await listerWatcher.watch(options: options)
        progress.watchEstablished = true
        var sawEvents = false
        for try await event in events {
            if !sawEvents {
                // The watch is healthy: failures from here on start from the smallest delay.
                sawEvents = true
                progress.backoff.reset()
                progress.consecutiveGone = 0
            }
            if let change = try apply(event, resourceVersion: &progress.resourceVersion) { await deliver(change) }
        }
        return sawEvents
    }

    /// Writes one event to the store and advances the resourceVersion.
    private func apply(_ event: WatchEvent<Object>, resourceVersion: inout String) throws -> StoreChange<Object>? {
        if event.type == .error {
            let status = Status(object: event.object.object)
            throw Self.isGone(status) ? KubeError.gone(status) : KubeError.from(watchStatus: status)
        }
        if let version = event.object.metadata.resourceVersion, !version.isEmpty { resourceVersion = version }
        switch event.type {
        case .added, .modified:
            let object = applyTransform(event.object)
            if let old = store.add(object) { return .updated(old: old, new: object) }
            return .added(object)
        case .deleted:
            let object = applyTransform(event.object)
            return .deleted(store.delete(object) ?? object)
        case .bookmark, .error:
            return nil
        }
    }

    private func applyTransform(_ object: Object) -> Object { transform?(object) ?? object }

    // MARK: - Errors

    static func isGone(_ error: any Error) -> Bool {
        if let error = error as? KubeError { return error.isGone || error.status.map(isGone) == true }
        return false
    }

    static func isGone(_ status: Status) -> Bool {
        status.code == 410 || status.reason == "Expired" || status.reason == "Gone"
    }
}
