import KubeAPI
import KubeClient

/// Writes an `EventRecorder`'s events to core/v1 Events through a `KubernetesClient`.
public struct ClientEventSink: EventSink {
    public let client: KubernetesClient

    public init(client: KubernetesClient) { self.client = client }

    public func create(_ event: RecordedEvent) async throws {
        guard let object = DynamicObject(json: event.json) else { return }
        _ = try await client.create(RecordedEvent.resource, object)
    }

    public func patch(_ event: RecordedEvent) async throws {
        _ = try await client.patch(
            RecordedEvent.resource, name: event.name, namespace: event.namespace, patch: event.repeatPatch,
            patchType: .merge)
    }
}
