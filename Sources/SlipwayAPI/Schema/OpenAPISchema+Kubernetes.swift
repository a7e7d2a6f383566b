import KubeAPI

/// Schema nodes for Kubernetes value types that appear inside Slipway's kinds.
extension OpenAPISchema {
    /// The text form of a Kubernetes resource quantity (`resource.Quantity`).
    public static let quantityPattern =
        #"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$"#

    /// A resource quantity (`512Mi`, `1.5`, `250m` or a bare integer), declared the way
    /// Kubernetes declares `resource.Quantity`: int-or-string with the quantity pattern.
    public static var quantity: OpenAPISchema {
        OpenAPISchema(keywords: [
            "anyOf": [["type": "integer"], ["type": "string"]],
            "pattern": .string(quantityPattern),
            "x-kubernetes-int-or-string": true,
        ])
    }

    /// An embedded `PodTemplateSpec`, kept as the user wrote it: its fields are validated by
    /// the API server when the pods are created, not by this CRD. The only place where
    /// Slipway's schemas preserve unknown fields.
    public static var podTemplate: OpenAPISchema {
        OpenAPISchema(keywords: ["type": "object", "x-kubernetes-preserve-unknown-fields": true])
    }

    /// A `metav1.LabelSelector`.
    public static var labelSelector: OpenAPISchema {
        .object([
            "matchLabels": OpenAPISchema.map(.string()),
            "matchExpressions": OpenAPISchema.array(.object([
                "key": .string(),
                "operator": .string(enum: ["In", "NotIn", "Exists", "DoesNotExist"]),
                "values": OpenAPISchema.array(.string()),
            ], required: ["key", "operator"])),
        ])
    }

    /// A standard `metav1.Condition`.
    public static var condition: OpenAPISchema {
        .object([
            "type": .string(maxLength: 316).describe("The condition's type, e.g. Succeeded."),
            "status": .string(enum: ["True", "False", "Unknown"]),
            "reason": .string(maxLength: 1024).describe("A CamelCase reason for the last transition."),
            "message": .string(maxLength: 32768).describe("A human-readable message about the transition."),
            "lastTransitionTime": .dateTime,
            "observedGeneration": .integer(minimum: 0),
        ], required: ["type", "status"])
    }

    /// The root of a custom resource's schema: `apiVersion`, `kind`, `metadata`, then the
    /// kind's own top-level properties.
    public static func resource(spec: OpenAPISchema, status: OpenAPISchema, description: String) -> OpenAPISchema {
        OpenAPISchema.object([
            "apiVersion": OpenAPISchema.string().describe("The versioned schema of this representation of an object."),
            "kind": OpenAPISchema.string().describe("The REST resource this object represents."),
            "metadata": OpenAPISchema(keywords: ["type": "object"]),
            "spec": spec,
            "status": status,
        ], required: ["spec"]).describe(description)
    }
}
