/// `$(params.NAME)` in a job's text (BatchJob command, args and env values; SparkJob
/// arguments, sparkConf and env values), replaced from `spec.parameters`. `$$(params.NAME)`
/// is an escape and stays as written, as in Kubernetes' own `$(VAR)` expansion. One
/// implementation for the renderers and for validation, so both read the same text.
public enum ParameterSubstitution {
    /// A reference to a parameter `spec.parameters` does not define.
    public struct Missing: Error, Sendable, Hashable {
        public var name: String
    }

    /// `text` with its parameter references replaced; the first undefined name is thrown.
    public static func substitute(_ text: String, _ parameters: [String: String]) throws(Missing) -> String {
        let marker = "$(params."
        guard text.contains(marker) else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: marker) {
            let escaped = start.lowerBound > rest.startIndex && rest[rest.index(before: start.lowerBound)] == "$"
            guard let close = rest[start.upperBound...].firstIndex(of: ")") else { break }
            let name = String(rest[start.upperBound..<close])
            result += rest[..<start.lowerBound]
            if escaped {
                result += rest[start.lowerBound...close]
            } else if let value = parameters[name] {
                result += value
            } else {
                throw Missing(name: name)
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// `text` with the references `parameters` defines replaced, the text as written when one
    /// is undefined (validation reports those on its own).
    public static func substituteIfDefined(_ text: String, _ parameters: [String: String]) -> String {
        (try? substitute(text, parameters)) ?? text
    }
}
