import ArgumentParser
import Foundation
import SlipwayAPI

/// `slipway crds`: writes the CustomResourceDefinitions generated from the Swift types into
/// `crds/`, or with `--check` tells whether the files there are out of date.
struct Crds: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate the CustomResourceDefinitions (crds/) from Slipway's Swift types.",
        discussion: "With --check nothing is written: the command fails and names each file that differs from what the code generates.")

    @Option(help: "The directory the CRD files are written to.")
    var outputDir = "crds"

    @Flag(help: "Only compare: exit non-zero if a file in the output directory differs.")
    var check = false

    func run() async throws {
        let directory = URL(fileURLWithPath: outputDir)
        let files = try CRDGenerator.files()
        if check {
            let stale = files.filter { file in
                let existing = try? String(contentsOf: directory.appendingPathComponent(file.name), encoding: .utf8)
                return existing != file.yaml
            }
            for file in stale { print("\(directory.appendingPathComponent(file.name).path) differs from the generated CRD") }
            guard stale.isEmpty else {
                print("run `swift run slipway crds` to regenerate")
                throw ExitCode.failure
            }
            print("\(files.count) CRD file(s) in \(directory.path) are up to date")
            return
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for file in files {
            let url = directory.appendingPathComponent(file.name)
            try Data(file.yaml.utf8).write(to: url, options: .atomic)
            print("wrote \(url.path)")
        }
    }
}
