import KubeAPI
import Testing

/// Decode → modify one modelled field → encode must leave every other field byte-identical.
@Suite("Round trip of unmodelled fields")
struct RoundTripTests {
    @Test(arguments: ["pod-p1", "pod-rich"])
    func unmodifiedPodIsByteIdentical(_ name: String) throws {
        let bytes = try Fixture.bytes(name)
        let pod: Pod = try Fixture.object(name)
        #expect(JSON.serialize(pod.json) == bytes)
        // Reading typed fields does not change anything either.
        _ = (pod.spec.containers, pod.status.containerStatuses, pod.spec.tolerations, pod.metadata.labels)
        #expect(JSON.serialize(pod.json) == bytes)
    }

    @Test(arguments: ["pod-p1", "pod-rich"])
    func changingTheImageKeepsEverythingElse(_ name: String) throws {
        let original = try Fixture.value(name)
        var pod = try #require(Pod(json: original))
        pod.spec.containers[0].image = "busybox:1.37"
        let encoded = try JSON.parse(JSON.serialize(pod.json))

        #expect(encoded[path: ["spec", "containers"]]?.arrayValue?[0]["image"] == "busybox:1.37")
        // Every other field is identical, in the same key order.
        var expected = original
        var containers = try #require(expected[path: ["spec", "containers"]]?.arrayValue)
        containers[0]["image"] = "busybox:1.37"
        var spec = try #require(expected["spec"])
        spec["containers"] = .array(containers)
        expected["spec"] = spec
        #expect(JSON.serialize(encoded) == JSON.serialize(expected))
        for key in try #require(original.objectValue).keys where key != "spec" {
            #expect(JSON.serialize(encoded[key]!) == JSON.serialize(original[key]!))
        }
    }

    @Test func richPodUnmodelledFieldsSurviveAModification() throws {
        let original = try Fixture.value("pod-rich")
        var pod = try #require(Pod(json: original))
        pod.spec.containers[0].resources.limits["memory"] = "2112Mi"
        pod.metadata.labels["slipway.dev/attempt"] = "3"
        let encoded = pod.json
        for path in [
            ["metadata", "managedFields"], ["metadata", "annotations"], ["spec", "ephemeralContainers"],
            ["spec", "topologySpreadConstraints"], ["spec", "futureSpecField"], ["spec", "securityContext"],
            ["spec", "overhead"], ["status"],
        ] {
            #expect(JSON.serialize(encoded[path: path]!) == JSON.serialize(original[path: path]!), "\(path)")
        }
        let limits = encoded[path: ["spec", "containers"]]?.arrayValue?[0][path: ["resources", "limits"]]
        #expect(JSON.string(limits!) == #"{"memory":"2112Mi","cpu":"1500m","nvidia.com/gpu":1}"#)
        #expect(JSON.string(encoded[path: ["metadata", "labels"]]!)
            == #"{"app.kubernetes.io/name":"etl","slipway.dev/job":"etl-7","spark-role":"driver","slipway.dev/attempt":"3"}"#)
        let futureNumbers = JSON.string(encoded[path: ["spec", "futureSpecField"]]!)
        #expect(futureNumbers.contains("2.50,-0.0,1e3,1E-7,-9223372036854775808,18446744073709551615,0.1000"))
        #expect(encoded[path: ["metadata", "resourceVersion"]] == "9223372036854775806")
        #expect(pod.spec.securityContext?.supplementalGroups == [4000, .max])
    }

    @Test func removingAFieldRemovesOnlyThatKey() throws {
        let original = try Fixture.value("pod-rich")
        var pod = try #require(Pod(json: original))
        pod.spec.nodeName = nil
        pod.spec.tolerations = []
        var expected = original
        var spec = try #require(expected["spec"]?.objectValue)
        spec.removeValue(forKey: "nodeName")
        spec["tolerations"] = []
        expected["spec"] = .object(spec)
        #expect(JSON.serialize(pod.json) == JSON.serialize(expected))
    }

    @Test(arguments: ["events", "lease", "node", "configmap", "namespace", "service"])
    func otherKindsRoundTripByteExact(_ name: String) throws {
        let bytes = try Fixture.bytes(name)
        let value = try JSON.parse(bytes)
        switch name {
        case "events": #expect(JSON.serialize(try #require(ObjectList<Event>(json: value)).json) == bytes)
        case "lease": #expect(JSON.serialize(try #require(Lease(json: value)).json) == bytes)
        case "node": #expect(JSON.serialize(try #require(Node(json: value)).json) == bytes)
        case "configmap": #expect(JSON.serialize(try #require(ConfigMap(json: value)).json) == bytes)
        case "namespace": #expect(JSON.serialize(try #require(Namespace(json: value)).json) == bytes)
        default: #expect(JSON.serialize(try #require(Service(json: value)).json) == bytes)
        }
    }
}
