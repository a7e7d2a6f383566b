/// One problem with a field of a Slipway object: which field, what is wrong with it and
/// what to do about it — the text of an `Invalid` condition or an admission error.
public struct FieldViolation: Sendable, Hashable, CustomStringConvertible {
    /// The field's path, e.g. `spec.template.spec.containers[0].args[1]`.
    public var field: String
    /// What was wrong and what to do, e.g. `references undefined parameter "foo"; define it in spec.parameters`.
    public var message: String

    /// A violation of `field`, explained by `message`.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// `field: message`.
    public var description: String { "\(field): \(message)" }
}
