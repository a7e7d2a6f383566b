import KubeAPI

/// What an informer calls when its cache changes. Handlers must only enqueue keys: the
/// reconciler, not the handler, decides what to do (see `Reconciler`).
public struct InformerEventHandler<Object: KubeObject>: Sendable {
    /// An object appeared (from a list or an ADDED event).
    public var onAdd: @Sendable (Object) async -> Void
    /// An object changed; after a relist, called for every object that is still there.
    public var onUpdate: @Sendable (_ old: Object, _ new: Object) async -> Void
    /// An object disappeared (a DELETED event, or missing from a relist): its last known state.
    public var onDelete: @Sendable (Object) async -> Void

    public init(
        onAdd: @escaping @Sendable (Object) async -> Void = { _ in },
        onUpdate: @escaping @Sendable (_ old: Object, _ new: Object) async -> Void = { _, _ in },
        onDelete: @escaping @Sendable (Object) async -> Void = { _ in }
    ) {
        self.onAdd = onAdd
        self.onUpdate = onUpdate
        self.onDelete = onDelete
    }
}

extension InformerEventHandler {
    /// Enqueues the key of the changed object itself (for the kind a controller owns).
    public static func enqueue(into queue: WorkQueue<ObjectKey>) -> InformerEventHandler {
        InformerEventHandler(
            onAdd: { await queue.add(Store<Object>.key(for: $0)) },
            onUpdate: { _, new in await queue.add(Store<Object>.key(for: new)) },
            onDelete: { await queue.add(Store<Object>.key(for: $0)) })
    }

    /// Enqueues the key of the object's controller owner when that owner is of `ownerKind`
    /// (for children such as pods: a pod change reconciles its job). On an update that
    /// changed the owner, both the old and the new owner are enqueued.
    public static func enqueueController(into queue: WorkQueue<ObjectKey>, ownerKind: String) -> InformerEventHandler {
        @Sendable func enqueueOwner(_ object: Object) async {
            guard let owner = object.metadata.controllerReference, owner.kind == ownerKind else { return }
            await queue.add(ObjectKey(namespace: object.metadata.namespace, name: owner.name))
        }
        return InformerEventHandler(
            onAdd: { await enqueueOwner($0) },
            onUpdate: { old, new in
                await enqueueOwner(old)
                await enqueueOwner(new)
            },
            onDelete: { await enqueueOwner($0) })
    }
}
