import KubeAPI
import KubeRuntime
import KubeTesting
import Testing

/// The controllers' expectations: wait for the cache to show what was created, remember
/// failed and completed creations per key, trust the cache again after the timeout.
@Suite("Expectations")
struct ExpectationsTests {
    let key = ObjectKey(namespace: "data", name: "etl")

    @Test func waitsUntilTheCacheShowsEveryCreation() {
        let expectations = Expectations<ObjectKey>(clock: ManualClock())
        #expect(expectations.satisfied(for: key, seen: []))
        expectations.created(["etl-0-0", "etl-1-0"], for: key)
        #expect(!expectations.satisfied(for: key, seen: []))
        #expect(!expectations.satisfied(for: key, seen: ["etl-0-0"]))
        // What was seen once stays seen: the cache showing only the other one is enough.
        #expect(expectations.satisfied(for: key, seen: ["etl-1-0"]))
        #expect(expectations.satisfied(for: key, seen: []))
    }

    @Test func anExpectationNotMetInTimeIsDropped() {
        let clock = ManualClock()
        let expectations = Expectations<ObjectKey>(clock: clock, timeout: .seconds(60))
        expectations.created(["etl-0-0"], for: key)
        clock.advance(by: .seconds(60))
        #expect(!expectations.satisfied(for: key, seen: []))
        clock.advance(by: .seconds(1))
        #expect(expectations.satisfied(for: key, seen: []))
    }

    @Test func failedAndCompletedCreationsArePerKeyUntilForgotten() {
        let expectations = Expectations<ObjectKey>(clock: ManualClock())
        let other = ObjectKey(namespace: "data", name: "load")
        expectations.createFailed("etl-0-driver", for: key)
        #expect(expectations.failedCreations(for: key) == ["etl-0-driver"])
        #expect(expectations.failedCreations(for: other).isEmpty)
        expectations.created(["etl-0-driver"], for: key)
        expectations.completed(["etl-0-driver"], for: key)
        #expect(expectations.failedCreations(for: key).isEmpty, "a creation that worked is no longer failed")
        #expect(expectations.completedCreations(for: key) == ["etl-0-driver"])
        expectations.forget(key)
        #expect(expectations.completedCreations(for: key).isEmpty)
        #expect(expectations.satisfied(for: key, seen: []))
    }

    /// A create the server refused for good keeps the server's answer for the decision, until
    /// a create of that name works.
    @Test func aRefusedCreationKeepsTheServersAnswerUntilItIsCreated() {
        let expectations = Expectations<ObjectKey>(clock: ManualClock())
        expectations.createFailed("etl-0-0", for: key, refusal: "422 Invalid: Pod \"etl-0-0\" is invalid")
        expectations.createFailed("etl-1-0", for: key)
        #expect(expectations.failedCreations(for: key) == ["etl-0-0", "etl-1-0"])
        #expect(expectations.refusedCreations(for: key) == ["etl-0-0": "422 Invalid: Pod \"etl-0-0\" is invalid"])
        expectations.createFailed("etl-0-0", for: key)
        #expect(expectations.refusedCreations(for: key).isEmpty, "the last answer counts: a 500 is not a refusal")
        expectations.createFailed("etl-0-0", for: key, refusal: "400 BadRequest: no")
        expectations.created(["etl-0-0"], for: key)
        #expect(expectations.refusedCreations(for: key).isEmpty)
    }
}
