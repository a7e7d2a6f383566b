import Foundation
import KubeAPI
import SlipwayAPI

/// The names and ids of one attempt of a SparkJob. Deterministic (from the job's name,
/// UID and the attempt number), so a repeated submit can only meet its own objects — where
/// spark-submit draws random suffixes, Slipway derives them in the same shapes.
public struct SparkNames: Sendable, Hashable {
    /// `<job>-<attempt>`: the driver pod is `<prefix>-driver`, executors `<prefix>-exec-<n>`.
    public var resourcePrefix: String
    public var driverPod: String
    /// `<prefix>-driver-svc`, or `spark-<hex>-driver-svc` when that is no DNS-1035 label of
    /// at most 63 characters (as Spark falls back).
    public var service: String
    /// `spark-drv-<16 hex>-conf-map`, as spark-submit names it.
    public var configMap: String
    /// `spark-<32 hex>`.
    public var appId: String
    /// `spark-<uuid>`: the local directory under /var/data.
    public var localDir: String

    public init(job: String, uid: String, attempt: Int) {
        let hex = Self.hex(uid)
        let attemptHex = String(format: "%04x", attempt & 0xffff)
        // The prefix names the executors too, so it keeps the room Spark demands of an
        // executor pod name prefix (237: "-exec-<int>" within 253); a longer job name is cut
        // and hashed, so two long names never share a prefix.
        resourcePrefix = BoundedName.fit(job, suffix: "-\(attempt)", maxLength: BoundedName.nameMaxLength - 16)
        driverPod = "\(resourcePrefix)-driver"
        let short = String(hex.prefix(12)) + attemptHex
        let preferred = "\(resourcePrefix)-driver-svc"
        service = Self.isDNSLabel(preferred) ? preferred : "spark-\(short)-driver-svc"
        configMap = "spark-drv-\(short)-conf-map"
        appId = "spark-" + String(hex.prefix(28)) + attemptHex
        let u = Array(hex)
        let part: (Int, Int) -> String = { String(u[$0..<$1]) }
        localDir = "spark-\(part(0, 8))-\(part(8, 12))-\(part(12, 16))-\(part(16, 20))-\(part(20, 32))"
    }

    /// 32 lower-case hex digits from a UID (padded when it is not a UUID).
    static func hex(_ uid: String) -> String {
        let digits = uid.lowercased().filter { $0.isHexDigit }
        return String((digits + String(repeating: "0", count: 32)).prefix(32))
    }

    static func isDNSLabel(_ name: String) -> Bool {
        name.count <= 63 && name.range(of: "^[a-z]([-a-z0-9]*[a-z0-9])?$", options: .regularExpression) != nil
    }
}

/// Labels Slipway puts on a SparkJob's driver pods (executors carry Spark's own labels).
public enum SparkLabels {
    /// The SparkJob's name (a label of its own, so BatchJob's caches never see Spark pods).
    public static let jobName = "slipway.dev/sparkjob-name"
    public static let attempt = SlipwayLabels.attempt
    /// Spark's labels (set by spark-submit and the driver).
    public static let appSelector = "spark-app-selector"
    public static let role = "spark-role"
    public static let executorID = "spark-exec-id"
    /// The container spark-submit names for the driver.
    public static let driverContainer = "spark-kubernetes-driver"
    /// The container Spark names for executors.
    public static let executorContainer = "spark-kubernetes-executor"
}
