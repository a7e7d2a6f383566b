import KubeAPI

/// One resource the local API server serves: what discovery, OpenAPI, Table output and
/// validation need to know about it. Built-in resources are listed in `BuiltinResources`;
/// custom resources come from CustomResourceDefinitions only.
public struct ServedResource: Sendable, Hashable {
    public var type: ResourceType
    /// Lower-case singular name (`pod`, `batchjob`).
    public var singular: String
    public var shortNames: [String]
    public var categories: [String]
    /// API verbs, as discovery lists them (`create`, `delete`, `deletecollection`, `get`, `list`, `patch`, `update`, `watch`).
    public var verbs: [String]
    /// Subresources served besides the object itself: `status`, `log`, `binding`.
    public var subresources: [String]
    /// Columns of `kubectl get` (a CRD's additionalPrinterColumns; built-in defaults otherwise).
    public var printerColumns: [PrinterColumn]
    /// The structural OpenAPI v3 schema (a CRD version's `schema.openAPIV3Schema`); nil for
    /// built-in kinds, which the server accepts as they come.
    public var schema: JSONValue?
    /// The CRD this resource comes from (`gadgets.reference.example.com`), nil for built-ins.
    public var crdName: String?
    /// The fields a field selector may name besides `metadata.name`/`metadata.namespace`
    /// (a CRD version's `selectableFields`).
    public var selectableFields: [String]

    public init(
        type: ResourceType, singular: String, shortNames: [String] = [], categories: [String] = [],
        verbs: [String] = ServedResource.allVerbs, subresources: [String] = [], printerColumns: [PrinterColumn] = [],
        schema: JSONValue? = nil, crdName: String? = nil, selectableFields: [String] = []
    ) {
        self.type = type
        self.singular = singular
        self.shortNames = shortNames
        self.categories = categories
        self.verbs = verbs
        self.subresources = subresources
        self.printerColumns = printerColumns
        self.schema = schema
        self.crdName = crdName
        self.selectableFields = selectableFields
    }

    public static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    /// Another group-version's view of a built-in resource's storage (`events.k8s.io/v1`
    /// Events are core Events converted on the way in and out); nil for the resource itself.
    public var view: APIResource?

    public var resource: APIResource { view ?? type.resource }
    public var group: String { resource.group }
    public var version: String { resource.version }
    public var kind: String { resource.kind }
    public var plural: String { resource.plural }

    /// An object as this resource presents it: converted from storage for a view; a custom
    /// resource with its schema's defaults applied, as the server defaults what it reads
    /// from storage (an object stored before a default was added gets it on every read).
    public func present(_ object: JSONObject) -> JSONObject {
        if type.isCustom, let schema, let defaulter = SchemaDefaulter(schema: schema) {
            return defaulter.apply(.object(object)).objectValue ?? object
        }
        guard view != nil, type == .events else { return object }
        return EventRules.toEvents(object)
    }

    /// An object of this resource in its storage form.
    public func stored(_ object: JSONObject) -> JSONObject {
        guard view != nil, type == .events else { return object }
        return EventRules.toCore(object)
    }
}

/// A `kubectl get` column: a CRD's `additionalPrinterColumns` entry.
public struct PrinterColumn: Sendable, Hashable {
    public var name: String
    /// `string`, `integer`, `number`, `boolean` or `date`.
    public var type: String
    public var format: String
    public var description: String
    /// 0 shows by default; higher only with `-o wide`.
    public var priority: Int
    /// A simple JSONPath such as `.status.phase` or `.spec.containers[0].image`.
    public var jsonPath: String

    public init(name: String, type: String, format: String = "", description: String = "", priority: Int = 0, jsonPath: String) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
        self.jsonPath = jsonPath
    }
}
