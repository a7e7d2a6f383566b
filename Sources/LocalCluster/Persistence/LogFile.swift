import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only file opened with `O_APPEND`: each ``append(_:)`` is one `write(2)` (the
/// bytes are in the operating system when it returns), ``sync()`` is `fsync(2)`.
struct LogFile {
    let path: String
    private let descriptor: Int32

    /// Opens (creating when needed) `path` for appending.
    init(appendingTo path: String) throws(PersistenceError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        self.path = path
        self.descriptor = fd
    }

    /// Writes all of `bytes` at the end of the file.
    func append(_ bytes: [UInt8]) throws(PersistenceError) {
        try Self.writeAll(bytes, to: descriptor, path: path)
    }

    /// Flushes the file's data to the disk.
    func sync() throws(PersistenceError) {
        guard fsync(descriptor) == 0 else { throw .io(operation: "fsync", path: path, errno: errno) }
    }

    /// Closes the descriptor.
    func close() {
        _ = systemClose(descriptor)
    }

    /// The whole content of `path`, or empty when it does not exist.
    static func read(_ path: String) throws(PersistenceError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(operation: "read", path: path, errno: errno)
        }
        return [UInt8](data)
    }

    /// Replaces `path` with `bytes` atomically: writes and fsyncs `path.tmp`, renames it
    /// over `path`, then fsyncs the directory so the rename itself is durable.
    static func replaceAtomically(_ path: String, with bytes: [UInt8]) throws(PersistenceError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(operation: "open", path: temporary, errno: errno) }
        do throws(PersistenceError) {
            try writeAll(bytes, to: fd, path: temporary)
            guard fsync(fd) == 0 else { throw .io(operation: "fsync", path: temporary, errno: errno) }
        } catch {
            _ = systemClose(fd)
            throw error
        }
        _ = systemClose(fd)
        guard rename(temporary, path) == 0 else { throw .io(operation: "rename", path: temporary, errno: errno) }
        syncDirectory(of: path)
    }

    /// Best effort: on some file systems a directory cannot be fsync'd.
    private static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = systemClose(fd)
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(PersistenceError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "write", path: path, errno: errno)
            }
            offset += written
        }
    }
}

/// `close(2)`, under a name that does not clash with ``LogFile/close()``.
private func systemClose(_ fd: Int32) -> Int32 {
    close(fd)
}
