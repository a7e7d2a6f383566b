// swift-tools-version:5.3
// libFuzzer executables for Slipway's parser harnesses (docs/fuzzing.md). Build and run with
// scripts/fuzz.sh, which passes -sanitize=fuzzer -parse-as-library; the harnesses themselves
// live in the main package's FuzzHarnesses target, where FuzzCorpusTests replays the seeds.
//
// Tools version 5.3 on purpose (as swift-protobuf's FuzzTesting/): from 5.5 on, SwiftPM links an
// executable target with `--defsym main=<Target>_main` for testable executables, which a
// library-mode entry point (libFuzzer's own main) does not define.
import PackageDescription

let targets = [
    "json", "quantity", "selectors", "jsonpatch", "mergepatch", "strategicpatch", "apply", "protobuf", "kubeconfig", "cron", "cel",
]

let package = Package(
    name: "FuzzTesting",
    dependencies: [.package(name: "slipway", path: "..")],
    targets: targets.map { name in
        .target(
            name: "Fuzz\(name.prefix(1).uppercased())\(name.dropFirst())",
            dependencies: [.product(name: "FuzzHarnesses", package: "slipway")],
            path: "Sources/\(name)"
        )
    }
)
