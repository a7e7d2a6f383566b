import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

@Suite("kubectl age and pod STATUS formatting")
struct TableStatusAndAgeTests {
    static let ageCases: [(Double, String)] = [
        (-5.0, "<invalid>"), (-1.5, "0s"), (0, "0s"), (1.9, "1s"), (59, "59s"), (119, "119s"), (120, "2m"), (125, "2m5s"),
        (599, "9m59s"), (600, "10m"), (179 * 60, "179m"), (3 * 3600, "3h"), (3 * 3600 + 5 * 60, "3h5m"), (8 * 3600, "8h"),
        (47 * 3600, "47h"), (48 * 3600, "2d"), (51 * 3600, "2d3h"), (7 * 86400 + 23 * 3600, "7d23h"), (8 * 86400, "8d"),
        (729 * 86400, "729d"), (730 * 86400, "2y"), (800 * 86400, "2y70d"), (8 * 365 * 86400, "8y"), (20 * 365 * 86400, "20y"),
    ]

    @Test(arguments: ageCases)
    func humanDuration(seconds: Double, expected: String) {
        #expect(HumanDuration.string(seconds) == expected)
    }

    @Test func ageOfMissingTimestampIsUnknown() {
        #expect(HumanDuration.since(nil, now: t0) == "<unknown>")
        #expect(HumanDuration.since("not a time", now: t0) == "<unknown>")
    }

    static func pod(_ status: String, spec: String = #"{"containers":[{"name":"c"}]}"#, metadata: String = "{}") -> JSONValue {
        parse(#"{"metadata":\#(metadata),"spec":\#(spec),"status":\#(status)}"#)
    }

    static let twoContainers = #"{"containers":[{"name":"a"},{"name":"b"}]}"#
    static let withInit = #"{"initContainers":[{"name":"i1"},{"name":"i2"}],"containers":[{"name":"c"}]}"#

    static let podCases: [(JSONValue, String, String)] = [
        (pod(#"{"phase":"Pending"}"#), "Pending", "0/1"),
        (pod(#"{"phase":"Pending","containerStatuses":[{"name":"c","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ContainerCreating"}}}]}"#), "ContainerCreating", "0/1"),
        (pod(#"{"phase":"Pending","containerStatuses":[{"name":"c","state":{"waiting":{"reason":"ErrImagePull"}}}]}"#), "ErrImagePull", "0/1"),
        (pod(#"{"phase":"Pending","containerStatuses":[{"name":"c","state":{"waiting":{"reason":"ImagePullBackOff"}}}]}"#), "ImagePullBackOff", "0/1"),
        (pod(#"{"phase":"Running","containerStatuses":[{"name":"c","ready":true,"state":{"running":{}}}]}"#), "Running", "1/1"),
        (pod(#"{"phase":"Running","containerStatuses":[{"name":"c","ready":false,"state":{"running":{}}}]}"#), "Running", "0/1"),
        (pod(#"{"phase":"Failed","containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":137,"reason":"OOMKilled"}}}]}"#), "OOMKilled", "0/1"),
        (pod(#"{"phase":"Failed","containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":3,"reason":"Error"}}}]}"#), "Error", "0/1"),
        (pod(#"{"phase":"Succeeded","containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}"#), "Completed", "0/1"),
        (pod(#"{"phase":"Failed","containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":2}}}]}"#), "ExitCode:2", "0/1"),
        (pod(#"{"phase":"Failed","containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":0,"signal":9}}}]}"#), "Signal:9", "0/1"),
        (pod(#"{"phase":"Running","containerStatuses":[{"name":"c","restartCount":4,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}"#), "CrashLoopBackOff", "0/1"),
        (pod(#"{"phase":"Failed","reason":"DeadlineExceeded"}"#), "DeadlineExceeded", "0/1"),
        (pod(#"{"phase":"Running","conditions":[{"type":"Ready","status":"True"}],"containerStatuses":[{"name":"a","ready":true,"state":{"running":{}}},{"name":"b","state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}"#, spec: twoContainers), "Running", "1/2"),
        (pod(#"{"phase":"Running","containerStatuses":[{"name":"a","ready":true,"state":{"running":{}}},{"name":"b","state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}"#, spec: twoContainers), "NotReady", "1/2"),
        (pod(#"{"phase":"Running","containerStatuses":[{"name":"c","ready":true,"state":{"running":{}}}]}"#, metadata: #"{"deletionTimestamp":"2026-01-01T00:00:00Z"}"#), "Terminating", "1/1"),
        (pod(#"{"phase":"Succeeded"}"#, metadata: #"{"deletionTimestamp":"2026-01-01T00:00:00Z"}"#), "Succeeded", "0/1"),
        (pod(#"{"phase":"Pending","initContainerStatuses":[{"name":"i1","state":{"terminated":{"exitCode":0}}},{"name":"i2","state":{"running":{}}}]}"#, spec: withInit), "Init:1/2", "0/1"),
        (pod(#"{"phase":"Pending","initContainerStatuses":[{"name":"i1","state":{"terminated":{"exitCode":1,"reason":"Error"}}}]}"#, spec: withInit), "Init:Error", "0/1"),
        (pod(#"{"phase":"Pending","initContainerStatuses":[{"name":"i1","state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}"#, spec: withInit), "Init:CrashLoopBackOff", "0/1"),
        (pod(#"{"phase":"Pending","initContainerStatuses":[{"name":"i1","state":{"terminated":{"exitCode":2}}}]}"#, spec: withInit), "Init:ExitCode:2", "0/1"),
        (pod(#"{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]}"#), "SchedulingGated", "0/1"),
    ]

    @Test(arguments: podCases)
    func podStatus(pod: JSONValue, status: String, ready: String) {
        let row = TableRenderer.row(for: BuiltinResources.pods, object: pod.objectValue!, now: t0)
        #expect(row["cells"]?.element(2) == .string(status))
        #expect(row["cells"]?.element(1) == .string(ready))
        #expect(PodPrinter.status(pod) == status)
    }

    @Test func restartsShowTheLastRestartAge() {
        let pod = Self.pod(#"{"phase":"Running","containerStatuses":[{"name":"c","ready":true,"restartCount":2,"state":{"running":{}},"lastState":{"terminated":{"exitCode":1,"finishedAt":"2026-11-22T10:00:00Z"}}}]}"#)
        let row = TableRenderer.row(for: BuiltinResources.pods, object: pod.objectValue!, now: RFC3339.parse("2026-11-22T10:05:00Z")!)
        #expect(row["cells"]?.element(3) == "2 (5m ago)")
        #expect(row["conditions"] == nil)
        #expect(row["cells"]?.element(5) == "<none>" && row["cells"]?.element(8) == "<none>")
    }

    @Test func readinessGatesCount() {
        let pod = Self.pod(
            #"{"phase":"Running","conditions":[{"type":"example.com/ready","status":"True"}]}"#,
            spec: #"{"containers":[{"name":"c"}],"readinessGates":[{"conditionType":"example.com/ready"},{"conditionType":"other"}]}"#)
        #expect(TableRenderer.row(for: BuiltinResources.pods, object: pod.objectValue!, now: t0)["cells"]?.element(8) == "1/2")
    }
}
