/// The CEL view of a structural schema node (Kubernetes' `DeclType`): its CEL type, the
/// fields of objects, the element type of lists and maps, and the size bounds the cost
/// estimator uses (`maxElements`: characters of strings, items of lists, entries of maps;
/// `minSerializedSize`: the fewest JSON bytes a value can take).
public final class CELDeclType: Sendable {
    public enum Kind: Sendable, Hashable {
        case int, uint, double, bool, string, bytes, duration, timestamp, dyn, list, map, object
    }

    public let kind: Kind
    /// Object fields by their CEL (escaped) name.
    public let fields: [String: CELDeclField]
    /// The items of a list or the values of a map.
    public let elem: CELDeclType?
    public let maxElements: Int64
    public let minSerializedSize: Int64
    /// `x-kubernetes-list-type` of a list (`set` and `map` lists compare regardless of order).
    public let listType: String?
    public let listMapKeys: [String]

    public init(
        kind: Kind, fields: [String: CELDeclField] = [:], elem: CELDeclType? = nil, maxElements: Int64 = 0,
        minSerializedSize: Int64 = 1, listType: String? = nil, listMapKeys: [String] = []
    ) {
        self.kind = kind
        self.fields = fields
        self.elem = elem
        self.maxElements = maxElements
        self.minSerializedSize = minSerializedSize
        self.listType = listType
        self.listMapKeys = listMapKeys
    }

    /// The type the checker works with.
    public var celType: CELType {
        switch kind {
        case .int: .int
        case .uint: .uint
        case .double: .double
        case .bool: .bool
        case .string: .string
        case .bytes: .bytes
        case .duration: .duration
        case .timestamp: .timestamp
        case .dyn: .dyn
        case .list: .list(elem?.celType ?? .dyn)
        case .map: .map(.string, elem?.celType ?? .dyn)
        case .object: .object(CELObjectType(self))
        }
    }

    /// The field with this JSON property name, if the object declares it.
    public func field(json name: String) -> CELDeclField? {
        fields.values.first { $0.jsonName == name }
    }

    public static let dyn = CELDeclType(kind: .dyn, maxElements: CELLimits.maxRequestSizeBytes - 2)
}

/// One field of an object type.
public struct CELDeclField: Sendable {
    /// The name CEL code uses (escaped: `__dash__` for `-`, `__if__` for keywords, …).
    public let name: String
    /// The JSON property name.
    public let jsonName: String
    public let type: CELDeclType
    public let required: Bool

    public init(name: String, jsonName: String, type: CELDeclType, required: Bool) {
        self.name = name
        self.jsonName = jsonName
        self.type = type
        self.required = required
    }
}

/// An object type, compared by identity (each schema node is its own type).
public struct CELObjectType: Sendable, Hashable {
    public let decl: CELDeclType
    public init(_ decl: CELDeclType) { self.decl = decl }
    public static func == (l: CELObjectType, r: CELObjectType) -> Bool { l.decl === r.decl }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(decl)) }
}

/// The limits Kubernetes applies to CEL (`k8s.io/apiserver/pkg/apis/cel`).
public enum CELLimits {
    /// The largest request body: bounds the size of any value.
    public static let maxRequestSizeBytes: Int64 = 3 * 1024 * 1024
    /// The most one evaluation may cost.
    public static let perCallLimit: UInt64 = 1_000_000
    /// The most all the rules of one object may cost at runtime.
    public static let runtimeCostBudget: Int64 = 10_000_000
    /// The most one rule may cost by estimate (times its cardinality).
    public static let estimatedCostLimit: UInt64 = 10_000_000
    /// The most all the rules of a CRD may cost by estimate.
    public static let estimatedCRDCostLimit: UInt64 = 100_000_000
    /// The longest message a `messageExpression` may produce.
    public static let maxMessageExpressionLength = 5 * 1024
}
