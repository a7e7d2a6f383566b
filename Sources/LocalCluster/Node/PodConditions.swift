import Foundation
import KubeAPI

/// Pod conditions as the kubelet and the scheduler write them: `lastProbeTime: null`, the
/// transition time kept while the status does not change.
enum PodConditions {
    /// The kubelet's condition types, in the order it reports them.
    static let kubeletOwned = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"]

    /// Sets (or adds) one condition. An unchanged status keeps its `lastTransitionTime`.
    static func set(_ status: inout PodStatus, type: String, status value: ConditionStatus, reason: String? = nil,
                    message: String? = nil, now: Date, observedGeneration: Int64? = nil) {
        var conditions = status.conditions
        let old = conditions.first { $0.type == type }
        var condition = PodCondition()
        condition.object["type"] = .string(type)
        if let observedGeneration { condition.object["observedGeneration"] = .number(JSONNumber(observedGeneration)) }
        condition.object["status"] = .string(value.rawValue)
        condition.object["lastProbeTime"] = .null
        condition.lastTransitionTime = old?.status == value ? (old?.lastTransitionTime ?? now) : now
        condition.reason = reason
        condition.message = message
        if let index = conditions.firstIndex(where: { $0.type == type }) {
            conditions[index] = condition
        } else {
            conditions.append(condition)
        }
        status.conditions = conditions
    }

    /// Puts the kubelet's conditions first in their usual order, the others after.
    static func ordered(_ status: inout PodStatus) {
        let conditions = status.conditions
        let own = kubeletOwned.compactMap { type in conditions.first { $0.type == type } }
        status.conditions = own + conditions.filter { !kubeletOwned.contains($0.type) }
    }
}
