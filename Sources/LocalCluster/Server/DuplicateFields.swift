import KubeAPI

/// Finds the keys a JSON body repeats inside one object, as the API server's strict decoder
/// reports them (`duplicate field "spec.size"`): 400 under `fieldValidation=Strict`, a
/// `Warning` header otherwise. The body is assumed to parse; anything odd ends the scan.
enum DuplicateFields {
    /// The dotted paths of repeated keys, in the order they repeat (`spec.size`,
    /// `spec.ports[1].name`).
    static func find(in bytes: [UInt8]) -> [String] {
        var scanner = Scanner(bytes: bytes)
        scanner.skipSpace()
        scanner.value(path: "")
        return scanner.duplicates
    }

    struct Scanner {
        let bytes: [UInt8]
        var i = 0
        var duplicates: [String] = []

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func skipSpace() {
            while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 }
        }

        mutating func value(path: String) {
            skipSpace()
            switch current {
            case UInt8(ascii: "{"): object(path: path)
            case UInt8(ascii: "["): array(path: path)
            case UInt8(ascii: "\""): _ = string()
            default:
                // Numbers, true, false, null.
                while let c = current, c != UInt8(ascii: ","), c != UInt8(ascii: "}"), c != UInt8(ascii: "]"), c > 0x20 { i += 1 }
            }
        }

        mutating func object(path: String) {
            i += 1
            var seen: Set<String> = []
            while true {
                skipSpace()
                guard let c = current else { return }
                if c == UInt8(ascii: "}") { i += 1; return }
                if c == UInt8(ascii: ",") { i += 1; continue }
                guard c == UInt8(ascii: "\""), let key = string() else { i = bytes.count; return }
                let child = path.isEmpty ? key : path + "." + key
                if !seen.insert(key).inserted { duplicates.append(child) }
                skipSpace()
                guard current == UInt8(ascii: ":") else { i = bytes.count; return }
                i += 1
                value(path: child)
            }
        }

        mutating func array(path: String) {
            i += 1
            var index = 0
            while true {
                skipSpace()
                guard let c = current else { return }
                if c == UInt8(ascii: "]") { i += 1; return }
                if c == UInt8(ascii: ",") { i += 1; index += 1; continue }
                value(path: "\(path)[\(index)]")
            }
        }

        /// A string token, unescaped enough to name keys (escapes are decoded as JSON).
        mutating func string() -> String? {
            let start = i
            i += 1
            var escaped = false
            while let c = current {
                i += 1
                if escaped { escaped = false; continue }
                if c == UInt8(ascii: "\\") { escaped = true; continue }
                if c == UInt8(ascii: "\"") {
                    let raw = Array(bytes[start..<i])
                    return (try? JSON.parse(raw))?.stringValue ?? String(decoding: raw.dropFirst().dropLast(), as: UTF8.self)
                }
            }
            return nil
        }
    }
}
