import Foundation
import KubeTesting
import SlipwayDevTesting
import Testing

@testable import LocalCluster

/// The node reads `spark.properties` as `java.util.Properties.load` does: checked on
/// examples, and on random texts against the real `Properties.load` of the installed JVM.
@Suite(.timeLimit(.minutes(2))) struct JavaPropertiesTests {
    @Test func readsWhatSparkSubmitWrites() {
        let text = #"""
            #Java properties built from Kubernetes config map with name: spark-drv-51fce0a202b521af-conf-map
            #Sun Nov 22 10:02:34 UTC 2026
            spark.master=k8s\://https\://127.0.0.1\:6443
            spark.submit.pyFiles=
            spark.kubernetes.container.image=apache/spark\:4.0.5
            spark.driver.extraJavaOptions=\ -Dx\=1 -Dy=2
            """#
        let entries = JavaProperties.parse(text)
        #expect(entries.map(\.key) == ["spark.master", "spark.submit.pyFiles", "spark.kubernetes.container.image", "spark.driver.extraJavaOptions"])
        #expect(entries[0].value == "k8s://https://127.0.0.1:6443")
        #expect(entries[1].value == "")
        #expect(entries[2].value == "apache/spark:4.0.5")
        #expect(entries[3].value == " -Dx=1 -Dy=2")
    }

    @Test(arguments: [
        ("a=1\na=2", ["a": "2"]),
        ("  key : value  ", ["key": "value  "]),
        ("key value", ["key": "value"]),
        ("key = = v", ["key": "= v"]),
        ("multi = one \\\n     two\\\r\n\tthree", ["multi": "one twothree"]),
        ("\\\n#not a key\nk=v", ["k": "v"]),
        ("a=1\\\n\nb=2", ["a": "1", "b": "2"]),
        ("\\\n", ["": ""]),
        ("# comment \\\nnext=1", ["next": "1"]),
        ("! bang\n\n\n x\\ y = \\u00e9\\t\\q", ["x y": "é\tq"]),
        ("emoji=\\uD83D\\uDE00", ["emoji": "😀"]),
        ("even=\\\\\\\\\nodd=1", ["even": "\\\\", "odd": "1"]),
        ("novalue", ["novalue": ""]),
        ("trailing=\\", ["trailing": ""]),
    ])
    func readsJavaSyntax(text: String, expected: [String: String]) {
        #expect(JavaProperties.dictionary(text) == expected)
    }

    /// Random texts from an alphabet of the format's special characters, read by the JVM and
    /// by the node: the same keys and values, every time.
    @Test func agreesWithTheJVMOnRandomTexts() async throws {
        var generator = SeededGenerator(seed: 0x5EED_1234)
        let alphabet: [String] = ["a", "b", "k", "=", ":", " ", "\t", "\u{0C}", "\\", "\\", "\n", "\r", "\r\n", "#", "!", "é", "\\u0041", "\\u00E9", "\\t", "\\n", "."]
        let texts = (0..<300).map { _ in
            (0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
        }
        let jvm = try await JVMProperties.load(texts)
        for (text, expected) in zip(texts, jvm) {
            #expect(JavaProperties.dictionary(text) == expected, "text: \(text.debugDescription)")
        }
    }
}

/// A deterministic random number generator: the store's seeded identifier generator's
/// SplitMix64 stream.
struct SeededGenerator: RandomNumberGenerator {
    var identifiers: SeededIdentifierGenerator
    init(seed: UInt64) { identifiers = SeededIdentifierGenerator(seed: seed) }
    mutating func next() -> UInt64 { identifiers.next() }
}

/// `java.util.Properties.load` of the installed JVM, run once over many texts (a Java
/// single-file program: texts separated by NUL in, hex-encoded entries out).
enum JVMProperties {
    static let program = """
        import java.io.*; import java.nio.charset.StandardCharsets; import java.nio.file.*; import java.util.*;
        public class Load {
            static String hex(String s) { StringBuilder b = new StringBuilder(); for (byte x : s.getBytes(StandardCharsets.UTF_8)) b.append(String.format("%02x", x)); return b.toString(); }
            public static void main(String[] args) throws Exception {
                String all = new String(Files.readAllBytes(Paths.get(args[0])), StandardCharsets.UTF_8);
                for (String text : all.split("\\u0000", -1)) {
                    Properties p = new Properties(); p.load(new StringReader(text));
                    StringBuilder line = new StringBuilder("case");
                    for (String k : p.stringPropertyNames()) line.append(' ').append(hex(k)).append(',').append(hex(p.getProperty(k)));
                    System.out.println(line);
                }
            }
        }
        """

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    static func load(_ texts: [String]) async throws -> [[String: String]] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-props-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try program.write(to: dir.appendingPathComponent("Load.java"), atomically: true, encoding: .utf8)
        try texts.joined(separator: "\u{0}").write(to: dir.appendingPathComponent("in"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["java", dir.appendingPathComponent("Load.java").path, dir.appendingPathComponent("in").path]
        let result = try await runToEnd(process, timeout: .seconds(90))
        guard result.status == 0 else { throw Failed(description: "java failed: \(result)") }
        let lines = result.out.split(separator: "\n").filter { $0.hasPrefix("case") }
        guard lines.count == texts.count else { throw Failed(description: "java answered \(lines.count) cases for \(texts.count)") }
        return lines.map { line in
            var entries: [String: String] = [:]
            for pair in line.split(separator: " ").dropFirst() {
                let parts = pair.split(separator: ",", omittingEmptySubsequences: false).map { unhex(String($0)) }
                entries[parts[0]] = parts[1]
            }
            return entries
        }
    }

    static func unhex(_ text: String) -> String {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
            index = next
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
