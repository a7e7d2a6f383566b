import Foundation
import Synchronization

/// Hands each running pod its own IPv4 loopback address (`127.a.b.c`, `a` ≥ 1), as a CNI
/// hands out pod IPs from a node's pod CIDR: Linux routes all of 127.0.0.0/8 to the loopback
/// interface, so a process can bind its pod's address and two pods can listen on the same
/// port (two Spark drivers on 7078) without meeting. `127.0.0.1` stays the node's (and the
/// API server's) address.
///
/// One pool serves every local cluster of a process (``shared``), so clusters in one test
/// process never share an address; the first address depends on the process id, so two
/// `slipway dev` processes start far apart (they can still meet after ~16 million pods).
final class PodAddressPool: Sendable {
    /// The pool of this process.
    static let shared = PodAddressPool(start: UInt32(ProcessInfo.processInfo.processIdentifier % 250) << 16)

    private struct State {
        var next: UInt32
        var inUse: [String: UInt32] = [:]
        var taken: Set<UInt32> = []
    }

    /// Addresses are `127.0.0.0 + offset` with offsets from `0x010001` (127.1.0.1) to
    /// `0xFEFFFE` (127.254.255.254).
    static let first: UInt32 = 0x01_00_01
    static let last: UInt32 = 0xFE_FF_FE

    private let state: Mutex<State>

    /// A pool whose first address is `start` past 127.1.0.1.
    init(start: UInt32 = 0) {
        state = Mutex(State(next: Self.first + start % (Self.last - Self.first)))
    }

    /// The address of pod `uid`: the one it already has, or the next free one.
    func address(for uid: String) -> String {
        state.withLock { state in
            if let held = state.inUse[uid] { return Self.text(held) }
            var candidate = state.next
            while state.taken.contains(candidate) || !Self.usable(candidate) {
                candidate = candidate >= Self.last ? Self.first : candidate + 1
            }
            state.inUse[uid] = candidate
            state.taken.insert(candidate)
            state.next = candidate >= Self.last ? Self.first : candidate + 1
            return Self.text(candidate)
        }
    }

    /// Gives pod `uid`'s address back.
    func release(_ uid: String) {
        state.withLock { state in
            if let held = state.inUse.removeValue(forKey: uid) { state.taken.remove(held) }
        }
    }

    /// How many addresses are held.
    var count: Int { state.withLock { $0.inUse.count } }

    /// Not a network or broadcast-looking address (last octet 0 or 255).
    private static func usable(_ offset: UInt32) -> Bool {
        let low = offset & 0xFF
        return low != 0 && low != 0xFF && offset >= first && offset <= last
    }

    private static func text(_ offset: UInt32) -> String {
        "127.\((offset >> 16) & 0xFF).\((offset >> 8) & 0xFF).\(offset & 0xFF)"
    }
}
