import Foundation
import KubeAPI
import SlipwayAPI

extension IndexState {
    /// When the pod of ``nextAttempt`` was requested and not yet recorded. The status says
    /// so before the create is sent, so a reconcile whose pod cache has not yet seen the pod
    /// does not count or announce it twice; after ``BatchJobDecider/createGrace`` without
    /// the pod in the cache the create is sent again (same name: idempotent).
    public var launchedAt: Date? { get { self["launchedAt"] } set { self["launchedAt"] = newValue } }
}

/// The per-index view of a job's status: done sets and each index's ``IndexState``,
/// expanded from the compact status form and merged back into it.
struct BatchJobIndexTable {
    let size: Int
    var succeeded: IndexRanges
    var failed: IndexRanges
    /// States by index (their `indexes` field is meaningless here).
    var states: [Int: IndexState]

    init(status: BatchJobStatus, arraySize: Int) {
        size = arraySize
        succeeded = IndexRanges(parsing: status.succeededIndexes ?? "") ?? IndexRanges()
        failed = IndexRanges(parsing: status.failedIndexes ?? "") ?? IndexRanges()
        var states: [Int: IndexState] = [:]
        for entry in status.indexStates {
            var state = entry
            state.object.removeValue(forKey: "indexes")
            for range in (IndexRanges(parsing: entry.indexes) ?? IndexRanges()).ranges {
                for index in range where index < arraySize { states[index] = state }
            }
        }
        self.states = states
    }

    func isDone(_ index: Int) -> Bool { succeeded.contains(index) || failed.contains(index) }

    /// The attempt number the index's next pod gets.
    func nextAttempt(_ index: Int) -> Int { states[index]?.nextAttempt ?? 0 }

    /// Whether attempt `attempt` of `index` is already in status (so its pod may go).
    func isRecorded(index: Int, attempt: Int) -> Bool { isDone(index) || nextAttempt(index) > attempt }

    func state(_ index: Int) -> IndexState { states[index] ?? IndexState() }

    mutating func markSucceeded(_ index: Int) {
        succeeded.insert(index)
        states[index] = nil
    }

    mutating func markFailed(_ index: Int, state: IndexState) {
        failed.insert(index)
        var kept = state
        kept.launchedAt = nil
        kept.retryAfter = nil
        states[index] = kept
    }

    /// Indexes neither succeeded nor failed.
    var remaining: Int { size - succeeded.count - failed.count }

    /// The states for status: indexes with identical state share one entry, entries in the
    /// order of their lowest index. Succeeded indexes need none.
    func merged() -> [IndexState] {
        var groups: [JSONObject: [Int]] = [:]
        for (index, state) in states where !succeeded.contains(index) {
            var key = state
            key.object.removeValue(forKey: "indexes")
            groups[key.object, default: []].append(index)
        }
        var entries: [(first: Int, state: IndexState)] = []
        for (object, indexes) in groups {
            let sorted = indexes.sorted()
            var entry = IndexState()
            entry.indexes = Self.rangesText(sorted)
            for (key, value) in object { entry.object[key] = value }
            entries.append((sorted[0], entry))
        }
        return entries.sorted { $0.first < $1.first }.map(\.state)
    }

    /// `"0-2,5"` for sorted indexes, in one pass.
    static func rangesText(_ sorted: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] <= sorted[j] + 1 { j += 1 }
            parts.append(i == j || sorted[i] == sorted[j] ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }
}
