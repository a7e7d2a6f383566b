import KubeAPI

/// What `GET /version` reports. The minor version decides which kubectl the gcloud
/// dispatcher runs (README K of the wire reference), so it defaults to the reference
/// server's 1.36.
public struct ServerVersion: Sendable, Hashable {
    /// Major version (`"1"`).
    public var major: String
    /// Minor version (`"36"`); kubectl's gcloud dispatcher picks its binary from it.
    public var minor: String
    /// Full version string (`v1.36.0-slipway`).
    public var gitVersion: String
    /// Source commit (40 hex digits).
    public var gitCommit: String
    /// RFC 3339 build time.
    public var buildDate: String
    /// `os/arch`, such as `linux/amd64`.
    public var platform: String

    /// A version. `gitVersion` defaults to `v{major}.{minor}.0-slipway`.
    public init(
        major: String = "1", minor: String = "36", gitVersion: String? = nil,
        gitCommit: String = "0000000000000000000000000000000000000000",
        buildDate: String = "2026-01-01T00:00:00Z", platform: String = ServerVersion.hostPlatform
    ) {
        self.major = major
        self.minor = minor
        self.gitVersion = gitVersion ?? "v\(major).\(minor).0-slipway"
        self.gitCommit = gitCommit
        self.buildDate = buildDate
        self.platform = platform
    }

    /// The version served by default.
    public static let current = ServerVersion()

    /// `linux/amd64`, `darwin/arm64`, … for the machine this runs on.
    public static var hostPlatform: String {
        #if os(Linux)
        let os = "linux"
        #elseif os(macOS)
        let os = "darwin"
        #else
        let os = "unknown"
        #endif
        #if arch(x86_64)
        return "\(os)/amd64"
        #elseif arch(arm64)
        return "\(os)/arm64"
        #else
        return "\(os)/unknown"
        #endif
    }

    /// The `/version` body, with the fields of the real server in its order. The minimum
    /// compatibility version is one minor below, as for the real server.
    public var json: JSONValue {
        let minCompat = Int(minor).map { String(max($0 - 1, 0)) } ?? minor
        let fields: [(String, String)] = [
            ("major", major), ("minor", minor), ("emulationMajor", major), ("emulationMinor", minor),
            ("minCompatibilityMajor", major), ("minCompatibilityMinor", minCompat),
            ("gitVersion", gitVersion), ("gitCommit", gitCommit), ("gitTreeState", "clean"),
            ("buildDate", buildDate), ("goVersion", "swift6"), ("compiler", "swiftc"), ("platform", platform),
        ]
        var object = JSONObject()
        for (key, value) in fields { object[key] = .string(value) }
        return .object(object)
    }
}
