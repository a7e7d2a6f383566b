import Foundation
import KubeAPI

/// `printPod` of the kube printers: READY, STATUS (the reason kubectl shows: phase,
/// `Init:…`, a container's waiting or terminated reason such as `ContainerCreating`,
/// `ErrImagePull`, `ImagePullBackOff`, `CrashLoopBackOff`, `OOMKilled`, `Error`,
/// `Completed`, `ExitCode:N`, then `Terminating`), RESTARTS (`2 (5m ago)`), AGE and the
/// wide columns. Pods that ended get the row condition `Completed`.
public enum PodPrinter {
    /// The STATUS column of a pod.
    public static func status(_ pod: JSONValue) -> String { summary(pod, now: Date()).reason }

    static func cells(_ pod: JSONValue, now: Date) -> BuiltinTables.Cells {
        let s = summary(pod, now: now)
        var restarts = "\(s.restarts)"
        if s.restarts != 0, let last = s.lastRestart { restarts += " (\(HumanDuration.string(now.timeIntervalSince(last))) ago)" }
        let status = pod["status"]
        let ip = status?["podIPs"]?.arrayValue?.first?["ip"]?.stringValue ?? status?["podIP"]?.stringValue ?? ""
        let cells: [JSONValue] = [
            .string(pod["metadata"]?["name"]?.stringValue ?? ""), .string("\(s.ready)/\(s.total)"), .string(s.reason),
            .string(restarts), .string(HumanDuration.since(pod["metadata"]?["creationTimestamp"]?.stringValue, now: now)),
            .string(ip.isEmpty ? "<none>" : ip), .string(nonEmpty(pod["spec"]?["nodeName"]?.stringValue)),
            .string(nonEmpty(status?["nominatedNodeName"]?.stringValue)), .string(readinessGates(pod)),
        ]
        let conditions: JSONValue? = switch status?["phase"]?.stringValue {
        case "Succeeded": [["type": "Completed", "status": "True", "reason": "Succeeded", "message": "The pod has completed successfully."]]
        case "Failed": [["type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed."]]
        default: nil
        }
        return (cells, conditions)
    }

    struct Summary {
        var reason: String
        var ready = 0
        var total = 0
        var restarts = 0
        var lastRestart: Date?
    }

    static func summary(_ pod: JSONValue, now: Date) -> Summary {
        let status = pod["status"]
        let phase = status?["phase"]?.stringValue ?? ""
        var s = Summary(reason: nonEmptyOr(status?["reason"]?.stringValue, phase))
        let conditions = status?["conditions"]?.arrayValue ?? []
        if conditions.contains(where: { $0["type"]?.stringValue == "PodScheduled" && $0["reason"]?.stringValue == "SchedulingGated" }) {
            s.reason = "SchedulingGated"
        }
        let initSpecs = pod["spec"]?["initContainers"]?.arrayValue ?? []
        let sidecars = Set(initSpecs.filter { $0["restartPolicy"]?.stringValue == "Always" }.compactMap { $0["name"]?.stringValue })
        s.total = (pod["spec"]?["containers"]?.arrayValue?.count ?? 0) + sidecars.count
        let initializing = initContainers(status, specCount: initSpecs.count, sidecars: sidecars, into: &s)
        let initialized = conditions.contains { $0["type"]?.stringValue == "Initialized" && $0["status"]?.stringValue == "True" }
        if !initializing || initialized { containers(status, conditions: conditions, into: &s) }
        let deleting = pod["metadata"]?["deletionTimestamp"].map { !$0.isNull } ?? false
        if deleting && status?["reason"]?.stringValue == "NodeLost" {
            s.reason = "Unknown"
        } else if deleting && phase != "Succeeded" && phase != "Failed" {
            s.reason = "Terminating"
        }
        return s
    }

    /// The init-container pass; true while the pod is still initializing.
    private static func initContainers(_ status: JSONValue?, specCount: Int, sidecars: Set<String>, into s: inout Summary) -> Bool {
        var sidecarRestarts = 0
        var sidecarLast: Date?
        var initializing = false
        for (i, c) in (status?["initContainerStatuses"]?.arrayValue ?? []).enumerated() {
            let restarts = c["restartCount"]?.numberValue?.int ?? 0
            let isSidecar = sidecars.contains(c["name"]?.stringValue ?? "")
            s.restarts += restarts
            s.lastRestart = later(s.lastRestart, finishedAt(c))
            if isSidecar {
                sidecarRestarts += restarts
                sidecarLast = later(sidecarLast, finishedAt(c))
            }
            let terminated = c["state"]?["terminated"]
            let waitingReason = c["state"]?["waiting"]?["reason"]?.stringValue ?? ""
            if let terminated, terminated["exitCode"]?.numberValue?.int == 0 { continue }
            if isSidecar && c["started"]?.boolValue == true {
                if c["ready"]?.boolValue == true { s.ready += 1 }
                continue
            }
            if let terminated {
                s.reason = "Init:" + terminatedReason(terminated)
            } else if !waitingReason.isEmpty && waitingReason != "PodInitializing" {
                s.reason = "Init:" + waitingReason
            } else {
                s.reason = "Init:\(i)/\(specCount)"
            }
            initializing = true
            break
        }
        if !initializing {
            s.restarts = sidecarRestarts
            s.lastRestart = sidecarLast
        }
        return initializing
    }

    private static func containers(_ status: JSONValue?, conditions: [JSONValue], into s: inout Summary) {
        var hasRunning = false
        for c in (status?["containerStatuses"]?.arrayValue ?? []).reversed() {
            s.restarts += c["restartCount"]?.numberValue?.int ?? 0
            s.lastRestart = later(s.lastRestart, finishedAt(c))
            let state = c["state"]
            if let waiting = state?["waiting"]?["reason"]?.stringValue, !waiting.isEmpty {
                s.reason = waiting
            } else if let terminated = state?["terminated"], terminated.objectValue != nil {
                s.reason = terminatedReason(terminated)
            } else if c["ready"]?.boolValue == true, state?["running"]?.objectValue != nil {
                hasRunning = true
                s.ready += 1
            }
        }
        if s.reason == "Completed" && hasRunning {
            let ready = conditions.contains { $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True" }
            s.reason = ready ? "Running" : "NotReady"
        }
    }

    /// A terminated state's reason, else `Signal:N` or `ExitCode:N`.
    private static func terminatedReason(_ terminated: JSONValue) -> String {
        if let reason = terminated["reason"]?.stringValue, !reason.isEmpty { return reason }
        if let signal = terminated["signal"]?.numberValue?.int, signal != 0 { return "Signal:\(signal)" }
        return "ExitCode:\(terminated["exitCode"]?.numberValue?.int ?? 0)"
    }

    private static func finishedAt(_ c: JSONValue) -> Date? {
        c["lastState"]?["terminated"]?["finishedAt"]?.stringValue.flatMap(HumanDuration.parseTimestamp)
    }

    private static func later(_ a: Date?, _ b: Date?) -> Date? {
        guard let b else { return a }
        guard let a else { return b }
        return max(a, b)
    }

    private static func readinessGates(_ pod: JSONValue) -> String {
        let gates = pod["spec"]?["readinessGates"]?.arrayValue ?? []
        guard !gates.isEmpty else { return "<none>" }
        let conditions = pod["status"]?["conditions"]?.arrayValue ?? []
        let passing = gates.filter { gate in
            conditions.first { $0["type"] == gate["conditionType"] }?["status"]?.stringValue == "True"
        }.count
        return "\(passing)/\(gates.count)"
    }

    private static func nonEmpty(_ text: String?) -> String { nonEmptyOr(text, "<none>") }
    private static func nonEmptyOr(_ text: String?, _ fallback: String) -> String {
        guard let text, !text.isEmpty else { return fallback }
        return text
    }
}
