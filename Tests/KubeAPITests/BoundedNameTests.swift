import KubeAPI
import Testing

@Suite("Derived names within Kubernetes' limits")
struct BoundedNameTests {
    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*`, at most 253.
    static func isSubdomain(_ name: String) -> Bool {
        name.count <= 253 && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            guard let first = part.first, let last = part.last else { return false }
            return first.isAlnum && last.isAlnum && part.allSatisfy { $0.isAlnum || $0 == "-" }
        }
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63.
    static func isLabelValue(_ value: String) -> Bool {
        guard value.count <= 63, let first = value.first, let last = value.last else { return value.isEmpty }
        return first.isAlnum && last.isAlnum && value.allSatisfy { $0.isAlnum || "-_.".contains($0) }
    }

    @Test func shortValuesAreKept() {
        #expect(BoundedName.labelValue("hello-array") == "hello-array")
        #expect(BoundedName.labelValue(String(repeating: "a", count: 63)) == String(repeating: "a", count: 63))
        #expect(BoundedName.fit("job", suffix: "-3-0", maxLength: 253) == "job-3-0")
    }

    @Test func longValuesAreCutAndHashedAndStayDistinct() {
        let a = String(repeating: "a", count: 100), b = String(repeating: "a", count: 99) + "b"
        let (la, lb) = (BoundedName.labelValue(a), BoundedName.labelValue(b))
        #expect(la.count == 63 && lb.count == 63 && la != lb)
        #expect(la.hasPrefix(String(repeating: "a", count: 52) + "-"))
        #expect(BoundedName.labelValue(a) == la, "stable")
        let pod = BoundedName.fit(String(repeating: "x", count: 250), suffix: "-12-3", maxLength: 253)
        #expect(pod.count == 253 && pod.hasSuffix("-12-3"), "\(pod)")
    }

    /// A cut that would end in '-' or '.' drops them: "a-b....-<hash>" never has "--" or ".-".
    @Test func cutsNeverEndInPunctuation() {
        let name = String(repeating: "a", count: 51) + "." + String(repeating: "b", count: 60)
        let value = BoundedName.labelValue(name)
        #expect(Self.isLabelValue(value), "\(value)")
        #expect(!value.contains(".-"), "\(value)")
    }

    /// Every valid object name (random DNS subdomains up to 253 characters, dots and dashes
    /// anywhere allowed) gives a valid label value and valid pod names.
    @Test func everyValidNameGivesValidDerivedValues() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789"), inner = alphabet + ["-", "."]
        var tried = 0
        while tried < 2_000 {
            let length = Int.random(in: 1...253, using: &generator)
            var name = String((0..<length).map { i in (i == 0 || i == length - 1 ? alphabet : inner).randomElement(using: &generator)! })
            name = name.replacingOccurrences(of: ".-", with: ".a").replacingOccurrences(of: "-.", with: "a.").replacingOccurrences(of: "..", with: ".a")
            guard Self.isSubdomain(name) else { continue }
            tried += 1
            let label = BoundedName.labelValue(name)
            #expect(Self.isLabelValue(label), "\(name) → \(label)")
            let pod = BoundedName.fit(name, suffix: "-99999-123", maxLength: 253)
            #expect(Self.isSubdomain(pod), "\(name) → \(pod)")
        }
    }
}

private extension Character {
    var isAlnum: Bool { isASCII && (isLetter || isNumber) }
}
