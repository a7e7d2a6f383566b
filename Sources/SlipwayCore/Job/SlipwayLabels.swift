import KubeAPI

/// Names, labels and annotations Slipway puts on the objects it creates.
public enum SlipwayLabels {
    /// A BatchJob's name on its pods.
    public static let jobName = "slipway.dev/job-name"
    public static let jobUID = "slipway.dev/job-uid"
    public static let index = "slipway.dev/index"
    public static let attempt = "slipway.dev/attempt"
    public static let arrayIndexAnnotation = "slipway.dev/array-index"
    /// When the attempt was launched (RFC 3339, whole seconds), on its pod: a decision that
    /// finds the pod before status records the launch records this time (the same one a
    /// SparkJob's `spark.app.submitTime` was rendered with).
    public static let launchedAtAnnotation = "slipway.dev/launched-at"
    /// Keeps a finished pod (and its exit code) until its attempt is recorded in status.
    public static let recordFinalizer = "slipway.dev/attempt-record"

    /// `<job>-<index>-<attempt>`; for a job name so long that this passes 253 characters,
    /// the name is cut and hashed (``BoundedName``), so every valid job name gives valid,
    /// distinct pod names.
    public static func podName(job: String, index: Int, attempt: Int) -> String {
        BoundedName.fit(job, suffix: "-\(index)-\(attempt)", maxLength: BoundedName.nameMaxLength)
    }

    /// The `slipway.dev/job-name` value for `job`: the name itself, or cut and hashed when it
    /// is longer than a label value may be (63).
    public static func jobNameValue(_ job: String) -> String { BoundedName.labelValue(job) }
}
