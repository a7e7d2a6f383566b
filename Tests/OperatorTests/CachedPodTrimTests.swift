import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayCore
import Testing
@testable import SlipwayControllers

/// Cached pods keep what the operator reads of them and drop the rest of their spec
/// (OperatorCaches.trimPod), and so do their cached warnings (trimWarning): what a reconcile
/// or the web view concludes from a trimmed object is what it concludes from the whole one.
@Suite("Cached pods and warnings: trimmed to what the operator reads")
struct CachedPodTrimTests {
    static let pod: Pod = {
        let text = """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "etl-0-a1", "namespace": "data", "uid": "u1", "resourceVersion": "7",
                      "labels": {"slipway.dev/job-name": "etl"}, "annotations": {"slipway.dev/attempt": "1"},
                      "finalizers": ["slipway.dev/record"],
                      "ownerReferences": [{"apiVersion": "slipway.dev/v1alpha1", "kind": "BatchJob", "name": "etl", "uid": "j1", "controller": true}],
                      "managedFields": [{"manager": "slipway", "operation": "Apply", "fieldsV1": {"f:spec": {}}}]},
         "spec": {"nodeName": "node-1", "nodeSelector": {"karpenter.sh/capacity-type": "spot"}, "restartPolicy": "Never",
                  "volumes": [{"name": "data", "emptyDir": {}}],
                  "tolerations": [{"key": "spot", "operator": "Exists"}],
                  "initContainers": [{"name": "slipway-analysis", "image": "slipway", "restartPolicy": "Always",
                                      "args": ["analyze", "--follow"], "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}}}],
                  "containers": [{"name": "main", "image": "python:3.12", "command": ["python", "-c", "print(1)"],
                                  "env": [{"name": "A", "value": "1"}], "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                                  "resources": {"requests": {"memory": "100Mi", "cpu": "1"}, "limits": {"memory": "200Mi"}}}]},
         "status": {"phase": "Failed", "startTime": "2026-12-07T10:00:00Z",
                    "containerStatuses": [{"name": "main", "ready": false, "restartCount": 0,
                                           "state": {"terminated": {"exitCode": 137, "reason": "OOMKilled"}}}],
                    "initContainerStatuses": [{"name": "slipway-analysis", "ready": false, "restartCount": 0,
                                               "state": {"terminated": {"exitCode": 0, "message": "{}"}}}]}}
        """
        return Pod(json: try! JSON.parse(text))!
    }()

    @Test func whatTheOperatorReadsIsKept() {
        let trimmed = OperatorCaches.trimPod(Self.pod)
        #expect(trimmed.metadata.object["managedFields"] == nil)
        var withoutManagedFields = Self.pod
        withoutManagedFields.metadata.object.removeValue(forKey: "managedFields")
        #expect(trimmed.metadata == withoutManagedFields.metadata)
        #expect(trimmed.status == Self.pod.status)
        #expect(trimmed.spec.nodeName == "node-1")
        #expect(trimmed.spec.nodeSelector == Self.pod.spec.nodeSelector)
        #expect(trimmed.spec.restartPolicy == .never)
        #expect(trimmed.spec.containers.map(\.name) == ["main"])
        #expect(trimmed.spec.initContainers.first?.restartPolicy == "Always")
        #expect(AttemptResources.read(from: trimmed.spec, container: "main") == AttemptResources.read(from: Self.pod.spec, container: "main"))
        #expect(trimmed.spec.containers.first?.resources == Self.pod.spec.containers.first?.resources)
        #expect(trimmed.spec.initContainers.first?.resources == Self.pod.spec.initContainers.first?.resources)
    }

    @Test func whatOnlyTheKubeletReadsIsDropped() {
        let trimmed = OperatorCaches.trimPod(Self.pod)
        #expect(trimmed.spec.volumes.isEmpty)
        #expect(trimmed.spec.tolerations.isEmpty)
        #expect(trimmed.spec.containers.first?.env.isEmpty == true)
        #expect(trimmed.spec.containers.first?.command.isEmpty == true)
        #expect(trimmed.spec.initContainers.first?.args.isEmpty == true)
        #expect(Set(trimmed.spec.object.keys) == ["nodeName", "nodeSelector", "restartPolicy", "initContainers", "containers"])
        #expect(Set(trimmed.spec.containers.first?.object.keys ?? []) == ["name", "image", "resources"])
    }

    @Test func aWarningKeepsWhatHistoryAndTheWebViewShow() throws {
        let text = """
        {"apiVersion": "v1", "kind": "Event", "count": 2, "eventTime": null,
         "firstTimestamp": "2026-12-07T16:55:53Z", "lastTimestamp": "2026-12-07T16:56:03Z",
         "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": "etl-0-a1", "namespace": "data", "resourceVersion": "26", "uid": "u1"},
         "message": "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.",
         "metadata": {"creationTimestamp": "2026-12-07T16:55:53Z", "name": "etl-0-a1.eb2f", "namespace": "data", "resourceVersion": "27", "uid": "e1",
                      "managedFields": [{"manager": "scheduler"}]},
         "reason": "FailedScheduling", "reportingComponent": "default-scheduler", "reportingInstance": "",
         "source": {"component": "default-scheduler"}, "type": "Warning"}
        """
        let event = try #require(Event(json: try JSON.parse(text)))
        let trimmed = OperatorCaches.trimWarning(event)
        #expect(AttemptEvent(trimmed) == AttemptEvent(event))
        #expect(trimmed.lastObservedTime == event.lastObservedTime)
        #expect(trimmed.type == event.type && trimmed.reason == event.reason && trimmed.message == event.message && trimmed.count == event.count)
        #expect(trimmed.involvedObject.kind == "Pod" && trimmed.involvedObject.name == "etl-0-a1")
        #expect(trimmed.involvedObject.namespace == "data" && trimmed.involvedObject.uid == "u1")
        #expect(trimmed.metadata.name == "etl-0-a1.eb2f" && trimmed.metadata.namespace == "data" && trimmed.metadata.uid == "e1")
        for gone in ["source", "reportingComponent", "reportingInstance"] { #expect(trimmed.object[gone] == nil) }
        #expect(trimmed.metadata.object["managedFields"] == nil)
        #expect(trimmed.involvedObject.object["resourceVersion"] == nil)
    }
}
