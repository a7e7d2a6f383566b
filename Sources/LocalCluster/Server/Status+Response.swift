import KubeAPI

/// What an error answer carries besides its Status body. The real server sends `Warning`
/// headers with refusals too (an unknown field pruned before a 422), and a plain-text
/// `404 page not found` for paths no API handler serves. Both travel inside the thrown
/// `Status` under keys that `respondError` removes before writing the body.
extension Status {
    static let warningsKey = "x-slipway-warnings"
    static let plainTextKey = "x-slipway-plain-text"

    /// The same error, answered with `Warning` headers (the texts, as `Admitted.warnings`).
    func withWarnings(_ warnings: [String]) -> Status {
        guard !warnings.isEmpty else { return self }
        var copy = self
        copy.object[Self.warningsKey] = .array((self.warnings + warnings).map { .string($0) })
        return copy
    }

    var warnings: [String] { object[Self.warningsKey]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    /// The mux's `404 page not found` (text/plain) for a resource a served group/version
    /// does not have.
    static var pageNotFound: Status {
        var status = Status(code: 404, reason: "NotFound", message: "404 page not found")
        status.object[plainTextKey] = "404 page not found\n"
        return status
    }

    /// The body and headers to answer with.
    var response: (body: [UInt8], headers: [(String, String)]) {
        var headers = warnings.map { ("Warning", "299 - \(FieldError.quote($0))") }
        if let text = object[Self.plainTextKey]?.stringValue {
            return (Array(text.utf8), [("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff")] + headers)
        }
        var body = self
        body.object.removeValue(forKey: Self.warningsKey)
        headers.insert(("Content-Type", "application/json"), at: 0)
        if let retry = details?.retryAfterSeconds { headers.append(("Retry-After", String(retry))) }
        return (JSON.serialize(body.json), headers)
    }
}
