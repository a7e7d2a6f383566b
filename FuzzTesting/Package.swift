// swift-tools-version: 6.1
// libFuzzer executables for Slipway's parser harnesses (docs/fuzzing.md). Build and run with
// scripts/fuzz.sh, which passes -sanitize=fuzzer; the harnesses themselves live in the main
// package's FuzzHarnesses target, where FuzzCorpusTests replays the seeds in CI.
import PackageDescription

let targets = [
    "json", "quantity", "selectors", "jsonpatch", "mergepatch", "strategicpatch", "apply", "protobuf", "kubeconfig", "cron", "cel",
]

let package = Package(
    name: "FuzzTesting",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "slipway", path: "..")],
    targets: targets.map { name in
        .executableTarget(
            name: "Fuzz\(name.prefix(1).uppercased())\(name.dropFirst())",
            dependencies: [.product(name: "FuzzHarnesses", package: "slipway")],
            path: "Sources/\(name)"
        )
    },
    swiftLanguageModes: [.v6]
)
