import KubeAPI

/// Why a JSON patch could not be applied: which operation (by position and name), on
/// which path, and what was wrong.
public struct JSONPatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The position of the failing operation in the patch, from 0; nil when the patch
    /// itself is malformed.
    public var index: Int?
    public var op: String
    public var path: String
    public var message: String

    public var description: String {
        guard let index else { return "invalid JSON patch: \(message)" }
        return "json patch \(op) operation #\(index) on \"\(path)\" failed: \(message)"
    }
}

/// JSON patch (RFC 6902, `application/json-patch+json`): add, remove, replace, move, copy
/// and test, on paths in JSON pointer form. The patch applies atomically: on an error the
/// caller keeps its original document.
public enum JSONPatch {
    /// Applies the operations of `patch` (a JSON array) in order.
    public static func apply(_ patch: JSONValue, to document: JSONValue) throws(JSONPatchError) -> JSONValue {
        guard case .array(let operations) = patch else {
            throw JSONPatchError(index: nil, op: "", path: "", message: "a JSON patch must be an array of operations")
        }
        var result = document
        for (index, operation) in operations.enumerated() {
            let op = operation["op"]?.stringValue ?? ""
            let path = operation["path"]?.stringValue ?? ""
            do {
                try applyOne(operation, op: op, to: &result)
            } catch {
                throw JSONPatchError(index: index, op: op, path: path, message: error.message)
            }
        }
        return result
    }

    struct Failure: Error { var message: String }

    private static func applyOne(_ operation: JSONValue, op: String, to document: inout JSONValue) throws(Failure) {
        let path = try pointer(operation, "path")
        switch op {
        case "add": try add(try value(operation), at: path, in: &document)
        case "remove": _ = try remove(at: path, in: &document)
        case "replace":
            let new = try value(operation)
            _ = try remove(at: path, in: &document, replacingWith: new)
        case "move":
            let from = try pointer(operation, "from")
            if from == path { return }
            if path.tokens.starts(with: from.tokens) {
                throw Failure(message: "\"from\" \(from) is a prefix of \"path\": a value cannot be moved into itself")
            }
            let moved = try remove(at: from, in: &document)
            try add(moved, at: path, in: &document)
        case "copy":
            let from = try pointer(operation, "from")
            guard let copied = from.resolve(in: document) else { throw Failure(message: "\"from\" \(from) does not exist") }
            try add(copied, at: path, in: &document)
        case "test":
            let expected = try value(operation)
            guard let actual = path.resolve(in: document) else { throw Failure(message: "path does not exist") }
            guard actual == expected else { throw Failure(message: "test failed: the value is \(JSON.string(actual)), not \(JSON.string(expected))") }
        default:
            throw Failure(message: "unknown operation \"\(op)\"; expected add, remove, replace, move, copy or test")
        }
    }

    private static func pointer(_ operation: JSONValue, _ member: String) throws(Failure) -> JSONPointer {
        guard let text = operation[member]?.stringValue else { throw Failure(message: "missing \"\(member)\"") }
        guard let pointer = JSONPointer(text) else { throw Failure(message: "\"\(member)\" \"\(text)\" is not a JSON pointer") }
        return pointer
    }

    private static func value(_ operation: JSONValue) throws(Failure) -> JSONValue {
        guard let value = operation.objectValue?["value"] else { throw Failure(message: "missing \"value\"") }
        return value
    }

    // MARK: - Primitives

    static func add(_ value: JSONValue, at pointer: JSONPointer, in document: inout JSONValue) throws(Failure) {
        guard !pointer.tokens.isEmpty else { document = value; return }
        try withParent(of: pointer.tokens[...], in: &document) { parent, token throws(Failure) in
            switch parent {
            case .object(var o):
                o[token] = value
                parent = .object(o)
            case .array(var a):
                if token == "-" { a.append(value) } else {
                    guard let i = JSONPointer.index(token), i <= a.count else { throw Failure(message: "index \(token) is out of bounds (array has \(a.count) items)") }
                    a.insert(value, at: i)
                }
                parent = .array(a)
            default:
                throw Failure(message: "the parent is not an object or array")
            }
        }
    }

    /// Removes (or, with `replacingWith`, replaces) the existing value and returns the old one.
    static func remove(at pointer: JSONPointer, in document: inout JSONValue, replacingWith new: JSONValue? = nil) throws(Failure) -> JSONValue {
        guard !pointer.tokens.isEmpty else {
            guard let new else { throw Failure(message: "the whole document cannot be removed") }
            defer { document = new }
            return document
        }
        var old = JSONValue.null
        try withParent(of: pointer.tokens[...], in: &document) { parent, token throws(Failure) in
            switch parent {
            case .object(var o):
                guard let existing = o[token] else { throw Failure(message: "path does not exist") }
                old = existing
                if let new { o[token] = new } else { o.removeValue(forKey: token) }
                parent = .object(o)
            case .array(var a):
                guard let i = JSONPointer.index(token), i < a.count else { throw Failure(message: "path does not exist (index \(token), array has \(a.count) items)") }
                old = a[i]
                if let new { a[i] = new } else { a.remove(at: i) }
                parent = .array(a)
            default:
                throw Failure(message: "path does not exist")
            }
        }
        return old
    }

    private static func withParent(
        of tokens: ArraySlice<String>, in value: inout JSONValue, _ body: (inout JSONValue, String) throws(Failure) -> Void
    ) throws(Failure) {
        guard let head = tokens.first else { return }
        if tokens.count == 1 { return try body(&value, head) }
        switch value {
        case .object(var o):
            guard var child = o[head] else { throw Failure(message: "path does not exist: no member \"\(head)\"") }
            try withParent(of: tokens.dropFirst(), in: &child, body)
            o[head] = child
            value = .object(o)
        case .array(var a):
            guard let i = JSONPointer.index(head), i < a.count else { throw Failure(message: "path does not exist: no index \(head)") }
            try withParent(of: tokens.dropFirst(), in: &a[i], body)
            value = .array(a)
        default:
            throw Failure(message: "path does not exist: \"\(head)\" is inside a scalar")
        }
    }
}
