import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

/// Replays the recorded `13-server-side-apply` scenario against `ServerSideApply`.
@Suite struct ServerSideApplyTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/reference/kube-api/13-server-side-apply").standardized
    static let gadgetVersion = "reference.example.com/v1"
    static let gadgetSchema = ApplySchema.custom(parse("""
        {"type":"object","properties":{"spec":{"type":"object","properties":{
          "extra":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
          "mode":{"type":"string"},"port":{"x-kubernetes-int-or-string":true},"serial":{"type":"string"},
          "settings":{"type":"object","additionalProperties":{"type":"string"}},"size":{"type":"integer"}}},
          "status":{"type":"object","properties":{"conditions":{"type":"array","x-kubernetes-list-type":"map",
            "x-kubernetes-list-map-keys":["type"],"items":{"type":"object"}}}}}}
        """))

    /// One recorded exchange: the request body and the response.
    struct Recording {
        var request: JSONValue
        var status: Int
        var response: JSONObject

        init(_ prefix: String) throws {
            let file = try FileManager.default.contentsOfDirectory(atPath: directory.path).first { $0.hasPrefix(prefix + "-") }
            let data = try Data(contentsOf: directory.appendingPathComponent(try #require(file)))
            let json = try JSON.parse(data)
            request = json[path: ["request", "body"]] ?? .null
            status = json[path: ["response", "status"]]?.numberValue?.int ?? 0
            response = json[path: ["response", "body"]]?.objectValue ?? JSONObject()
        }
    }

    static func apply(_ body: JSONValue, to live: JSONObject?, manager: String, force: Bool = false) throws(Status) -> JSONObject {
        try ServerSideApply.apply(
            applied: body.objectValue ?? [:], to: live, manager: manager, force: force, now: t0, apiVersion: gadgetVersion,
            schema: gadgetSchema)
    }

    /// managedFields without times, for comparison.
    static func managers(_ object: JSONObject) -> [JSONValue] {
        (object["metadata"]?["managedFields"]?.arrayValue ?? []).map { entry in
            var entry = entry
            entry["time"] = nil
            return entry
        }
    }

    static func expectMatches(_ object: JSONObject, _ recorded: JSONObject) {
        #expect(object["spec"] == recorded["spec"])
        #expect(object["metadata"]?["labels"] == recorded["metadata"]?["labels"])
        #expect(managers(object) == managers(recorded))
    }

    /// The live g3 after step 3, as this server stores it (the recorded response).
    static func createdG3() throws -> JSONObject {
        let created = try apply(try Recording("003").request, to: nil, manager: "kubectl")
        return created
    }

    @Test func createThenUpdateOwnsTheAppliedFields() throws {
        let create = try Recording("003")
        var live = try Self.apply(create.request, to: nil, manager: "kubectl")
        #expect(Self.managers(live) == Self.managers(create.response))
        #expect(live["spec"]?["size"] == 3)
        live["spec"]?["mode"] = "Safe"  // the CRD default, added by admission
        let update = try Recording("006")
        let updated = try Self.apply(update.request, to: live, manager: "kubectl")
        Self.expectMatches(updated, update.response)
    }

    @Test func conflictWithAnotherManagerIs409() throws {
        let live = try Self.apply(try Recording("006").request, to: try Self.createdG3(), manager: "kubectl")
        let conflict = try Recording("009")
        #expect(conflict.status == 409)
        do {
            _ = try Self.apply(conflict.request, to: live, manager: "other-team")
            Issue.record("expected a conflict")
        } catch {
            #expect(error.object == conflict.response)
            #expect(JSON.string(error.json) == JSON.string(.object(conflict.response)))
        }
    }

    @Test func forceTakesOwnership() throws {
        var live = try Self.apply(try Recording("006").request, to: try Self.createdG3(), manager: "kubectl")
        live["spec"]?["mode"] = "Safe"
        let forced = try Recording("012")
        let result = try Self.apply(forced.request, to: live, manager: "other-team", force: true)
        Self.expectMatches(result, forced.response)
        Self.expectMatches(result, try Recording("014").response)
    }

    @Test func reapplyRemovesFieldsNoLongerSet() throws {
        let live = try Self.createdG3()
        var smaller = try Recording("006").request
        smaller["spec"]?["serial"] = nil
        let result = try Self.apply(smaller, to: live, manager: "kubectl")
        #expect(result["spec"]?["serial"] == nil)
        #expect(result["spec"]?["size"] == 4)
        #expect(JSONValue.object(result)[path: ["metadata", "managedFields"]]?.arrayValue?.first?[path: ["fieldsV1", "f:spec", "f:serial"]] == nil)
    }

    @Test func reapplyKeepsFieldsOtherManagersOwn() throws {
        var live = try Self.createdG3()
        live = ServerSideApply.recordUpdate(
            old: live, new: live.settingSerial("XY-0001"), manager: "kubectl-edit", now: t0, apiVersion: Self.gadgetVersion, schema: Self.gadgetSchema)
        var smaller = try Recording("003").request
        smaller["spec"]?["serial"] = nil
        let result = try Self.apply(smaller, to: live, manager: "kubectl")
        #expect(result["spec"]?["serial"] == "XY-0001")
    }
}

extension JSONObject {
    fileprivate func settingSerial(_ serial: JSONValue) -> JSONObject {
        var copy = self
        copy["spec"]?["serial"] = serial
        return copy
    }
}
