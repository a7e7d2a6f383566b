import Foundation
import KubeAPI
import Testing

@Suite("Typed accessors on recorded objects")
struct TypedAccessorTests {
    static func date(_ text: String) -> Date { RFC3339.parse(text)! }

    @Test func recordedPod() throws {
        let pod: Pod = try Fixture.object("pod-p1")
        #expect(pod.kind == "Pod")
        #expect(pod.key == "demo/p1")
        #expect(pod.metadata.uid == "6b846c9e-b3e3-4b34-9498-651d154d82ce")
        #expect(pod.metadata.labels["run"] == "p1")
        let spec = pod.spec
        #expect(spec.restartPolicy == .never)
        #expect(spec.nodeName == "node-od-1")
        #expect(spec.serviceAccountName == "default")
        #expect(spec.terminationGracePeriodSeconds == 30)
        #expect(spec.schedulerName == "default-scheduler")
        #expect(spec.securityContext == PodSecurityContext())
        #expect(spec.containers.count == 1)
        let c = try #require(spec.container(named: "p1"))
        #expect(c.image == "busybox")
        #expect(c.args == ["sh", "-c", "exit 3"])
        #expect(c.command == [])
        #expect(c.imagePullPolicy == .always)
        #expect(c.terminationMessagePolicy == .file)
        #expect(c.terminationMessagePath == "/dev/termination-log")
        #expect(c.resources.limits.isEmpty)
        #expect(c.volumeMounts.map(\.mountPath) == ["/var/run/secrets/kubernetes.io/serviceaccount"])
        #expect(c.volumeMounts.first?.readOnly == true)
        #expect(spec.volumes.first?.sourceKind == "projected")
        #expect(spec.tolerations.map(\.operator) == [.exists, .exists])
        #expect(spec.tolerations.first?.tolerationSeconds == 300)
        #expect(spec.tolerations.first?.effect == .noExecute)

        let status = pod.status
        #expect(status.phase == .failed)
        #expect(status.phase?.isFinished == true)
        #expect(status.podIP == "127.0.0.2")
        #expect(status.hostIP == "127.1.0.1")
        #expect(status.startTime == Self.date("2026-11-22T10:43:30Z"))
        #expect(status.conditions.map(\.type) == ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"])
        let ready = try #require(status.condition("Ready"))
        #expect(ready.status == .false)
        #expect(ready.reason == "PodFailed")
        #expect(ready.lastProbeTime == nil)
        #expect(ready.lastTransitionTime == Self.date("2026-11-22T10:43:30Z"))
        let cs = try #require(status.containerStatus(named: "p1"))
        #expect(cs.ready == false)
        #expect(cs.started == false)
        #expect(cs.restartCount == 0)
        #expect(cs.image == "docker.io/library/busybox:latest")
        #expect(cs.imageID?.hasPrefix("docker.io/library/busybox@sha256:") == true)
        let terminated = try #require(cs.state.terminated)
        #expect(terminated.exitCode == 3)
        #expect(terminated.reason == "Error")
        #expect(terminated.signal == nil)
        #expect(terminated.finishedAt == Self.date("2026-11-22T10:43:30Z"))
        #expect(terminated.containerID == cs.containerID)
        #expect(cs.state.waiting == nil)
        #expect(cs.state.running == nil)
        #expect(cs.lastState == ContainerState())
    }

    @Test func richPod() throws {
        let pod: Pod = try Fixture.object("pod-rich")
        let spec = pod.spec
        #expect(spec.activeDeadlineSeconds == 86400)
        #expect(spec.nodeSelector["karpenter.sh/capacity-type"] == "on-demand")
        #expect(spec.affinity?.nodeAffinity != nil)
        #expect(spec.affinity?.podAffinity == nil)
        #expect(spec.hostNetwork == false)
        #expect(spec.imagePullSecrets.map(\.name) == ["registry"])
        #expect(spec.priorityClassName == "batch-high")
        #expect(spec.subdomain == "etl-7-driver-svc")
        #expect(spec.hostname == "etl-7-driver")
        #expect(spec.initContainers.map(\.name) == ["init"])
        #expect(spec.volumes.map { $0.sourceKind ?? "-" } == ["configMap", "emptyDir", "hostPath"])
        #expect(spec.volumes[0].configMap?.items.first?.path == "spark.properties")
        #expect(spec.volumes[0].configMap?.defaultMode == 420)
        #expect(spec.volumes[1].emptyDir?.sizeLimit == "10Gi")
        #expect(spec.volumes[2].hostPath?.path == "/var/log")
        let c = spec.containers[0]
        #expect(c.imagePullPolicy == .ifNotPresent)
        #expect(c.terminationMessagePolicy == .fallbackToLogsOnError)
        #expect(c.resources.limits == ["memory": "1408Mi", "cpu": "1500m", "nvidia.com/gpu": "1"])
        #expect(c.resources.requests["cpu"]?.milliValue == 1000)
        #expect(c.ports.map(\.containerPort) == [7078, 4040])
        #expect(c.ports.first?.name == "driver-rpc-port")
        #expect(c.env[0].valueFrom?.fieldRef?.fieldPath == "status.podIP")
        #expect(c.env[1].value == "etl")
        #expect(c.env[2].valueFrom?.secretKeyRef?.key == "token")
        #expect(c.envFrom.first?.configMapRef?.name == "defaults")
        #expect(c.envFrom.first?.prefix == "CFG_")
        #expect(c.securityContext?.runAsUser == 185)
        #expect(c.securityContext?.allowPrivilegeEscalation == false)
        #expect(c.securityContext?.capabilities?.drop == ["ALL"])
        #expect(c.securityContext?.privileged == nil)

        let spot = Taint(key: "spot", value: "true", effect: .noSchedule)
        #expect(spec.tolerations[0].tolerates(spot))
        #expect(!spec.tolerations[0].tolerates(Taint(key: "spot", value: "false", effect: .noSchedule)))
        #expect(!spec.tolerations[1].tolerates(spot))
        #expect(Toleration(key: nil, operator: .exists).tolerates(spot))

        let status = pod.status
        #expect(status.reason == "Evicted")
        #expect(status.condition("DisruptionTarget")?.reason == "TerminationByKubelet")
        #expect(status.nominatedNodeName == "ip-10-0-1-24.ec2.internal")
        let driver = try #require(status.containerStatus(named: "driver"))
        #expect(driver.state.terminated?.reason == "OOMKilled")
        #expect(driver.state.terminated?.exitCode == 137)
        #expect(driver.state.terminated?.signal == 9)
        #expect(driver.state.terminated?.message?.contains("java.lang.OutOfMemoryError") == true)
        #expect(driver.lastState.waiting?.reason == "ContainerCreating")
        #expect(driver.restartCount == .max)
        #expect(status.containerStatus(named: "init")?.state.terminated?.reason == "Completed")
        #expect(pod.metadata.controllerReference?.kind == "SparkJob")
    }

    @Test func buildsAPodFromScratch() throws {
        var pod = Pod(name: "etl-7-0-1", namespace: "data")
        var container = Container(name: "main", image: "python:3.12")
        container.resources = ResourceRequirements(requests: ["memory": "1Gi"], limits: ["memory": "1.5Gi"])
        container.env = [EnvVar(name: "A", value: "1"), EnvVar(name: "POD", fieldPath: "metadata.name")]
        container.terminationMessagePolicy = .fallbackToLogsOnError
        pod.spec.containers = [container]
        pod.spec.restartPolicy = .never
        pod.spec.tolerations = [Toleration(key: "spot", operator: .equal, value: "true", effect: .noSchedule)]
        #expect(JSON.string(pod.json) == #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"etl-7-0-1","namespace":"data"},"spec":{"containers":[{"name":"main","image":"python:3.12","resources":{"requests":{"memory":"1Gi"},"limits":{"memory":"1536Mi"}},"env":[{"name":"A","value":"1"},{"name":"POD","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],"terminationMessagePolicy":"FallbackToLogsOnError"}],"restartPolicy":"Never","tolerations":[{"key":"spot","operator":"Equal","value":"true","effect":"NoSchedule"}]}}"#)
        #expect(Pod.resource.objectPath(namespace: "data", name: "etl-7-0-1", subresource: "status") == "/api/v1/namespaces/data/pods/etl-7-0-1/status")
    }

    @Test func recordedEvents() throws {
        let list: ObjectList<Event> = try Fixture.object("events")
        #expect(list.items.count == 2)
        let core = list.items[0]
        #expect(core.involvedObject.kind == "Gadget")
        #expect(core.involvedObject.name == "g1")
        #expect(core.involvedObject.apiVersion == "reference.example.com/v1")
        #expect(core.reason == "BackendProvisioned")
        #expect(core.type == .normal)
        #expect(core.source.component == "gadget-controller")
        #expect(core.count == 1)
        #expect(core.firstTimestamp == Self.date("2026-11-22T10:43:13Z"))
        #expect(core.eventTime == nil)
        #expect(core.reportingComponent == "")
        #expect(core.lastObservedTime == Self.date("2026-11-22T10:43:13Z"))
        let new = list.items[1]
        #expect(new.type == .warning)
        #expect(new.action == "Resize")
        #expect(new.firstTimestamp == nil)
        #expect(new.eventTime == MicroTime(Self.date("2026-11-22T10:43:13Z")))
        #expect(new.eventTime?.json == "2026-11-22T10:43:13.000000Z")
        #expect(new.reportingInstance == "gadget-controller-0")
        #expect(new.source.component == nil)
        #expect(new.series == nil)
        #expect(new.lastObservedTime == Self.date("2026-11-22T10:43:13Z"))
    }

    @Test func eventSeriesAndReference() throws {
        var event = Event(name: "p1.1", namespace: "demo")
        var pod = Pod(name: "p1", namespace: "demo")
        pod.metadata.uid = "u1"
        event.involvedObject = ObjectReference(to: pod, fieldPath: "spec.containers{main}")
        event.series = EventSeries(object: ["count": 4, "lastObservedTime": "2026-11-22T10:43:30.123456Z"])
        #expect(event.series?.count == 4)
        #expect(event.series?.lastObservedTime?.json == "2026-11-22T10:43:30.123456Z")
        #expect(JSON.string(event.involvedObject.json)
            == #"{"kind":"Pod","namespace":"demo","name":"p1","uid":"u1","apiVersion":"v1","fieldPath":"spec.containers{main}"}"#)
        #expect(EventType(rawValue: "Critical") == .other("Critical"))
    }

    @Test func lease() throws {
        let lease: Lease = try Fixture.object("lease")
        #expect(Lease.resource.collectionPath(namespace: "slipway-system") == "/apis/coordination.k8s.io/v1/namespaces/slipway-system/leases")
        let spec = lease.spec
        #expect(spec.holderIdentity == "slipway-operator-6d9f7c-x2v9q_1c2d3e4f")
        #expect(spec.leaseDurationSeconds == 15)
        #expect(spec.leaseTransitions == 4)
        #expect(spec.acquireTime?.json == "2026-11-22T10:40:02.123456Z")
        #expect(spec.renewTime?.json == "2026-11-22T10:43:30.654321Z")
        #expect(spec.expiry?.json == "2026-11-22T10:43:45.654321Z")
        var renewed = lease
        renewed.spec.renewTime = MicroTime(Self.date("2026-11-22T10:43:40.5Z"))
        #expect(JSON.string(renewed.json).contains(#""renewTime":"2026-11-22T10:43:40.500000Z","leaseTransitions":4,"strategy":"OldestEmulationVersion""#))
    }

    @Test func nodeServiceConfigMapNamespace() throws {
        let node: Node = try Fixture.object("node")
        #expect(node.spec.unschedulable == true)
        #expect(node.spec.providerID == "aws:///us-east-1a/i-0123456789abcdef0")
        #expect(node.spec.taints.map(\.key) == ["node.kubernetes.io/unschedulable", "spot"])
        #expect(node.status.isReady)
        #expect(node.status.condition("MemoryPressure")?.status == .false)
        #expect(node.status.addresses.first { $0.type == "InternalIP" }?.address == "10.0.1.23")
        #expect(node.status.capacity["memory"]?.bytes == Int64(15_896_196) * 1024)
        #expect(node.status.allocatable["cpu"]?.milliValue == 3920)
        #expect(node.status.nodeInfo.object["kubeletVersion"] == "v1.36.2")
        #expect(node.metadata.labels["karpenter.sh/capacity-type"] == "spot")

        let service: Service = try Fixture.object("service")
        #expect(service.spec.isHeadless)
        #expect(service.spec.clusterIP == ServiceSpec.headlessClusterIP)
        #expect(service.spec.type == .clusterIP)
        #expect(service.spec.ports.map(\.port) == [7078, 7079, 4040])
        #expect(service.spec.ports.first?.targetPort == .int(7078))
        #expect(service.spec.selector["spark-role"] == "driver")
        #expect(service.spec.publishNotReadyAddresses == nil)

        let cm: ConfigMap = try Fixture.object("configmap")
        #expect(cm.data == ["a": "1", "b": "2"])
        #expect(cm.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]?.hasPrefix("{") == true)

        let ns: Namespace = try Fixture.object("namespace")
        #expect(ns.status.phase == "Active")
        #expect(!ns.status.isTerminating)
        #expect(Namespace.resource.collectionPath(namespace: "x") == "/api/v1/namespaces")
    }

    @Test func secretAndBinaryData() throws {
        var secret = Secret(name: "creds", namespace: "demo")
        secret.setString("s3cr3t", forKey: "token")
        #expect(secret.data["token"] == "czNjcjN0")
        #expect(secret.string(forKey: "token") == "s3cr3t")
        secret.stringData["plain"] = "text"
        #expect(secret.value(forKey: "plain") == Data("text".utf8))
        secret.data["broken"] = "!!"
        #expect(secret.value(forKey: "broken") == nil)
        #expect(secret.value(forKey: "absent") == nil)

        var cm = ConfigMap(name: "bin")
        cm.setBinaryValue(Data([0, 1, 2, 255]), forKey: "blob")
        #expect(cm.binaryData["blob"] == "AAEC/w==")
        #expect(cm.binaryValue(forKey: "blob") == Data([0, 1, 2, 255]))
    }

    @Test func openEnumsKeepUnknownValues() throws {
        let phase = try #require(PodPhase(json: "Hibernated"))
        #expect(phase == .other("Hibernated"))
        #expect(phase.json == "Hibernated")
        #expect(PodPhase.other("Running") == .running)
        #expect(PodPhase(rawValue: "Unknown") == .unknown)
        #expect(Set([PodPhase.running, .other("Running")]).count == 1)
        #expect(ServiceType(rawValue: "Headless").rawValue == "Headless")
        #expect(IntOrString(json: "http") == .string("http"))
        #expect(IntOrString(json: 8080)?.description == "8080")
    }
}
