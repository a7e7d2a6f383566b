import Foundation
import KubeAPI

/// Writes a pod's volumes into its ``PodDirectory``: configMap and secret keys (or the
/// listed `items`) as files with their modes, downwardAPI items, emptyDir as an empty
/// directory (also for volume kinds a local node cannot provide, such as PVCs), hostPath as
/// a link to the host path. Projected volumes combine configMap, secret, downwardAPI and
/// serviceAccountToken sources (see `PodVolumes+Projected.swift`).
struct PodVolumes {
    var environment: PodEnvironment
    var directory: PodDirectory
    /// The cluster's token and CA, for service-account token volumes (nil: none is written).
    var apiAccess: APIAccess? = nil

    /// Materialises every volume.
    ///
    /// - Throws: the `MountVolume.SetUp failed for volume …` text for a missing
    ///   configMap or secret that is not optional.
    func materialise() throws(ContainerConfigError) {
        for volume in environment.pod.spec.volumes {
            let target = directory.volume(volume.name)
            try? FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            do throws(ContainerConfigError) {
                try write(volume.object, into: target)
            } catch {
                throw ContainerConfigError(message: "MountVolume.SetUp failed for volume \"\(volume.name)\" : \(error.message)")
            }
        }
    }

    private func write(_ volume: JSONObject, into target: URL) throws(ContainerConfigError) {
        if let source = volume["configMap"]?.objectValue {
            try keys(.configMaps, source, nameField: "name", into: target)
        } else if let source = volume["secret"]?.objectValue {
            try keys(.secrets, source, nameField: "secretName", into: target)
        } else if let source = volume["downwardAPI"]?.objectValue {
            downward(source, into: target)
        } else if let source = volume["hostPath"]?.objectValue, let path = source["path"]?.stringValue {
            try? FileManager.default.removeItem(at: target)
            try? FileManager.default.createSymbolicLink(atPath: target.path, withDestinationPath: path)
        } else if let projected = volume["projected"]?.objectValue {
            try project(projected, into: target)
        }
    }

    func keys(_ type: ResourceType, _ source: JSONObject, nameField: String, into target: URL, defaultMode inherited: Int? = nil) throws(ContainerConfigError) {
        let optional = source["optional"]?.boolValue ?? false
        guard let data = try environment.data(type, source[nameField]?.stringValue, optional: optional) else { return }
        let defaultMode = source["defaultMode"]?.numberValue?.int ?? inherited ?? 0o644
        let items = source["items"]?.arrayValue ?? []
        if items.isEmpty {
            for (key, value) in data { write(value, to: target.appendingPathComponent(key), mode: defaultMode) }
            return
        }
        for item in items {
            guard let key = item["key"]?.stringValue, let path = item["path"]?.stringValue else { continue }
            guard let value = data[key] else {
                if optional { continue }
                throw ContainerConfigError(message: "configmap references non-existent config key: \(key)")
            }
            write(value, to: target.appendingPathComponent(path), mode: item["mode"]?.numberValue?.int ?? defaultMode)
        }
    }

    func downward(_ source: JSONObject, into target: URL, defaultMode inherited: Int? = nil) {
        let defaultMode = source["defaultMode"]?.numberValue?.int ?? inherited ?? 0o644
        for item in source["items"]?.arrayValue ?? [] {
            guard let path = item["path"]?.stringValue else { continue }
            var value = ""
            if let field = item["fieldRef"]?["fieldPath"]?.stringValue {
                value = environment.fieldValue(field) ?? ""
            } else if let resource = item["resourceFieldRef"]?.objectValue, let first = environment.pod.spec.containers.first {
                value = environment.resourceValue(resource, default: first)
            }
            write(value, to: target.appendingPathComponent(path), mode: item["mode"]?.numberValue?.int ?? defaultMode)
        }
    }

    func write(_ value: String, to file: URL, mode: Int) {
        let fm = FileManager.default
        try? fm.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        fm.createFile(atPath: file.path, contents: Data(value.utf8), attributes: [.posixPermissions: mode])
    }
}
