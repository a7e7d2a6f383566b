import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

/// Update ownership and the migration of a client-side-applied object (steps 17–20 of
/// `13-server-side-apply`).
@Suite struct ServerSideApplyMigrationTests {
    typealias Recording = ServerSideApplyTests.Recording
    static let version = ServerSideApplyTests.gadgetVersion
    static let schema = ServerSideApplyTests.gadgetSchema

    static func update(_ old: JSONObject?, _ new: JSONObject, _ manager: String, subresource: String? = nil, at seconds: Double = 0) -> JSONObject {
        ServerSideApply.recordUpdate(
            old: old, new: new, manager: manager, now: t0 + seconds, apiVersion: version, subresource: subresource, schema: schema)
    }

    /// g1 as the earlier scenarios left it, built from Update writes: client-side apply
    /// creates it, `kubectl replace` rewrites the last-applied annotation, `kubectl patch
    /// --subresource=status` sets the status. The recording's history also moved `.spec.size`
    /// away from the client-side applier, which is reproduced by editing its entry.
    static func clientSideApplied() throws -> JSONObject {
        let recorded = try Recording("017").response
        var created = recorded
        created["status"] = nil
        created["metadata"]?["managedFields"] = nil
        created["metadata"]?["annotations"]?["kubectl.kubernetes.io/last-applied-configuration"] = "{}"
        var object = update(nil, created, "kubectl-client-side-apply")
        var replaced = object
        replaced["metadata"]?["annotations"] = recorded["metadata"]?["annotations"]
        object = update(object, replaced, "kubectl-replace", at: 10)
        var withStatus = object
        withStatus["status"] = recorded["status"]
        object = update(object, withStatus, "kubectl-patch", subresource: "status", at: 20)
        var entries = object["metadata"]?["managedFields"]?.arrayValue ?? []
        entries[0]["fieldsV1"]?["f:spec"]?["f:size"] = nil
        object["metadata"]?["managedFields"] = .array(entries)
        object["spec"]?["size"] = 3
        return object
    }

    @Test func updatesOwnWhatTheyChanged() throws {
        let object = try Self.clientSideApplied()
        var expected = ServerSideApplyTests.managers(try Recording("017").response)
        expected.removeFirst()  // the `kubectl` apply entry comes later
        #expect(ServerSideApplyTests.managers(object) == expected)
    }

    @Test func serverSideApplyMigratesAClientSideAppliedObject() throws {
        var live = try Self.clientSideApplied()
        let steps: [(String, String)] = [("017", "kubectl"), ("018", "kubectl-last-applied")]
        for (step, manager) in steps {
            let recording = try Recording(step)
            live = try ServerSideApply.apply(
                applied: recording.request.objectValue ?? [:], to: live, manager: manager, force: false, now: t0, apiVersion: Self.version,
                schema: Self.schema)
            #expect(ServerSideApplyTests.managers(live) == ServerSideApplyTests.managers(recording.response), "step \(step)")
        }
        #expect(JSONValue.object(live)[path: ["metadata", "managedFields"]]?.arrayValue?.first?["time"] == nil)  // a no-op apply has no time

        let reset = try Recording("019")
        let patched = try JSONPatch.apply(reset.request, to: .object(live)).objectValue ?? [:]
        live = Self.update(live, patched, "kubectl")
        #expect(ServerSideApplyTests.managers(live) == ServerSideApplyTests.managers(reset.response))

        let final = try Recording("020")
        live = try ServerSideApply.apply(
            applied: final.request.objectValue ?? [:], to: live, manager: "kubectl", force: false, now: t0, apiVersion: Self.version,
            schema: Self.schema)
        #expect(ServerSideApplyTests.managers(live) == ServerSideApplyTests.managers(final.response))
        #expect(live["spec"] == final.response["spec"])
        #expect(live["metadata"]?["annotations"] == final.response["metadata"]?["annotations"])
    }

    @Test(arguments: [
        ("Update by another manager owns the changed field", "spec.size", "\"kubectl-edit\" using reference.example.com/v1"),
        ("Status subresource writer", "status.phase", "\"kubectl-patch\" with subresource \"status\" using reference.example.com/v1"),
    ])
    func conflictsNameUpdateManagers(_ label: String, _ field: String, _ expected: String) throws {
        let path = field.split(separator: ".").map(String.init)
        var live: JSONObject = ["apiVersion": .string(Self.version), "kind": "Gadget", "metadata": ["name": "g"], "spec": ["size": 1], "status": ["phase": "A"]]
        var changed = live
        changed[path[0]]?[path[1]] = "B"
        let manager = path[0] == "status" ? "kubectl-patch" : "kubectl-edit"
        live = Self.update(live, changed, manager, subresource: path[0] == "status" ? "status" : nil)
        var applied: JSONObject = ["apiVersion": .string(Self.version), "kind": "Gadget", "metadata": ["name": "g"]]
        applied[path[0]] = .object([path[1]: "C"])
        #expect(throws: Status.self, "\(label)") {
            _ = try ServerSideApply.apply(applied: applied, to: live, manager: "me", force: false, now: t0, apiVersion: Self.version)
        }
        do {
            _ = try ServerSideApply.apply(applied: applied, to: live, manager: "me", force: false, now: t0, apiVersion: Self.version)
        } catch {
            #expect(error.message == "Apply failed with 1 conflict: conflict with \(expected): .\(field)")
        }
    }
}
