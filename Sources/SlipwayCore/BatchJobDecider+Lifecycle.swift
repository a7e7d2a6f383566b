import Foundation
import KubeAPI
import SlipwayAPI

// MARK: - Invalid

extension DeciderRun {
    /// Every reason the job cannot run as written; nil when it can.
    func invalidReasons() -> [String]? {
        var problems = input.validationErrors
        if !input.dependencyCycle.isEmpty {
            let cycle = input.dependencyCycle + [input.dependencyCycle[0]]
            problems.append("spec.dependsOn forms a cycle: \(cycle.joined(separator: " → "))")
        }
        for dependency in spec.dependsOn where dependency.type == .nToN {
            guard let parent = input.dependencies[dependency.name], parent.phase != .missing,
                  parent.arraySize != spec.arraySize else { continue }
            problems.append("spec.dependsOn \(dependency.name) is NToN, but its arraySize \(parent.arraySize) differs from this job's \(spec.arraySize)")
        }
        if problems.isEmpty {
            do throws(PodRenderError) {
                _ = try PodRenderer.render(job: job, index: 0, attempt: 0, resources: nil, capacityLabel: input.configuration.capacityLabel)
            } catch {
                problems.append(error.description)
            }
        }
        return problems.isEmpty ? nil : problems
    }

    /// Invalid: no pods run; the condition carries every problem.
    mutating func markInvalid(_ problems: [String]) {
        let message = "spec is invalid: " + problems.joined(separator: "; ")
        if setCondition("Invalid", .true, reason: "InvalidSpec", message: message) { event(.warning, "Invalid", message) }
        stopAllPods()
        status.phase = .failed
    }

    /// A job that was Invalid and is valid again (its spec was fixed).
    mutating func clearInvalid() {
        guard condition("Invalid")?.status == .true else { return }
        setCondition("Invalid", .false, reason: "ValidSpec", message: "spec is valid")
    }

    /// Deletes every active pod and releases every pod: nothing of the job runs any more.
    mutating func stopAllPods() {
        for pod in pods {
            if pod.needsDeleting { deletePod(pod) }
            releasePod(pod)
        }
    }
}

// MARK: - Suspend, job-level failure, completion, TTL

extension DeciderRun {
    var isFinished: Bool { condition("Succeeded")?.status == .true || condition("Failed")?.status == .true }

    /// A finished job keeps nothing running and goes when its TTL has passed.
    mutating func finishedJob() {
        stopAllPods()
        status.phase = condition("Succeeded")?.status == .true ? .succeeded : .failed
        expireAfterTTL()
    }

    /// Active pods are deleted; their attempts are recorded, uncounted, so resuming starts the next.
    mutating func suspend() {
        for pod in activePods {
            recordSuspended(pod)
            deletePod(pod)
        }
        if setCondition("Suspended", .true, reason: "JobSuspended", message: "spec.suspend is true") {
            event(.normal, "Suspended", "Job suspended; active pods deleted")
        }
    }

    mutating func resume() {
        guard condition("Suspended")?.status == .true else { return }
        setCondition("Suspended", .false, reason: "JobResumed", message: "spec.suspend is false")
        event(.normal, "Resumed", "Job resumed")
    }

    /// A reason the whole job fails now: a failed parent or the total deadline.
    mutating func jobLevelFailure() -> (reason: String, message: String)? {
        for dependency in spec.dependsOn where input.dependencies[dependency.name]?.phase == .failed {
            return ("DependencyFailed", "\(dependency.kind) \(dependency.name) failed, so this job cannot run")
        }
        guard let seconds = spec.timeouts.totalSeconds, let start = status.startTime else { return nil }
        guard start.addingTimeInterval(TimeInterval(seconds)) <= now else { return nil }
        return ("DeadlineExceeded", "the job ran longer than timeouts.totalSeconds (\(seconds)s)")
    }

    mutating func failJob(reason: String, message: String) {
        if setCondition("Failed", .true, reason: reason, message: message) { event(.warning, "Failed", "Job failed: \(message)") }
        if status.completionTime == nil { status.completionTime = now }
        status.phase = .failed
        stopAllPods()
        expireAfterTTL()
    }

    /// Every index is done: Succeeded if none failed, else Failed naming the first failure.
    mutating func complete() {
        let total = table.size
        guard !table.failed.isEmpty else {
            let message = "all \(total) indexes succeeded"
            if setCondition("Succeeded", .true, reason: "AllIndexesSucceeded", message: message) { event(.normal, "Completed", "Job completed: \(message)") }
            if status.completionTime == nil { status.completionTime = now }
            status.phase = .succeeded
            stopAllPods()
            expireAfterTTL()
            return
        }
        let first = table.failed.ranges[0].lowerBound
        let why = table.states[first]?.lastFailure.map { "; index \(first): \($0)" } ?? ""
        failJob(reason: "IndexesFailed", message: "\(table.failed.count) of \(total) indexes failed (\(table.failed))\(why)")
    }

    /// `ttlSecondsAfterFinished`: delete the job once it passed, else look again then.
    mutating func expireAfterTTL() {
        guard let ttl = spec.ttlSecondsAfterFinished, let completion = status.completionTime else { return }
        let expiry = completion.addingTimeInterval(TimeInterval(ttl))
        if expiry <= now { deleteJob = true } else { wakeups.append(expiry) }
    }
}
