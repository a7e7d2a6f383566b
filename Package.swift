// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "slipway",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "KubeAPI", targets: ["KubeAPI"]),
        .library(name: "CEL", targets: ["CEL"]),
        .library(name: "KubeClient", targets: ["KubeClient"]),
        .library(name: "KubeRuntime", targets: ["KubeRuntime"]),
        .library(name: "KubeTesting", targets: ["KubeTesting"]),
        .library(name: "SlipwayDevTesting", targets: ["SlipwayDevTesting"]),
        .library(name: "LocalCluster", targets: ["LocalCluster"]),
        .library(name: "SlipwayAPI", targets: ["SlipwayAPI"]),
        .library(name: "SlipwayCore", targets: ["SlipwayCore"]),
        .library(name: "SlipwayControllers", targets: ["SlipwayControllers"]),
        .library(name: "SparkAnalysis", targets: ["SparkAnalysis"]),
        .library(name: "SlipwayWeb", targets: ["SlipwayWeb"]),
        .library(name: "FuzzHarnesses", targets: ["FuzzHarnesses"]),
        .executable(name: "slipway", targets: ["slipway"]),
        // The kubectl plugin (`kubectl slipway …`): kubectl runs any `kubectl-*` on PATH.
        .executable(name: "kubectl-slipway", targets: ["KubectlSlipway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The operator's /metrics, /healthz and /readyz servers (never LocalCluster's server).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .target(
            name: "KubeAPI",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")],
            swiftSettings: strict
        ),
        .target(name: "CEL", dependencies: ["KubeAPI"], swiftSettings: strict),
        .target(
            name: "KubeClient",
            dependencies: [
                "KubeAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "KubeRuntime",
            dependencies: [
                "KubeAPI", "KubeClient",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: strict
        ),
        // The test kits. KubeTesting: clocks, `eventually`, a process runner and scripted HTTP(S)
        // servers (on LocalCluster's HTTP server and CA) for client and runtime tests.
        // SlipwayDevTesting: `slipway dev` in-process, the embedded operator and kubectl.
        // Pure test targets (KubeAPITests, SlipwayCoreTests) import neither.
        .target(
            name: "KubeTesting",
            dependencies: [
                "KubeAPI", "KubeClient", "LocalCluster",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "SlipwayDevTesting",
            dependencies: ["KubeAPI", "KubeClient", "KubeTesting", "LocalCluster", "SlipwayAPI", "SlipwayControllers"],
            swiftSettings: strict
        ),
        .target(
            name: "LocalCluster",
            dependencies: [
                "KubeAPI", "CEL",
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // SparkAnalysis: the analysis thresholds a SparkJob may set, and the report its sidecar leaves.
        .target(name: "SlipwayAPI", dependencies: ["KubeAPI", "SparkAnalysis", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        .target(name: "SlipwayCore", dependencies: ["SlipwayAPI", "KubeAPI", "SparkAnalysis"], swiftSettings: strict),
        // Spark event logs → findings. Pure (no files, no clock), no dependency: the operator,
        // the CLI and the analysis sidecar link it alike.
        .target(name: "SparkAnalysis", swiftSettings: strict),
        // The event log on disk: finding its files, reading and following them (IO at the edge).
        .target(name: "SparkAnalysisFiles", dependencies: ["SparkAnalysis"], swiftSettings: strict),
        // glibc's malloc_trim for HeapTrimmer (malloc.h is not in Swift's Glibc module).
        .target(name: "CHeap"),
        .target(
            name: "SlipwayControllers",
            dependencies: [
                "SlipwayCore", "SlipwayAPI", "KubeAPI", "KubeClient", "KubeRuntime", "CHeap",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                // The job-event sink's HTTP client (JobEventSink).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "slipway",
            dependencies: [
                "KubeAPI", "KubeClient", "KubeRuntime", "LocalCluster", "SlipwayAPI", "SlipwayCore", "SlipwayControllers",
                "SparkAnalysis", "SparkAnalysisFiles", "SlipwayWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // What `kubectl slipway` shows and which pod it picks, from decoded objects: pure (no
        // client, no clock), so its tests are tables.
        .target(name: "SlipwayPlugin", dependencies: ["KubeAPI", "SlipwayAPI", "SlipwayCore"], swiftSettings: strict),
        .executableTarget(
            name: "KubectlSlipway",
            dependencies: [
                "KubeAPI", "KubeClient", "SlipwayAPI", "SlipwayCore", "SlipwayPlugin",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // The web view's pages (docs/web.md): model → HTML, pure; the server is the executable's.
        .target(name: "SlipwayWeb", dependencies: ["KubeAPI", "SlipwayAPI", "SlipwayCore", "SlipwayPlugin"], swiftSettings: strict),
        // libFuzzer-ready harnesses for every hand-written parser (docs/fuzzing.md); FuzzTesting/
        // wraps each in an executable, FuzzHarnessTests replays the committed seeds.
        .target(
            name: "FuzzHarnesses",
            dependencies: ["KubeAPI", "CEL", "KubeClient", "LocalCluster", "SlipwayAPI", "SlipwayCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .testTarget(name: "FuzzHarnessTests", dependencies: ["FuzzHarnesses", "LocalCluster"], swiftSettings: strict),
        .testTarget(name: "SlipwayWebTests", dependencies: ["SlipwayWeb", "SlipwayAPI", "SlipwayCore", "KubeAPI"], swiftSettings: strict),
        .testTarget(name: "SlipwayPluginTests", dependencies: ["SlipwayPlugin", "SlipwayAPI", "SlipwayCore", "KubeAPI"], swiftSettings: strict),
        .testTarget(
            name: "CELTests",
            dependencies: ["CEL", "KubeAPI", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strict
        ),
        .testTarget(name: "KubeAPITests", dependencies: ["KubeAPI"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "KubeTesting"], swiftSettings: strict),
        .testTarget(name: "KubeRuntimeTests", dependencies: ["KubeRuntime", "KubeTesting"], swiftSettings: strict),
        .testTarget(name: "SlipwayAPITests", dependencies: ["SlipwayAPI", "LocalCluster", "CEL"], swiftSettings: strict),
        .testTarget(name: "SlipwayCoreTests", dependencies: ["SlipwayCore", "SlipwayAPI", "KubeAPI", "SparkAnalysis"], swiftSettings: strict),
        .testTarget(
            name: "SparkAnalysisTests", dependencies: ["SparkAnalysis", "SparkAnalysisFiles"],
            resources: [.copy("Fixtures")], swiftSettings: strict
        ),
        .testTarget(
            name: "DeploymentTests",
            dependencies: [
                "KubeTesting", "SlipwayDevTesting", "SlipwayAPI", "SlipwayControllers", "KubeClient", "KubeRuntime", "LocalCluster",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "OperatorTests",
            dependencies: ["SlipwayControllers", "SlipwayAPI", "KubeAPI", "KubeClient", "KubeRuntime", "KubeTesting", "SlipwayDevTesting", "LocalCluster"],
            swiftSettings: strict
        ),
        .testTarget(name: "LocalClusterTests", dependencies: ["LocalCluster", "KubeClient", "KubeRuntime", "KubeTesting", "SlipwayDevTesting", "SlipwayAPI", "SlipwayControllers"], swiftSettings: strict),
        // The real kubectl against `slipway dev` (with the operator in-process), as users type it.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "KubeAPI", "KubeClient", "KubeRuntime", "KubeTesting", "LocalCluster", "SlipwayAPI", "SlipwayControllers",
                "SlipwayDevTesting",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConformanceTests",
            dependencies: [
                "KubeAPI", "LocalCluster", "KubeTesting", "SlipwayDevTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            exclude: ["KnownDifferences"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RealSparkTests",
            dependencies: ["LocalCluster", "KubeTesting", "SlipwayDevTesting", "SlipwayControllers", "KubeAPI"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
