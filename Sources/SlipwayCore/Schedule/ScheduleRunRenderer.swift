import Foundation
import KubeAPI
import SlipwayAPI

/// The job a slot creates: the template's kind and spec, `$(schedule.…)` substituted in
/// `spec.parameters`, labels naming the schedule and the slot, the scheduled time, and a
/// controller reference to the schedule (so deleting the schedule deletes its runs).
enum ScheduleRunRenderer {
    static func render(_ schedule: JobSchedule, slot: ScheduleSlot, name: String, manual: Bool, backfill: String? = nil) -> JSONObject {
        let template = schedule.spec.jobTemplate
        var metadata = ObjectMeta()
        metadata.name = name
        metadata.namespace = schedule.metadata.namespace
        var labels = template.labels
        labels[JobSchedule.scheduleLabel] = BoundedName.labelValue(schedule.metadata.name ?? "")
        labels[JobSchedule.slotLabel] = manual ? "manual" : slot.compact
        if let backfill { labels[JobSchedule.backfillLabel] = backfill }
        metadata.labels = labels
        var annotations = template.annotations
        annotations[JobSchedule.scheduledTimeAnnotation] = slot.parameters["timestamp"]
        metadata.annotations = annotations
        metadata.ownerReferences = [OwnerReference(controller: schedule)]
        var spec = template.spec
        if case .object(let parameters)? = spec["parameters"] {
            var substituted = JSONObject()
            for (key, value) in parameters {
                substituted[key] = value.stringValue.map { JSONValue.string(slot.substitute($0)) } ?? value
            }
            spec["parameters"] = .object(substituted)
        }
        let kind = template.kind
        let apiVersion = kind == SparkJob.resource.kind ? SparkJob.resource.apiVersion : BatchJob.resource.apiVersion
        return ["apiVersion": .string(apiVersion), "kind": .string(kind), "metadata": metadata.json, "spec": .object(spec)]
    }
}
