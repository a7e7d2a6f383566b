import Foundation
import KubeAPI
import SlipwayAPI

extension ScheduleRun {
    /// Creates the runs of `spec.backfill`'s slots, oldest first, keeping at most `maxActive`
    /// not finished. Its runs are named `<schedule>-<id>-<yyyymmddhhmm>`, so a backfill never
    /// collides with the schedule's own run of a slot, and a second backfill with another id
    /// runs the range again.
    mutating func runBackfill() {
        guard let request = settings.spec.backfill, !request.id.isEmpty, let from = request.from, let to = request.to else { return }
        var progress = status.backfill ?? BackfillStatus()
        if progress.id != request.id {
            progress = BackfillStatus()
            progress.id = request.id
            progress.createdThrough = from.addingTimeInterval(-1)
            decision.events.append(ScheduleEvent(warning: false, reason: .backfill, message: "Backfill \(request.id) started: slots from \(timestamp(from)) to \(timestamp(to)), at most \(request.maxActive) at once"))
        }
        guard !progress.complete else { return }
        // Asked for and not seen: create again (the same names; AlreadyExists is success).
        let pending = progress.pendingSlots.filter { observed[backfillRunName($0, id: request.id)] == nil }
        for time in pending { renderBackfill(time, id: request.id) }
        let running = input.runs.filter { $0.backfill == request.id && $0.outcome == nil && !$0.deleting }.count
        var room = request.maxActive - running - pending.count
        var cursor = progress.createdThrough ?? from.addingTimeInterval(-1)
        var created: [Date] = []
        while room > 0, let next = settings.cron.next(after: cursor, in: settings.zone), next <= to {
            renderBackfill(next, id: request.id)
            created.append(next)
            cursor = next
            room -= 1
        }
        progress.created += created.count
        progress.createdThrough = cursor
        progress.pendingSlots = pending + created
        progress.active = running + pending.count + created.count
        let rangeDone = settings.cron.next(after: cursor, in: settings.zone).map { $0 > to } ?? true
        if rangeDone && progress.active == 0 {
            progress.complete = true
            decision.events.append(ScheduleEvent(warning: false, reason: .backfill, message: "Backfill \(request.id) complete: \(progress.created) runs"))
        }
        status.backfill = progress
    }

    func backfillRunName(_ time: Date, id: String) -> String {
        let slot = ScheduleSlot(time: time, zone: settings.zone)
        return BoundedName.fit("\(name)-\(id)", suffix: "-\(slot.compact)", maxLength: ScheduleSlot.runNameMaxLength)
    }

    mutating func renderBackfill(_ time: Date, id: String) {
        let slot = ScheduleSlot(time: time, zone: settings.zone)
        decision.create.append(ScheduleRunRenderer.render(input.schedule, slot: slot, name: backfillRunName(time, id: id), manual: false, backfill: id))
    }
}
