import Foundation
import KubeAPI
import SlipwayAPI

extension ScheduleRun {
    /// Creates the runs of the slots that came due since the cursor, within the starting
    /// deadline and the catch-up bound, as the concurrency policy allows.
    ///
    /// The cursor (`status.scheduledThrough`) only ever moves to a slot's time, never to
    /// `now`: deciding again within the same minute writes the same status, so the
    /// controller's own status write does not wake it into another write.
    mutating func scheduleDueSlots() {
        let now = input.now
        let start = status.scheduledThrough ?? input.schedule.metadata.creationTimestamp ?? now
        let catchUp = settings.spec.suspend ? 1 : settings.spec.catchUp
        var (due, missed) = dueSlots(after: start, through: now, keep: catchUp)
        guard let newest = due.last else { return }
        guard !settings.spec.suspend else {
            // Slots passed while suspended are skipped, not caught up on resume.
            status.scheduledThrough = newest
            return
        }
        if let deadline = settings.spec.startingDeadlineSeconds {
            let late = due.prefix { now.timeIntervalSince($0) > TimeInterval(deadline) }.count
            missed += late
            due.removeFirst(late)
        }
        if missed > 0 {
            status.missedRuns += missed
            decision.events.append(ScheduleEvent(warning: true, reason: .missed, message: "Missed \(missed) slot(s) before \(timestamp(due.first ?? newest.addingTimeInterval(1))): past the starting deadline or beyond catchUp \(settings.spec.catchUp)"))
        }
        guard !due.isEmpty else {
            status.scheduledThrough = newest
            return
        }
        let busy = activeRuns.map(\.name) + status.recentRuns.filter { $0.state == .creating && observed[$0.name] == nil }.map(\.name)
        switch settings.spec.concurrencyPolicy {
        case .allow:
            for slot in due { createScheduled(slot) }
            status.scheduledThrough = newest
        case .forbid:
            // At most one run at a time: the slots that come due while a run is active are
            // skipped (counted as missed), never kept waiting to run late — CronJob's Forbid
            // runs such a slot when the active job ends, a known surprise. With several slots
            // due and none active (after downtime), the newest runs and the older are missed.
            if busy.isEmpty {
                if due.count > 1 { status.missedRuns += due.count - 1 }
                createScheduled(newest)
            } else {
                status.missedRuns += due.count
                let slots = due.map(timestamp).joined(separator: ", ")
                decision.events.append(ScheduleEvent(warning: false, reason: .forbidden, message: "Skipped slot \(slots): \(busy.joined(separator: ", ")) still running (concurrencyPolicy Forbid)"))
            }
            status.scheduledThrough = newest
        case .replace:
            if due.count > 1 { status.missedRuns += due.count - 1 }
            for victim in Set(busy).sorted() {
                decision.delete.append(victim)
                decision.events.append(ScheduleEvent(warning: false, reason: .replaced, message: "Deleted \(victim): replaced by the run of \(timestamp(newest))"))
            }
            createScheduled(newest)
            status.scheduledThrough = newest
        }
    }

    /// The newest `keep` slots in `(start, now]` oldest first, and how many older ones there
    /// were. Beyond ``ScheduleDecider/enumerationLimit`` slots it jumps close to `now` and
    /// counts what it jumped over by the slots' average spacing.
    func dueSlots(after start: Date, through now: Date, keep: Int) -> (slots: [Date], older: Int) {
        var slots: [Date] = [], older = 0, cursor = start, counted = 0, jumped = false
        while let next = settings.cron.next(after: cursor, in: settings.zone), next <= now {
            slots.append(next)
            if slots.count > keep {
                slots.removeFirst()
                older += 1
            }
            cursor = next
            counted += 1
            if counted >= ScheduleDecider.enumerationLimit && !jumped {
                jumped = true
                let spacing = cursor.timeIntervalSince(start) / Double(counted)
                let restart = now.addingTimeInterval(-spacing * Double(keep + 2))
                if restart > cursor {
                    older += slots.count + Int(restart.timeIntervalSince(cursor) / max(spacing, 60))
                    slots = []
                    cursor = restart
                }
            }
        }
        return (slots, older)
    }

    /// Creates a slot's run unless one of that name was ever created (the same wall-clock
    /// minute twice in a fall-back overlap, a slot decided again after a crash).
    mutating func createScheduled(_ time: Date) {
        let slot = ScheduleSlot(time: time, zone: settings.zone)
        let runName = slot.runName(schedule: name)
        guard observed[runName] == nil, !status.recentRuns.contains(where: { $0.name == runName }) else { return }
        create(slot: slot, name: runName, manual: false)
    }

    func timestamp(_ time: Date) -> String { ScheduleSlot(time: time, zone: settings.zone).parameters["timestamp"] ?? "" }

    /// Active runs, the last successful and failed, the bounded records, the next slot.
    mutating func finishStatus() {
        let creating = status.recentRuns.filter { $0.state == .creating }.map(\.name)
        status.active = Array(Set(activeRuns.map(\.name) + creating)).sorted()
        status.activeCount = status.active.count
        let ordered = status.recentRuns.sorted { ($0.scheduledTime ?? .distantPast, $0.name) < ($1.scheduledTime ?? .distantPast, $1.name) }
        if let last = ordered.last(where: { $0.state == .succeeded }) { status.lastSuccessfulRun = last.name }
        if let last = ordered.last(where: { $0.state == .failed }) { status.lastFailedRun = last.name }
        let open: Set<ScheduledRunState> = [.creating, .active]
        let finished = ordered.filter { !open.contains($0.state) }
        let keepFinished = Set(finished.suffix(max(0, ScheduleDecider.recentRunsLimit - ordered.count + finished.count)).map(\.name))
        status.recentRuns = ordered.filter { open.contains($0.state) || keepFinished.contains($0.name) }
        let from = max(input.now, status.scheduledThrough ?? input.now)
        let next = settings.cron.next(after: from, in: settings.zone)
        if settings.spec.suspend {
            status.nextScheduleTime = nil
            status.message = "Suspended: no slot runs until spec.suspend is false"
        } else {
            status.nextScheduleTime = next
            status.message = nil
        }
        // Also while suspended, so that the cursor passes every slot of the suspension.
        decision.requeueAt = next
    }
}
