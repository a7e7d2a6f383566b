/// `core/v1 EnvVar`: a literal value or a value taken from a field, resource, ConfigMap
/// or Secret when the container starts.
public struct EnvVar: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(name: String, value: String) {
        self.init()
        self.name = name
        self.value = value
    }

    /// A variable set from a pod field (downward API), e.g. `status.podIP`.
    public init(name: String, fieldPath: String) {
        self.init()
        self.name = name
        var source = EnvVarSource()
        source.fieldRef = ObjectFieldSelector(fieldPath: fieldPath)
        valueFrom = source
    }

    public var name: String { get { self["name"] ?? "" } set { self["name"] = newValue } }
    public var value: String? { get { self["value"] } set { self["value"] = newValue } }
    public var valueFrom: EnvVarSource? { get { self["valueFrom"] } set { self["valueFrom"] = newValue } }
}

/// `core/v1 EnvVarSource`: exactly one of the references is set.
public struct EnvVarSource: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var fieldRef: ObjectFieldSelector? { get { self["fieldRef"] } set { self["fieldRef"] = newValue } }
    public var resourceFieldRef: RawObject? { get { self["resourceFieldRef"] } set { self["resourceFieldRef"] = newValue } }
    public var configMapKeyRef: KeySelector? { get { self["configMapKeyRef"] } set { self["configMapKeyRef"] = newValue } }
    public var secretKeyRef: KeySelector? { get { self["secretKeyRef"] } set { self["secretKeyRef"] = newValue } }
}

/// `core/v1 ObjectFieldSelector`: a field of the pod, such as `metadata.name`.
public struct ObjectFieldSelector: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(fieldPath: String, apiVersion: String? = nil) {
        self.init()
        self.fieldPath = fieldPath
        self.apiVersion = apiVersion
    }

    public var apiVersion: String? { get { self["apiVersion"] } set { self["apiVersion"] = newValue } }
    public var fieldPath: String { get { self["fieldPath"] ?? "" } set { self["fieldPath"] = newValue } }
}

/// `ConfigMapKeySelector` / `SecretKeySelector`: one key of a ConfigMap or Secret.
public struct KeySelector: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(name: String, key: String, optional: Bool? = nil) {
        self.init()
        self.name = name
        self.key = key
        self.optional = optional
    }

    public var name: String? { get { self["name"] } set { self["name"] = newValue } }
    public var key: String { get { self["key"] ?? "" } set { self["key"] = newValue } }
    public var optional: Bool? { get { self["optional"] } set { self["optional"] = newValue } }
}

/// `core/v1 EnvFromSource`: every key of a ConfigMap or Secret as variables.
public struct EnvFromSource: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var prefix: String? { get { self["prefix"] } set { self["prefix"] = newValue } }
    public var configMapRef: NamedOptionalReference? { get { self["configMapRef"] } set { self["configMapRef"] = newValue } }
    public var secretRef: NamedOptionalReference? { get { self["secretRef"] } set { self["secretRef"] = newValue } }
}

/// `ConfigMapEnvSource` / `SecretEnvSource`: a name, and whether it may be missing.
public struct NamedOptionalReference: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(name: String, optional: Bool? = nil) {
        self.init()
        self.name = name
        self.optional = optional
    }

    public var name: String? { get { self["name"] } set { self["name"] = newValue } }
    public var optional: Bool? { get { self["optional"] } set { self["optional"] = newValue } }
}
