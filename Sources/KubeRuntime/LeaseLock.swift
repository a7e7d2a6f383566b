import Foundation

/// The leader-election fields of a coordination.k8s.io/v1 Lease.
public struct LeaseRecord: Sendable, Hashable {
    /// Who holds the lease; empty when it was released.
    public var holderIdentity: String
    /// How long candidates wait, after they last saw the record change, before taking over.
    public var leaseDurationSeconds: Int
    /// When the current holder acquired the lease.
    public var acquireTime: Date?
    /// When the current holder last renewed it (informational: expiry is measured on the observer's clock).
    public var renewTime: Date?
    /// How many times the lease changed hands.
    public var leaseTransitions: Int

    public init(holderIdentity: String, leaseDurationSeconds: Int, acquireTime: Date?, renewTime: Date?, leaseTransitions: Int) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }
}

/// A lease record as stored, with the resourceVersion that an update must quote.
public struct VersionedLeaseRecord: Sendable, Hashable {
    public var record: LeaseRecord
    public var resourceVersion: String

    public init(record: LeaseRecord, resourceVersion: String) {
        self.record = record
        self.resourceVersion = resourceVersion
    }
}

/// The storage of a leader-election lease. `KubernetesLeaseLock` keeps it in a Lease
/// object; tests use an in-memory fake.
public protocol LeaseLock: Sendable {
    /// The lease, or nil when it does not exist yet.
    func get() async throws -> VersionedLeaseRecord?
    /// Creates the lease; throws (e.g. `KubeError.alreadyExists`) when someone else created it first.
    func create(_ record: LeaseRecord) async throws -> VersionedLeaseRecord
    /// Replaces the lease if it is still at `resourceVersion`; throws (e.g.
    /// `KubeError.conflict`) when someone else wrote it since: they won.
    func update(_ record: LeaseRecord, resourceVersion: String) async throws -> VersionedLeaseRecord
    /// `namespace/name` of the lease, for logs.
    var description: String { get }
}
