import Foundation

/// Polls `condition` until it holds or `timeout` has passed, and says whether it held. The
/// one bounded wait of the test kits: a test asserts on the answer
/// (`#expect(try await eventually(timeout: .seconds(30)) { … })`), never on a sleep that
/// hopes something happened meanwhile. The condition is checked once more at the deadline,
/// so a slow machine only makes a passing test slower, not flaky.
///
/// - Parameters:
///   - timeout: how long to keep trying (wall-clock time: what is polled lives outside the test).
///   - interval: the pause between two checks.
///   - condition: checked until it returns true; an error it throws ends the wait.
@discardableResult
public func eventually(
    timeout: Duration, interval: Duration = .milliseconds(100), _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: min(interval, max(.zero, deadline - ContinuousClock.now)))
    }
    return try await condition()
}
