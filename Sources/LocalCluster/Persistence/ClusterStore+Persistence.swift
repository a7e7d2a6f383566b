import KubeAPI

extension ClusterStore {
    /// Runs a write like ``perform(_:)`` and then records its changes in `log`, inside the
    /// actor, so that changes reach the log in resourceVersion order.
    ///
    /// The changes are recorded whether or not the operation throws (a failing operation
    /// normally changes nothing, and then nothing is written).
    ///
    /// - Throws: the operation's error, or `500 InternalError` (``PersistenceError/status``)
    ///   when the change could not be saved; the change stays in memory in that case.
    public func perform<T: Sendable>(
        persistingTo log: PersistentLog, _ operation: (inout ObjectStore) throws(Status) -> T
    ) throws(Status) -> T {
        let result: T
        do {
            result = try perform(operation)
        } catch {
            try save(to: log)
            throw error
        }
        try save(to: log)
        return result
    }

    private func save(to log: PersistentLog) throws(Status) {
        do { try log.record(store) } catch { throw error.status }
    }
}
