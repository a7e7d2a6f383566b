import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

/// How a new pod is defaulted, admitted and validated, as by a real API server 1.36.
@Suite struct BuiltinPodAdmissionTests {
    static let minimal = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"demo"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}"#

    /// A store with namespace `demo`, its `default` ServiceAccount and the system PriorityClasses.
    func store() throws -> ObjectStore {
        var s = ObjectStore()
        _ = try s.create(.namespaces, obj(#"{"metadata":{"name":"demo"}}"#), now: t0)
        _ = try s.create(.serviceAccounts, obj(#"{"metadata":{"name":"default"}}"#), namespace: "demo", now: t0)
        _ = try s.create(.priorityClasses, obj(#"{"metadata":{"name":"high"},"value":1000}"#), now: t0)
        return s
    }

    func admit(_ text: String, store: ObjectStore? = nil) throws(Status) -> JSONObject {
        let s = (try? store ?? self.store()) ?? ObjectStore()
        var context = AdmissionContext(store: s, operation: .create, namespace: "demo", nameSuffix: { "x7k2q" })
        let decoded = try BuiltinAdmission.decode(.pods, obj(text), old: nil)
        return try BuiltinAdmission.admit(.pods, decoded, old: nil, subresource: .main, context: &context)
    }

    @Test func defaultsAndAdmissionFillWhatTheRealServerFills() throws {
        let pod = try admit(Self.minimal)
        let spec = try #require(pod["spec"]?.objectValue)
        #expect(spec["restartPolicy"] == "Always")
        #expect(spec["dnsPolicy"] == "ClusterFirst")
        #expect(spec["schedulerName"] == "default-scheduler")
        #expect(spec["serviceAccountName"] == "default")
        #expect(spec["priority"] == 0)
        #expect(spec["preemptionPolicy"] == "PreemptLowerPriority")
        #expect(spec.objects("tolerations").map { $0.string("key") } == PodAdmission.defaultTolerationKeys)
        let container = try #require(spec.objects("containers").first)
        #expect(container["imagePullPolicy"] == "Always")
        #expect(container["terminationMessagePath"] == "/dev/termination-log")
        #expect(container.objects("volumeMounts").map { $0.string("name") } == ["kube-api-access-x7k2q"])
        #expect(spec.objects("volumes").map { $0.string("name") } == ["kube-api-access-x7k2q"])
        #expect(pod["status"] == parse(#"{"phase":"Pending","qosClass":"BestEffort"}"#))
    }

    @Test func noTokenVolumeWhenAutomountIsOff() throws {
        let pod = try admit(Self.minimal.replacingOccurrences(of: #""containers""#, with: #""automountServiceAccountToken":false,"containers""#))
        #expect(pod["spec"]?["volumes"] == nil)
    }

    @Test(arguments: [
        (#""serviceAccountName":"ghost","#, "error looking up service account demo/ghost: serviceaccount \"ghost\" not found"),
        (#""priorityClassName":"none","#, "no PriorityClass with name none was found"),
        (#""priority":5,"#, "the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name"),
    ])
    func admissionRefusesWith403(insert: String, reason: String) {
        let text = Self.minimal.replacingOccurrences(of: #""containers""#, with: insert + #""containers""#)
        do {
            _ = try admit(text)
            Issue.record("admitted \(text)")
        } catch {
            #expect(error.code == 403)
            #expect(error.message == "pods \"p\" is forbidden: \(reason)")
        }
    }

    @Test func priorityComesFromTheClass() throws {
        let pod = try admit(Self.minimal.replacingOccurrences(of: #""containers""#, with: #""priorityClassName":"high","containers""#))
        #expect(pod["spec"]?["priority"] == 1000)
    }

    /// (spec fragment inserted before `containers`, container JSON, expected (field, reason) pairs)
    static let invalid: [(String, String, [String])] = [
        ("", #"{"name":"c","image":"b","ports":[{"containerPort":70000}]}"#, ["spec.containers[0].ports[0].containerPort FieldValueInvalid"]),
        ("", #"{"name":"c","image":"b","env":[{"name":"A=B","value":"x"}]}"#, ["spec.containers[0].env[0].name FieldValueInvalid"]),
        ("", #"{"name":"c","image":"b","livenessProbe":{"periodSeconds":5}}"#, ["spec.containers[0].livenessProbe FieldValueRequired"]),
        ("", #"{"name":"c","image":"b","volumeMounts":[{"name":"v","mountPath":"/v"}]}"#, ["spec.containers[0].volumeMounts[0].name FieldValueNotFound"]),
        ("", #"{"name":"c","image":"b","resources":{"requests":{"cpu":"2"},"limits":{"cpu":"1"}}}"#, ["spec.containers[0].resources.requests FieldValueInvalid"]),
        (#""restartPolicy":"Sometimes","#, #"{"name":"c","image":"b"}"#, ["spec.restartPolicy FieldValueNotSupported"]),
        (#""tolerations":[{"key":"k","operator":"Exists","value":"v"}],"#, #"{"name":"c","image":"b"}"#, ["spec.tolerations[0].operator FieldValueInvalid"]),
        ("", #"{"name":"c","image":"b"},{"name":"c","image":"b"}"#, ["spec.containers[1].name FieldValueDuplicate"]),
        // An init container's restartPolicy may only be Always (a sidecar, KEP-753).
        (#""initContainers":[{"name":"i","image":"b","restartPolicy":"Never"}],"#, #"{"name":"c","image":"b"}"#,
         ["spec.initContainers[0].restartPolicy FieldValueNotSupported"]),
    ]

    @Test(arguments: invalid)
    func invalidPodsAre422(spec: String, containers: String, expected: [String]) {
        let text = #"{"metadata":{"name":"p"},"spec":{"#.appending(spec) + #""automountServiceAccountToken":false,"containers":["# + containers + "]}}"
        do {
            _ = try admit(text)
            Issue.record("admitted \(text)")
        } catch {
            #expect(error.code == 422)
            #expect((error.details?.causes ?? []).map { "\($0.field ?? "") \($0.reason ?? "")" } == expected)
        }
    }

    @Test func updatesMayOnlyChangeImagesDeadlinesAndAddTolerations() throws {
        let old = try admit(Self.minimal)
        var image = old
        image.editObject("spec") { $0.editEach("containers") { $0["image"] = "busybox:1.36" } }
        #expect(FieldChecks.validatePodUpdate(image, old: old).isEmpty)
        var env = old
        env.editObject("spec") { $0.editEach("containers") { $0["env"] = [["name": "A", "value": "1"]] } }
        #expect(FieldChecks.validatePodUpdate(env, old: old).map(\.field) == ["spec"])
        var added = old
        added.editObject("spec") { $0["tolerations"] = .array(($0["tolerations"]?.arrayValue ?? []) + [["key": "x", "operator": "Exists"]]) }
        #expect(FieldChecks.validatePodUpdate(added, old: old).isEmpty)
        var removed = old
        removed.editObject("spec") { $0["tolerations"] = [] }
        #expect(FieldChecks.validatePodUpdate(removed, old: old).map(\.field) == ["spec.tolerations"])
    }
}
