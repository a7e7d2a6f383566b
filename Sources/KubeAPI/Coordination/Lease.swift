import Foundation

/// `coordination.k8s.io/v1 Lease`: the lock of leader election. One operator replica
/// holds it and renews it; the others take over when it expires.
public struct Lease: KubeObject {
    public static let resource = APIResource(
        group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true)
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var spec: LeaseSpec { get { self[object: "spec"] } set { self[object: "spec"] = newValue } }
}

/// `coordination.k8s.io/v1 LeaseSpec`. Times are `MicroTime` (microsecond precision).
public struct LeaseSpec: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// The identity of the current holder; absent or empty when released.
    public var holderIdentity: String? { get { self["holderIdentity"] } set { self["holderIdentity"] = newValue } }
    public var leaseDurationSeconds: Int32? { get { self["leaseDurationSeconds"] } set { self["leaseDurationSeconds"] = newValue } }
    public var acquireTime: MicroTime? { get { self["acquireTime"] } set { self["acquireTime"] = newValue } }
    public var renewTime: MicroTime? { get { self["renewTime"] } set { self["renewTime"] = newValue } }
    /// How many times the lease changed holders.
    public var leaseTransitions: Int32? { get { self["leaseTransitions"] } set { self["leaseTransitions"] = newValue } }

    /// When the lease expires if not renewed: `renewTime + leaseDurationSeconds`.
    public var expiry: MicroTime? {
        guard let renewTime, let leaseDurationSeconds else { return nil }
        return MicroTime(renewTime.date.addingTimeInterval(Double(leaseDurationSeconds)))
    }
}
