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
    ///
    /// The lease is read afresh rather than trusting the last observed version: a renewal
    /// cancelled in flight may have been applied by the server with its answer lost, and
    /// updating on the stale version would then conflict and leave the lease to expire.
    func release() async {
        guard observed != nil else { return }
        for _ in 0..<3 {
            let current: VersionedLeaseRecord?
            do {
                current = try await lock.get()
            } catch {
                logger.warning("cannot read the lease to release it", metadata: ["error": "\(error)"])
                return
            }
            guard let current, current.record.holderIdentity == identity else { return }
            let now = clock.now()
            let released = LeaseRecord(
                holderIdentity: "", leaseDurationSeconds: 1, acquireTime: now, renewTime: now,
                leaseTransitions: current.record.leaseTransitions)
            do {
                observe(try await lock.update(released, resourceVersion: current.resourceVersion))
                logger.info("released the lease")
                return
            } catch let error as KubeError where error.isConflict {
                continue
            } catch {
                logger.warning("cannot release the lease", metadata: ["error": "\(error)"])
                return
            }
        }
        logger.warning("cannot release the lease: it kept changing; a successor waits for it to expire")
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
