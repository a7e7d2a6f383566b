import Foundation
import KubeClient

// MARK: - Reading and writing the lease

extension LeaderElector {
    /// One attempt to acquire or renew the lease (client-go's `tryAcquireOrRenew`).
    func tryAcquireOrRenew() async -> Bool {
        let now = clock.now()
        var desired = LeaseRecord(
            holderIdentity: identity, leaseDurationSeconds: Int(configuration.leaseDuration.seconds.rounded(.up)),
            acquireTime: now, renewTime: now, leaseTransitions: 0)

        let current: VersionedLeaseRecord?
        do {
            current = try await lock.get()
        } catch {
            logger.warning("cannot read the lease", metadata: ["error": "\(error)"])
            return false
        }
        guard let current else {
            return await write { try await lock.create(desired) }
        }

        observe(current)
        let holder = current.record.holderIdentity
        if !holder.isEmpty && holder != identity && isObservedLeaseValid(at: now) {
            logger.debug("the lease is held by another candidate", metadata: ["leader": .string(holder)])
            return false
        }
        if holder == identity {
            desired.acquireTime = current.record.acquireTime
            desired.leaseTransitions = current.record.leaseTransitions
        } else {
            desired.leaseTransitions = current.record.leaseTransitions + 1
        }
        return await write { try await lock.update(desired, resourceVersion: current.resourceVersion) }
    }

    /// Gives the lease up if we hold it: no holder, and a one-second duration so that
    /// candidates that cannot read the holder still take over quickly.
    func release() async {
        guard let observed, observed.record.holderIdentity == identity else { return }
        let now = clock.now()
        let released = LeaseRecord(
            holderIdentity: "", leaseDurationSeconds: 1, acquireTime: now, renewTime: now,
            leaseTransitions: observed.record.leaseTransitions)
        if await write({ try await lock.update(released, resourceVersion: observed.resourceVersion) }) {
            logger.info("released the lease")
        }
    }

    /// Performs a create or update; a conflict means another candidate wrote first.
    private func write(_ operation: () async throws -> VersionedLeaseRecord) async -> Bool {
        do {
            observe(try await operation())
            return true
        } catch let error as KubeError where error.isConflict || error.isAlreadyExists {
            logger.debug("another candidate wrote the lease first")
            return false
        } catch {
            logger.warning("cannot write the lease", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Remembers `lease`; the expiry clock restarts only when the lease changed.
    private func observe(_ lease: VersionedLeaseRecord) {
        guard lease != observed else { return }
        observed = lease
        observedTime = clock.now()
    }

    private func isObservedLeaseValid(at now: Date) -> Bool {
        guard let observed, let observedTime else { return false }
        return observedTime + .seconds(observed.record.leaseDurationSeconds) > now
    }
}
