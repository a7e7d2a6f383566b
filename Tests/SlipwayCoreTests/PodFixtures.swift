import Foundation
import KubeAPI
import SlipwayCore

/// Realistic pod JSON, as the API server returns it for attempts' pods, for classification tables.
enum PodFixtures {
    /// `2027-01-15T10:00:00Z`: when every fixture pod was created.
    static let created = Date(timeIntervalSince1970: 1_800_007_200)

    /// A finished or pending attempt pod named `etl-3-0` with main container `main`.
    /// `state` and `lastState` are the main container's JSON state objects.
    static func pod(
        phase: String, reason: String? = nil, message: String? = nil, conditions: [String] = [],
        state: String, lastState: String = "{}", restartCount: Int = 0, memoryLimit: String? = "512Mi",
        restartPolicy: String = "Never", initStatuses: String = "[]", nodeName: String? = "ip-10-0-1-7"
    ) -> Pod {
        let limits = memoryLimit.map { #", "limits": {"memory": "\#($0)"}"# } ?? ""
        let text = """
        {
          "apiVersion": "v1", "kind": "Pod",
          "metadata": {"name": "etl-3-0", "namespace": "data", "uid": "6f1c2c1e-2f7a-4a53-9d3e-0b6a8f1f2a11",
                       "creationTimestamp": "2027-01-15T10:00:00Z",
                       "labels": {"slipway.dev/job-name": "etl", "slipway.dev/index": "3", "slipway.dev/attempt": "0"}},
          "spec": {
            "restartPolicy": "\(restartPolicy)",
            \(nodeName.map { #""nodeName": "\#($0)","# } ?? "")
            "containers": [
              {"name": "main", "image": "python:3.12", "terminationMessagePolicy": "FallbackToLogsOnError",
               "resources": {"requests": {"memory": "512Mi", "cpu": "500m"}\(limits)}},
              {"name": "sidecar", "image": "busybox:1.36"}
            ]
          },
          "status": {
            "phase": "\(phase)",
            \(reason.map { #""reason": "\#($0)","# } ?? "")
            \(message.map { #""message": \#(quoted($0)),"# } ?? "")
            "conditions": [\(conditions.joined(separator: ", "))],
            "startTime": "2027-01-15T10:00:01Z",
            "initContainerStatuses": \(initStatuses),
            "containerStatuses": [
              {"name": "main", "ready": false, "restartCount": \(restartCount), "image": "python:3.12",
               "state": \(state), "lastState": \(lastState)}
            ]
          }
        }
        """
        guard let value = try? JSON.parse(text), let pod = Pod(json: value) else {
            fatalError("fixture pod does not parse:\n\(text)")
        }
        return pod
    }

    /// A `terminated` state JSON.
    static func terminated(_ exitCode: Int, reason: String, message: String? = nil) -> String {
        let text = message.map { #", "message": \#(quoted($0))"# } ?? ""
        return #"{"terminated": {"exitCode": \#(exitCode), "reason": "\#(reason)", "startedAt": "2027-01-15T10:00:05Z", "finishedAt": "2027-01-15T10:03:00Z"\#(text)}}"#
    }

    /// A `waiting` state JSON.
    static func waiting(_ reason: String, message: String? = nil) -> String {
        let text = message.map { #", "message": \#(quoted($0))"# } ?? ""
        return #"{"waiting": {"reason": "\#(reason)"\#(text)}}"#
    }

    static let running = #"{"running": {"startedAt": "2027-01-15T10:00:05Z"}}"#

    /// A pod condition JSON.
    static func condition(_ type: String, _ status: String, reason: String? = nil, message: String? = nil) -> String {
        let reasonText = reason.map { #", "reason": "\#($0)""# } ?? ""
        let messageText = message.map { #", "message": \#(quoted($0))"# } ?? ""
        return #"{"type": "\#(type)", "status": "\#(status)", "lastTransitionTime": "2027-01-15T10:00:00Z"\#(reasonText)\#(messageText)}"#
    }

    static func quoted(_ text: String) -> String { JSON.string(.string(text)) }
}
