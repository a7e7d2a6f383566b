import Foundation
import KubeAPI

/// Columns and cells of custom resources, as the CRD handler's table convertor makes them.
enum CustomResourceColumns {
    /// Name, then the printer columns — or Name and a date-typed Age column when the CRD
    /// defines none.
    static func columns(_ printerColumns: [PrinterColumn]) -> [TableColumn] {
        [TableColumns.name] + effective(printerColumns).map { column in
            TableColumn(
                name: column.name, type: column.type, format: column.format,
                description: column.description.isEmpty ? "Custom resource definition column (in JSONPath format): \(column.jsonPath)" : column.description,
                priority: column.priority)
        }
    }

    static func effective(_ printerColumns: [PrinterColumn]) -> [PrinterColumn] {
        guard printerColumns.isEmpty else { return printerColumns }
        return [PrinterColumn(name: "Age", type: "date", description: TableColumns.creationTimestampDescription, jsonPath: ".metadata.creationTimestamp")]
    }

    static func cells(_ printerColumns: [PrinterColumn], object: JSONValue, now: Date) -> [JSONValue] {
        [object["metadata"]?["name"] ?? ""] + effective(printerColumns).map { column in
            guard let value = SimpleJSONPath.evaluate(column.jsonPath, in: object), !value.isNull else { return .null }
            return cell(type: column.type, value: value, now: now)
        }
    }

    /// `cellForJSONValue`: a value of the wrong type becomes a null cell; string columns
    /// print any value the way kubectl's JSONPath printer does.
    static func cell(type: String, value: JSONValue, now: Date) -> JSONValue {
        switch (type, value) {
        case ("string", _): return .string(SimpleJSONPath.text(value))
        case ("integer", .number(let n)):
            if let i = n.int64 { return .number(JSONNumber(i)) }
            return n.double.map { .number(JSONNumber(Int64($0.rounded(.towardZero)))) } ?? .null
        case ("number", .number(let n)):
            return n.double.map { $0 == $0.rounded() && n.int64 != nil ? .number(n) : .number(JSONNumber($0)) } ?? .null
        case ("boolean", .bool): return value
        case ("date", .string(let text)):
            guard let date = HumanDuration.parseTimestamp(text) else { return "<invalid>" }
            return .string(HumanDuration.string(now.timeIntervalSince(date)))
        default: return .null
        }
    }
}
