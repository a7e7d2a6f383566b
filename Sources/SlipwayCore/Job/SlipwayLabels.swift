/// Names, labels and annotations Slipway puts on the objects it creates.
public enum SlipwayLabels {
    /// A BatchJob's name on its pods.
    public static let jobName = "slipway.dev/job-name"
    public static let jobUID = "slipway.dev/job-uid"
    public static let index = "slipway.dev/index"
    public static let attempt = "slipway.dev/attempt"
    public static let arrayIndexAnnotation = "slipway.dev/array-index"
    /// Keeps a finished pod (and its exit code) until its attempt is recorded in status.
    public static let recordFinalizer = "slipway.dev/attempt-record"

    /// `<job>-<index>-<attempt>`.
    public static func podName(job: String, index: Int, attempt: Int) -> String { "\(job)-\(index)-\(attempt)" }
}
