import Foundation
import KubeAPI

extension LocalAPIServer {
    // MARK: - What kube-controller-manager does for every namespace

    /// The `default` ServiceAccount (the ServiceAccount controller's; pods need it) and the
    /// `kube-root-ca.crt` ConfigMap with the server's CA (the root CA publisher's; the
    /// projected token volume mounts it), in every namespace that is not being deleted.
    func ensureNamespaceDefaults(_ namespace: String) async throws {
        let now = self.now()
        let ca = certificateAuthority.certificatePEM
        _ = try await store.perform { s throws(Status) in
            guard let ns = try? s.get(.namespaces, namespace: nil, name: namespace), ns.meta("deletionTimestamp") == nil else { return }
            if (try? s.get(.serviceAccounts, namespace: namespace, name: "default")) == nil {
                _ = try s.create(.serviceAccounts, ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "default"]], namespace: namespace, now: now)
            }
            if (try? s.get(.configMaps, namespace: namespace, name: "kube-root-ca.crt")) == nil {
                let configMap: JSONObject = [
                    "apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": ["name": "kube-root-ca.crt", "annotations": ["kubernetes.io/description": .string(Self.rootCADescription)]],
                    "data": ["ca.crt": .string(ca)],
                ]
                _ = try s.create(.configMaps, configMap, namespace: namespace, now: now)
            }
        }
    }

    static let rootCADescription =
        "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."

    /// The namespace controller: empties every namespace being deleted, then removes its
    /// `kubernetes` finalizer so that it goes. Runs on every change of the store.
    func runNamespaceController() async {
        for await _ in await store.changes() {
            if Task.isCancelled { return }
            await finalizeTerminatingNamespaces()
        }
    }

    func finalizeTerminatingNamespaces() async {
        // Read inside the store (no snapshot held across the writes below).
        let work = (try? await store.perform { s throws(Status) in s.terminatingNamespaceWork() }) ?? []
        for (namespace, doomed, empty) in work {
            if empty {
                await removeKubernetesFinalizer(namespace)
                continue
            }
            for (type, name) in doomed { await deleteForNamespace(type, namespace: namespace, name: name) }
        }
    }

    private func deleteForNamespace(_ type: ResourceType, namespace: String, name: String) async {
        let now = self.now()
        if type == .pods, let grace = try? await podGrace(namespace: namespace, name: name, requested: nil) {
            _ = try? await store.perform { s throws(Status) in
                try s.beginGracefulDeletion(.pods, namespace: namespace, name: name, graceSeconds: grace, now: now)
            }
            return
        }
        _ = try? await store.perform { s throws(Status) in
            _ = try s.delete(type, namespace: namespace, name: name, now: now)
            _ = s.collectGarbage(now: now)
        }
    }

    private func removeKubernetesFinalizer(_ name: String) async {
        let now = self.now()
        _ = try? await store.perform { s throws(Status) in
            let current = try s.get(.namespaces, namespace: nil, name: name)
            let finalizers = (current["spec"]?["finalizers"]?.arrayValue ?? []).filter { $0 != .string(NamespaceRules.kubernetesFinalizer) }
            let updated = NamespaceRules.finalized(current, with: ["spec": ["finalizers": .array(finalizers)]])
            try Self.storeFinalized(updated, in: &s, name: name, now: now)
        }
    }

    /// Writes a namespace's new finalizers; one being deleted with none left is removed.
    static func storeFinalized(_ namespace: JSONObject, in s: inout ObjectStore, name: String, now: Date) throws(Status) {
        if NamespaceRules.isFinalized(namespace) {
            s.removeFinalized(.namespaces, namespace)
        } else {
            var unconditional = namespace
            unconditional.setMeta("resourceVersion", nil)
            _ = try s.update(.namespaces, unconditional, name: name, now: now)
        }
    }

    // MARK: - Requests

    /// `DELETE` of a namespace: it turns `Terminating` and stays until the namespace
    /// controller has emptied it. The three system namespaces cannot be deleted.
    func deleteNamespace(_ name: String, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        let current = try await store.store.get(.namespaces, namespace: nil, name: name)
        if NamespaceRules.immortal.contains(name) {
            throw AdmissionError.forbidden(.namespaces, name: name, "this namespace may not be deleted")
        }
        let options = try deleteOptions(request)
        guard current.meta("deletionTimestamp") == nil else {
            try await respondJSON(.object(current), writer)
            return
        }
        let now = self.now()
        var terminating = current
        terminating.setMeta("deletionTimestamp", now.json)
        terminating["status"] = ["phase": "Terminating"]
        terminating.metadata.finalizers = ObjectStore.finalizers(current.metadata.finalizers, for: options.store.propagationPolicy)
        guard !isDryRun(request) else {
            try await respondJSON(.object(terminating), writer)
            return
        }
        let stored = try await store.perform { s throws(Status) in
            try s.beginNamespaceDeletion(terminating, preconditions: options.store, now: now)
        }
        try await respondJSON(.object(stored), writer)
    }

    /// `PUT namespaces/{name}/finalize`: replaces the spec's finalizers, nothing else.
    func finalizeNamespace(_ name: String, _ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        let served = BuiltinResources.namespaces
        let body = try bodyObject(request, served)
        if let bodyName = body.meta("name")?.stringValue, !bodyName.isEmpty, bodyName != name {
            throw StoreErrors.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        let current = try await store.store.get(.namespaces, namespace: nil, name: name)
        let updated = NamespaceRules.finalized(current, with: body)
        let errors = NamespaceRules.validateFinalize(updated)
        if !errors.isEmpty { throw StoreErrors.invalid(.namespaces, name: name, causes: errors.causes) }
        guard !isDryRun(request) else {
            try await respondJSON(.object(updated), writer)
            return
        }
        let now = self.now()
        let result = try await store.perform { s throws(Status) in
            try Self.storeFinalized(updated, in: &s, name: name, now: now)
            return (try? s.get(.namespaces, namespace: nil, name: name)) ?? updated
        }
        try await respondJSON(.object(result), writer)
    }
}

extension ObjectStore {
    /// For each namespace being deleted: the objects in it not yet being deleted, and
    /// whether it is empty.
    func terminatingNamespaceWork() -> [(namespace: String, doomed: [(ResourceType, String)], empty: Bool)] {
        let terminating = entries.values.filter { $0.type == .namespaces && $0.object.meta("deletionTimestamp") != nil }
            .compactMap { $0.object.meta("name")?.stringValue }
        return terminating.map { namespace in
            let contents = entries.filter { $0.key.namespace == namespace && $0.value.type.namespaced }
            let doomed = contents.filter { $0.value.object.meta("deletionTimestamp") == nil }.map { ($0.value.type, $0.key.name) }
            return (namespace, doomed, contents.isEmpty)
        }
    }

    /// Marks a namespace as being deleted (deletionTimestamp, phase `Terminating`); a
    /// precondition that does not match is `409 Conflict`.
    mutating func beginNamespaceDeletion(_ namespace: JSONObject, preconditions: DeleteOptions, now: Date) throws(Status) -> JSONObject {
        let name = namespace.meta("name")?.stringValue ?? ""
        let key = StoreKey(.namespaces, namespace: nil, name: name)
        guard let existing = entries[key]?.object else { throw StoreErrors.notFound(.namespaces, name: name) }
        try checkPreconditions(
            .namespaces, name: name, existing: existing, uid: preconditions.preconditionUID,
            resourceVersion: preconditions.preconditionResourceVersion)
        return commit(.namespaces, key: key, object: namespace, event: .modified)
    }
}
