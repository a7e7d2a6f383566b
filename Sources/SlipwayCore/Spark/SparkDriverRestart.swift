import Foundation
import KubeAPI
import SlipwayAPI

/// A Spark driver that ran a second time in the same pod — its container was started again
/// after the node or the platform lost it — asks the API server for executor pods by the
/// names its first run already used (`<prefix>-exec-1`, …). The server answers 409
/// AlreadyExists, and the fabric8 client Spark uses (3.5: 6.x, 4.0: 7.x) throws
///
///     io.fabric8.kubernetes.client.KubernetesClientException: Failure executing: POST at:
///     https://…/api/v1/namespaces/<ns>/pods. Message: pods "<prefix>-exec-1" already exists.
///     Received status: Status(…, code=409, …, reason=AlreadyExists, …).
///
/// which `ExecutorPodsSnapshotsStoreImpl` logs ("Exception when notifying snapshot
/// subscriber." — plain text in 3.5, one JSON line in 4.0). A driver that then fails with
/// that in its log tail (its termination message under `FallbackToLogsOnError`) failed
/// because the platform ran it twice, not because of the user's application: the failure is
/// ``FailureClass/interrupted``, never charged to the job's attempts.
public enum SparkDriverRestart {
    /// Whether `text` (a termination message, a log tail) holds the 409 on an executor pod create.
    public static func executorsAlreadyExisted(in text: String) -> Bool {
        text.split(whereSeparator: \.isNewline).contains { line in
            line.contains("Failure executing: POST at: ") && line.contains("/pods. Message: pods ") && line.contains(" already exists")
        }
    }

    /// The driver's AppError as an interruption when its termination message shows the 409;
    /// any other classification unchanged.
    public static func reclassify(_ classification: Classification, driver: Pod) -> Classification {
        guard classification.failureClass == .appError else { return classification }
        let status = driver.status.containerStatuses.first { $0.name == SparkLabels.driverContainer } ?? driver.status.containerStatuses.first
        let message = status?.state.terminated?.message ?? status?.lastState.terminated?.message ?? ""
        guard executorsAlreadyExisted(in: message) else { return classification }
        var interrupted = classification
        interrupted.failureClass = .interrupted
        interrupted.reason = reason
        interrupted.reasons = classification.reasons + [reason]
        interrupted.evidence = "\(classification.evidence), after the API server answered 409 AlreadyExists to the driver's executor pod create: "
            + "the driver ran a second time in its pod"
        return interrupted
    }

    /// The reason an interrupted attempt records (and retry rules may match).
    public static let reason = "DriverRestarted"
}
