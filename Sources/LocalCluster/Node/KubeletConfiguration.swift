import Foundation
import Synchronization

/// Settings of the local kubelet.
public struct KubeletConfiguration: Sendable {
    /// Image names that fail to pull (`ErrImagePull`, then `ImagePullBackOff`; the container
    /// never runs). Default: names containing `does-not-exist` or starting with `invalid/`.
    public var isFailingImage: @Sendable (String) -> Bool
    /// The first crash-loop back-off; it doubles per restart up to ``maximumBackOff``.
    public var initialBackOff: Duration
    /// The longest crash-loop back-off (the kubelet's is 5 minutes).
    public var maximumBackOff: Duration
    /// How long a failing image stays `ErrImagePull` before `ImagePullBackOff`.
    public var imagePullBackOff: Duration
    /// How often the memory watchdog samples process trees.
    public var memoryPollInterval: Duration
    /// The shortest grace period between SIGTERM and SIGKILL (the kubelet's is 2 s).
    public var minimumGracePeriod: Duration
    /// How often nodes post their status (lastHeartbeatTime).
    public var heartbeatInterval: Duration
    /// Commands standing in for image entrypoints: a container without `command` whose image
    /// starts with a key runs the value followed by its `args` (longest key wins).
    public var entrypoints: [String: [String]]
    /// Real Spark for Spark images (nil: they run as any image, or with an entrypoint from
    /// ``entrypoints`` such as the ``SparkStandIn``).
    public var spark: SparkRuntime?
    /// How pods reach the API server, once it listens (in-cluster configuration).
    public let apiAccess = APIAccessBox()

    public init(
        isFailingImage: @escaping @Sendable (String) -> Bool = { $0.contains("does-not-exist") || $0.hasPrefix("invalid/") },
        initialBackOff: Duration = .seconds(10), maximumBackOff: Duration = .seconds(300),
        imagePullBackOff: Duration = .seconds(1), memoryPollInterval: Duration = .milliseconds(100),
        minimumGracePeriod: Duration = .seconds(2), heartbeatInterval: Duration = .seconds(60), entrypoints: [String: [String]] = [:],
        spark: SparkRuntime? = nil
    ) {
        self.entrypoints = entrypoints
        self.spark = spark
        self.isFailingImage = isFailingImage
        self.initialBackOff = initialBackOff
        self.maximumBackOff = maximumBackOff
        self.imagePullBackOff = imagePullBackOff
        self.memoryPollInterval = memoryPollInterval
        self.minimumGracePeriod = minimumGracePeriod
        self.heartbeatInterval = heartbeatInterval
    }
}

extension KubeletConfiguration {
    /// The entrypoint standing in for `image`'s, if one is configured.
    func entrypoint(for image: String?) -> [String]? {
        guard let image else { return nil }
        return entrypoints.filter { image.hasPrefix($0.key) }.max { $0.key.count < $1.key.count }?.value
    }
}

/// What a pod needs to reach the API server the way in-cluster clients do: the
/// `KUBERNETES_SERVICE_HOST`/`_PORT` variables and the service-account files (token,
/// ca.crt, namespace) under `$SLIPWAY_POD_ROOT/var/run/secrets/kubernetes.io/serviceaccount`.
public struct APIAccess: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var token: String
    public var caPEM: String

    public init(host: String, port: Int, token: String, caPEM: String) {
        self.host = host
        self.port = port
        self.token = token
        self.caPEM = caPEM
    }

    /// The service-account directory inside a pod's root.
    public static let serviceAccountPath = "var/run/secrets/kubernetes.io/serviceaccount"
}

/// Set once the API server listens (its port may be chosen at start).
public final class APIAccessBox: Sendable {
    private let value = Mutex<APIAccess?>(nil)
    public init() {}
    public var access: APIAccess? {
        get { value.withLock { $0 } }
    }
    public func set(_ access: APIAccess?) { value.withLock { $0 = access } }
}

/// The container runs in progress (`<uid>/<container>`), readable from any thread: a log
/// follower stops once its container is no longer in the set.
final class RunningContainers: Sendable {
    private let keys = Mutex<Set<String>>([])

    static func key(uid: String, container: String) -> String { "\(uid)/\(container)" }

    func insert(_ key: String) { _ = keys.withLock { $0.insert(key) } }
    func remove(_ key: String) { _ = keys.withLock { $0.remove(key) } }
    func contains(_ key: String) -> Bool { keys.withLock { $0.contains(key) } }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
