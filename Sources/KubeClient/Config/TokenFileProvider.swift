import Foundation

/// A bearer token read from a file that may be rewritten at any time — a projected
/// service-account token (rotated by the kubelet), or a kubeconfig `tokenFile`.
///
/// The file is re-read when its identity, size or modification time changes, and at
/// least every `refreshInterval` (60 s, as client-go) measured with the injected clock;
/// `invalidate()` (after a 401) forces a re-read. When a re-read fails but a token was
/// read before, that token keeps being served, as client-go does, until invalidated.
public actor TokenFileProvider: CredentialProvider {
    public nonisolated let path: String
    private let clock: any KubeClock
    private let refreshInterval: Duration

    private struct Snapshot: Equatable {
        var modified: Date?
        var size: Int?
        var fileNumber: Int?
    }
    private var token: String?
    private var readAt: Date?
    private var snapshot: Snapshot?

    public init(path: String, clock: any KubeClock = SystemClock(), refreshInterval: Duration = .seconds(60)) {
        self.path = path
        self.clock = clock
        self.refreshInterval = refreshInterval
    }

    public func credentials() async throws -> Credentials {
        if let token, let readAt, clock.now() < readAt + refreshInterval, currentSnapshot() == snapshot {
            return Credentials(bearerToken: token)
        }
        do {
            return Credentials(bearerToken: try reread())
        } catch {
            if let token { return Credentials(bearerToken: token) }
            throw error
        }
    }

    public func invalidate() async {
        token = nil
        readAt = nil
        snapshot = nil
    }

    private func reread() throws -> String {
        let before = currentSnapshot()
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw KubeConfigError.tokenFile(path: path, problem: "cannot be read: \(MergedKubeConfig.reason(error))")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw KubeConfigError.tokenFile(path: path, problem: "is empty") }
        token = text
        readAt = clock.now()
        snapshot = before
        return text
    }

    /// Follows symlinks, so the `..data` swap of a projected volume shows as a change.
    private func currentSnapshot() -> Snapshot? {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: target) else { return nil }
        return Snapshot(
            modified: attributes[.modificationDate] as? Date,
            size: (attributes[.size] as? NSNumber)?.intValue,
            fileNumber: (attributes[.systemFileNumber] as? NSNumber)?.intValue)
    }
}
