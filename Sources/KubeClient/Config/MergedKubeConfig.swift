import Foundation

/// The kubeconfig files selected by kubectl's loading rules, merged the way kubectl merges
/// them: for clusters, users and contexts the first file to define a name wins (entries
/// are never merged field by field), and the first non-empty `current-context` wins.
///
/// Relative file references (`certificate-authority`, `client-certificate`, `client-key`,
/// `tokenFile`, and an exec `command` containing a `/`) are already resolved against the
/// directory of the file that defined the entry.
public struct MergedKubeConfig: Sendable, Hashable {
    /// A merged entry and the file it came from.
    public struct Entry<Value: Sendable & Hashable>: Sendable, Hashable {
        public var value: Value
        /// Absolute path of the defining file.
        public var file: String
        public init(value: Value, file: String) {
            self.value = value
            self.file = file
        }
    }

    /// Every path the loading rules considered, in precedence order (including missing ones).
    public var searched: [String]
    /// The files actually read, in precedence order.
    public var files: [String]
    public var clusters: [String: Entry<KubeConfig.Cluster>] = [:]
    public var users: [String: Entry<KubeConfig.User>] = [:]
    public var contexts: [String: Entry<KubeConfig.Context>] = [:]
    /// The first non-empty `current-context`.
    public var currentContext: String?

    /// Merges parsed files given in precedence order (`path` is the file each came from).
    public init(files: [(path: String, config: KubeConfig)], searched: [String]? = nil) {
        self.files = files.map { Self.absolute($0.path) }
        self.searched = searched ?? self.files
        for (path, config) in files {
            let file = Self.absolute(path)
            let resolved = config.resolvingPaths(relativeTo: (file as NSString).deletingLastPathComponent)
            for c in resolved.clusters where clusters[c.name] == nil { clusters[c.name] = Entry(value: c.cluster, file: file) }
            for u in resolved.users where users[u.name] == nil { users[u.name] = Entry(value: u.user, file: file) }
            for c in resolved.contexts where contexts[c.name] == nil { contexts[c.name] = Entry(value: c.context, file: file) }
            if currentContext == nil, let current = config.currentContext, !current.isEmpty { currentContext = current }
        }
    }

    /// True when no file contributed anything (no files, or only empty ones).
    public var isEmpty: Bool {
        clusters.isEmpty && users.isEmpty && contexts.isEmpty && currentContext == nil
    }

    // MARK: - Loading rules

    /// The files kubectl would read, in precedence order, and whether they must exist:
    /// an explicit path (`--kubeconfig`) alone and required; else each entry of
    /// `$KUBECONFIG` (split on ":", empty entries and duplicates dropped); else
    /// `$HOME/.kube/config`.
    public static func loadingPaths(explicitPath: String?, environment: [String: String]) -> (paths: [String], mustExist: Bool) {
        if let explicitPath, !explicitPath.isEmpty { return ([explicitPath], true) }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            let paths = list.split(separator: ":", omittingEmptySubsequences: true).map(String.init)
                .filter { seen.insert($0).inserted }
            return (paths, false)
        }
        if let home = environment["HOME"], !home.isEmpty {
            return ([(home as NSString).appendingPathComponent(".kube/config")], false)
        }
        return ([], false)
    }

    /// Reads and merges the files selected by `loadingPaths`. Missing files are skipped,
    /// except an explicit path; unreadable or malformed files are errors naming the file.
    public static func load(explicitPath: String? = nil, environment: [String: String]) throws -> MergedKubeConfig {
        let (paths, mustExist) = loadingPaths(explicitPath: explicitPath, environment: environment)
        var loaded: [(path: String, config: KubeConfig)] = []
        for path in paths {
            guard let config = try read(path: path, mustExist: mustExist) else { continue }
            loaded.append((path, config))
        }
        return MergedKubeConfig(files: loaded, searched: paths.map(absolute))
    }

    /// Parses one file; nil when it does not exist and need not.
    static func read(path: String, mustExist: Bool) throws -> KubeConfig? {
        let file = absolute(path)
        guard FileManager.default.fileExists(atPath: file) else {
            if mustExist { throw KubeConfigError.fileNotFound(path: file) }
            return nil
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw KubeConfigError.unreadableFile(path: file, reason: Self.reason(error))
        }
        do {
            return try KubeConfig(yaml: String(decoding: data, as: UTF8.self))
        } catch {
            throw KubeConfigError.malformedFile(path: file, reason: Self.reason(error))
        }
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// A short, user-facing reason for a Foundation or decoding error.
    static func reason(_ error: any Error) -> String {
        func at(_ path: [any CodingKey]) -> String {
            var text = ""
            for key in path {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text.isEmpty ? "" : " at " + text
        }
        switch error {
        case DecodingError.keyNotFound(let key, let ctx):
            return "missing field \"\(key.stringValue)\"\(at(ctx.codingPath))"
        case DecodingError.typeMismatch(let type, let ctx):
            return "expected \(type)\(at(ctx.codingPath)): \(ctx.debugDescription)"
        case DecodingError.valueNotFound(let type, let ctx):
            return "missing value of type \(type)\(at(ctx.codingPath))"
        case DecodingError.dataCorrupted(let ctx):
            return "\(ctx.debugDescription)\(at(ctx.codingPath))"
        case let error as CocoaError:
            return (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.localizedDescription ?? error.localizedDescription
        default:
            return String(describing: error)
        }
    }
}

// MARK: - Relative paths

extension KubeConfig {
    /// This config with relative file references made absolute against `directory`,
    /// as kubectl does for each file it loads.
    public func resolvingPaths(relativeTo directory: String) -> KubeConfig {
        var copy = self
        for i in copy.clusters.indices {
            copy.clusters[i].cluster.certificateAuthority = Self.resolve(copy.clusters[i].cluster.certificateAuthority, directory)
        }
        for i in copy.users.indices {
            var user = copy.users[i].user
            user.clientCertificate = Self.resolve(user.clientCertificate, directory)
            user.clientKey = Self.resolve(user.clientKey, directory)
            user.tokenFile = Self.resolve(user.tokenFile, directory)
            if let command = user.exec?.command, command.contains("/"), !command.hasPrefix("/") {
                user.exec?.command = Self.resolve(command, directory) ?? command
            }
            copy.users[i].user = user
        }
        return copy
    }

    private static func resolve(_ path: String?, _ directory: String) -> String? {
        guard let path, !path.isEmpty, !path.hasPrefix("/") else { return path }
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).standardizedFileURL.path
    }
}
