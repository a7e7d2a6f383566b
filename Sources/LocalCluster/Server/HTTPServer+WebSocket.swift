import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// A connection after its first request: plain HTTP, or a WebSocket after a `101 Switching
/// Protocols`.
public enum Connection: Sendable {
    case http(NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>)
    case webSocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, HTTPRequestHead)
}

/// What the server does with WebSocket upgrades: every upgrade request on a connection's
/// first request switches protocols, and `serve` answers it over the WebSocket — errors too
/// (NIO leaves a refused upgrade request unanswered, so none is refused).
public struct WebSocketRoutes: Sendable {
    /// Serves the upgraded connection; it is closed (code 1000) when this returns.
    public var serve: @Sendable (HTTPServerRequest, WebSocketSession) async -> Void

    public init(serve: @escaping @Sendable (HTTPServerRequest, WebSocketSession) async -> Void) {
        self.serve = serve
    }

    /// Sets up a child channel for HTTP with the WebSocket upgrader.
    func configure(_ channel: any Channel) throws -> EventLoopFuture<Connection> {
        let upgrader = NIOTypedWebSocketServerUpgrader<Connection>(
            maxFrameSize: 1 << 20,
            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
            upgradePipelineHandler: { channel, head in
                channel.eventLoop.makeCompletedFuture {
                    let socket = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(wrappingChannelSynchronously: channel)
                    return Connection.webSocket(socket, head)
                }
            })
        let configuration = NIOTypedHTTPServerUpgradeConfiguration<Connection>(
            upgraders: [upgrader],
            notUpgradingCompletionHandler: { channel in
                channel.eventLoop.makeCompletedFuture {
                    let http = try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                    return Connection.http(http)
                }
            })
        return try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
            configuration: NIOUpgradableHTTPServerPipelineConfiguration(upgradeConfiguration: configuration))
    }

    /// Runs `serve` while answering pings and watching for the client's close; ends with a
    /// close frame.
    func serve(_ socket: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, head: HTTPRequestHead) async {
        let serve = self.serve
        try? await socket.executeThenClose { inbound, outbound in
            let session = WebSocketSession(outbound: outbound)
            let handler = Task { await serve(HTTPServerRequest(head: head, body: []), session) }
            let reader = Task {
                for try await frame in inbound {
                    switch frame.opcode {
                    case .ping: try await session.send(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData))
                    case .connectionClose: return
                    default: continue
                    }
                }
            }
            // Whichever ends first (the handler, or the client) ends the session.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { _ = await handler.value }
                group.addTask { _ = try? await reader.value }
                _ = await group.next()
                handler.cancel()
                reader.cancel()
            }
            await session.close()
        }
    }
}

/// The server side of one WebSocket: text frames out, then a close frame.
public final class WebSocketSession: Sendable {
    private let outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>

    init(outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>) {
        self.outbound = outbound
    }

    /// Sends one text message.
    public func send(text: String) async throws {
        try await send(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text)))
    }

    func send(_ frame: WebSocketFrame) async throws {
        try await outbound.write(frame)
    }

    /// Sends a normal-closure frame (errors ignored: the client may be gone).
    public func close() async {
        var data = ByteBuffer()
        data.write(webSocketErrorCode: .normalClosure)
        try? await send(WebSocketFrame(fin: true, opcode: .connectionClose, data: data))
    }
}
