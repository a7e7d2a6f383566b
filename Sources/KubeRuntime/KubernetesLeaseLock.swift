import Foundation
import KubeAPI
import KubeClient
import Synchronization

/// A `LeaseLock` on a coordination.k8s.io/v1 `Lease` object.
///
/// Updates write back the whole Lease as last read, with only the leader-election fields
/// of `spec` changed, so labels and annotations that others set are kept.
public final class KubernetesLeaseLock: LeaseLock {
    public let client: KubernetesClient
    public let namespace: String
    public let name: String
    private let lastSeen = Mutex<Lease?>(nil)

    public init(client: KubernetesClient, namespace: String, name: String) {
        self.client = client
        self.namespace = namespace
        self.name = name
    }

    public var description: String { "\(namespace)/\(name)" }

    public func get() async throws -> VersionedLeaseRecord? {
        do {
            return remember(try await client.get(Lease.self, name: name, namespace: namespace))
        } catch let error as KubeError where error.isNotFound {
            return nil
        }
    }

    public func create(_ record: LeaseRecord) async throws -> VersionedLeaseRecord {
        var lease = Lease(name: name, namespace: namespace)
        lease.spec = Self.spec(record, base: LeaseSpec())
        return remember(try await client.create(lease))
    }

    public func update(_ record: LeaseRecord, resourceVersion: String) async throws -> VersionedLeaseRecord {
        var lease = lastSeen.withLock { $0 } ?? Lease(name: name, namespace: namespace)
        lease.metadata.resourceVersion = resourceVersion
        lease.spec = Self.spec(record, base: lease.spec)
        return remember(try await client.update(lease))
    }

    // MARK: - Spec fields

    private func remember(_ lease: Lease) -> VersionedLeaseRecord {
        lastSeen.withLock { $0 = lease }
        return VersionedLeaseRecord(record: Self.record(lease.spec), resourceVersion: lease.metadata.resourceVersion ?? "")
    }

    static func record(_ spec: LeaseSpec) -> LeaseRecord {
        LeaseRecord(
            holderIdentity: spec.holderIdentity ?? "", leaseDurationSeconds: Int(spec.leaseDurationSeconds ?? 0),
            acquireTime: spec.acquireTime?.date, renewTime: spec.renewTime?.date,
            leaseTransitions: Int(spec.leaseTransitions ?? 0))
    }

    static func spec(_ record: LeaseRecord, base: LeaseSpec) -> LeaseSpec {
        var spec = base
        spec.holderIdentity = record.holderIdentity
        spec.leaseDurationSeconds = Int32(clamping: record.leaseDurationSeconds)
        spec.acquireTime = record.acquireTime.map(MicroTime.init)
        spec.renewTime = record.renewTime.map(MicroTime.init)
        spec.leaseTransitions = Int32(clamping: record.leaseTransitions)
        return spec
    }
}
