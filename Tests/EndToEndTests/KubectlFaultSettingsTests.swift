import Foundation
import KubeTesting
import SlipwayDevTesting
import Testing

/// `slipway dev`'s fault settings through the real kubectl (docs/slipway-dev.md, "Faults"):
/// a bad value is refused naming the field, never stored clamped; reset and DELETE clear them.
@Suite("kubectl fault settings on slipway dev", .serialized)
struct KubectlFaultSettingsTests {
    @Test func outOfRangeValuesAreRefusedNamingTheFieldAndResetClearsThem() async throws {
        try await withDevCluster { _, kubectl in
            for (body, field) in [
                (#"{"errorRate": 2}"#, "errorRate"), (#"{"throttleRate": -0.5}"#, "throttleRate"), (#"{"goneWatches": -1}"#, "goneWatches"),
                (#"{"clients": "kubectl"}"#, "clients"), (#"{"dropWatches": "yes"}"#, "dropWatches"), (#"{"errorrate": 0.1}"#, "errorrate"),
            ] {
                let r = try await kubectl.run(["create", "--raw", "/slipway/faults", "-f", "-"], input: body)
                #expect(r.status != 0, "\(body) was accepted: \(r)")
                #expect(r.err.contains("\(field):"), "\(body): \(r)")
            }
            var r = try await kubectl.require(["get", "--raw", "/slipway/faults"])
            #expect(r.out.contains(#""errorRate":0"#) && r.out.contains(#""goneWatches":0"#), "nothing changed: \(r.out)")
            try await kubectl.require(["create", "--raw", "/slipway/faults", "-f", "-"], input: #"{"throttleRate": 0.25, "goneWatches": 3, "clients": ["nobody"]}"#)
            r = try await kubectl.require(["get", "--raw", "/slipway/faults"])
            #expect(r.out.contains(#""throttleRate":0.25"#) && r.out.contains(#""goneWatches":3"#), "\(r.out)")
            r = try await kubectl.require(["create", "--raw", "/slipway/faults", "-f", "-"], input: #"{"reset": true}"#)
            #expect(r.out.contains(#""throttleRate":0"#) && r.out.contains(#""goneWatches":0"#) && r.out.contains(#""clients":[]"#), "\(r.out)")
            try await kubectl.require(["create", "--raw", "/slipway/faults", "-f", "-"], input: #"{"errorRate": 0.5, "clients": ["nobody"]}"#)
            try await kubectl.require(["delete", "--raw", "/slipway/faults"])
            r = try await kubectl.require(["get", "--raw", "/slipway/faults"])
            #expect(r.out.contains(#""errorRate":0"#) && r.out.contains(#""clients":[]"#), "\(r.out)")
        }
    }
}
