import Foundation
import KubeClient
import KubeTesting
import Testing

@Suite("ManualClock")
struct ManualClockTests {
    @Test func sleepersResumeOnlyWhenTimePassesTheirDeadlineEarliestFirst() async throws {
        let clock = ManualClock()
        let log = EventLog()
        let long = Task {
            try await clock.sleep(for: .seconds(10))
            await log.append("10s")
        }
        await clock.waitForSleepers(count: 1)
        let short = Task {
            try await clock.sleep(for: .seconds(3))
            await log.append("3s")
        }
        await clock.waitForSleepers(count: 2)
        #expect(clock.pendingDeadlines == [.seconds(3), .seconds(10)])

        clock.advance(by: .seconds(2))
        #expect(clock.sleeperCount == 2)
        clock.advance(by: .seconds(1))
        #expect(await log.next() == ["3s"])
        #expect(clock.pendingDeadlines == [.seconds(7)])
        clock.advance(by: .seconds(7))
        #expect(await log.next() == ["10s"])
        try await long.value
        try await short.value
        #expect(clock.now() == Date(timeIntervalSince1970: 1_735_689_600 + 10))
    }

    @Test func cancellingASleeperThrowsAndRemovesIt() async {
        let clock = ManualClock()
        let task = Task { try await clock.sleep(for: .seconds(1)) }
        await clock.waitForSleepers(count: 1)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func settingTheDateResumesDueSleepers() async throws {
        let clock = ManualClock(start: Date(timeIntervalSince1970: 0))
        let task = Task { try await clock.sleep(for: .seconds(60)) }
        await clock.waitForSleepers(count: 1)
        clock.set(Date(timeIntervalSince1970: 59))
        #expect(clock.sleeperCount == 1)
        clock.set(Date(timeIntervalSince1970: 61))
        try await task.value
        #expect(clock.now() == Date(timeIntervalSince1970: 61))
    }

    @Test func aZeroSleepReturnsAtOnce() async throws {
        let clock = ManualClock()
        try await clock.sleep(for: .zero)
        #expect(clock.sleeperCount == 0)
    }
}
