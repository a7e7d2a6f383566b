import KubeAPI
import SlipwayAPI

/// A volume and its one mount as Spark's `spark.kubernetes.<role>.volumes.<type>.<name>.*`
/// keys express it (KubernetesVolumeUtils.scala, MountVolumesFeatureStep.scala): the types
/// hostPath, emptyDir, persistentVolumeClaim and nfs; `mount.path`, `mount.readOnly`,
/// `mount.subPath`, from 4.0 `mount.subPathExpr`; and per type a few `options.*`.
struct SparkConfVolume: Hashable {
    static let types = ["hostPath", "emptyDir", "persistentVolumeClaim", "nfs"]
    /// The options each type reads (the on-demand PVC options do not describe an existing volume).
    static let options = [
        "hostPath": ["path", "type"], "emptyDir": ["medium", "sizeLimit"],
        "persistentVolumeClaim": ["claimName"], "nfs": ["server", "path"],
    ]

    var type: String
    var name: String
    var mountPath: String
    var readOnly: Bool?
    var subPath: String?
    var subPathExpr: String?
    var options: [String: String]

    // MARK: Keys

    func keys(prefix: String) -> [(String, String)] {
        let base = "\(prefix)\(type).\(name)."
        var keys = [(base + "mount.path", mountPath)]
        if let readOnly { keys.append((base + "mount.readOnly", readOnly ? "true" : "false")) }
        if let subPath, !subPath.isEmpty { keys.append((base + "mount.subPath", subPath)) }
        if let subPathExpr, !subPathExpr.isEmpty { keys.append((base + "mount.subPathExpr", subPathExpr)) }
        for option in Self.options[type] ?? [] {
            if let value = options[option] { keys.append((base + "options." + option, value)) }
        }
        return keys
    }

    /// The volumes under `prefix` ("spark.kubernetes.driver.volumes.") in `conf`, those
    /// named in `order` first in that order, then the rest by name. Entries without a mount
    /// path or of a type Spark does not know are skipped (spark-submit would refuse them).
    static func parse(_ conf: [String: String], prefix: String, order: [String]) -> [SparkConfVolume] {
        var found: [String: SparkConfVolume] = [:]
        for (key, value) in conf where key.hasPrefix(prefix) {
            let parts = key.dropFirst(prefix.count).split(separator: ".", maxSplits: 2).map(String.init)
            guard parts.count == 3, types.contains(parts[0]) else { continue }
            let id = parts[0] + "." + parts[1]
            var volume = found[id] ?? SparkConfVolume(type: parts[0], name: parts[1], mountPath: "", options: [:])
            switch parts[2] {
            case "mount.path": volume.mountPath = value
            case "mount.readOnly": volume.readOnly = value.lowercased() == "true"
            case "mount.subPath": volume.subPath = value
            case "mount.subPathExpr": volume.subPathExpr = value
            case let rest where rest.hasPrefix("options."): volume.options[String(rest.dropFirst("options.".count))] = value
            default: break
            }
            found[id] = volume
        }
        let volumes = found.values.filter { !$0.mountPath.isEmpty }
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return volumes.sorted { a, b in
            let ra = rank[a.name] ?? Int.max, rb = rank[b.name] ?? Int.max
            return ra != rb ? ra < rb : (a.name, a.type) < (b.name, b.type)
        }
    }

    // MARK: What Spark puts in the pod

    func podVolume(_ line: SparkVersionLine) -> JSONValue {
        let source: JSONValue
        switch type {
        case "hostPath":
            source = ["path": .string(options["path"] ?? ""), "type": .string(line.supportsHostPathType ? options["type"] ?? "" : "")]
        case "emptyDir":
            var object: JSONObject = ["medium": .string(options["medium"] ?? "")]
            if let limit = options["sizeLimit"] { object["sizeLimit"] = .string(limit) }
            source = .object(object)
        case "persistentVolumeClaim":
            source = ["claimName": .string(options["claimName"] ?? ""), "readOnly": .bool(readOnly ?? false)]
        default:
            source = ["path": .string(options["path"] ?? ""), "server": .string(options["server"] ?? "")]
        }
        return .object([type: source, "name": .string(name)])
    }

    func mount(_ line: SparkVersionLine) -> JSONValue {
        var mount: JSONObject = [
            "mountPath": .string(mountPath), "name": .string(name),
            "readOnly": .bool(readOnly ?? false), "subPath": .string(subPath ?? ""),
        ]
        if line.supportsSubPathExpr { mount["subPathExpr"] = .string(subPathExpr ?? "") }
        return .object(mount)
    }

    // MARK: From Kubernetes objects

    /// The conf form of `volume` mounted by `mounts` when Spark's keys can express it
    /// exactly: a known type with only the options Spark reads, mounted exactly once with
    /// only the mount fields Spark sets. Anything else must go through a pod template.
    static func expressing(volume: JSONObject, mounts: [JSONObject], line: SparkVersionLine) -> SparkConfVolume? {
        guard let name = volume["name"]?.stringValue, !name.isEmpty, !name.contains("."),
            volume.count == 2, let type = volume.keys.first(where: { $0 != "name" }), types.contains(type),
            let source = volume[type]?.objectValue, mounts.count == 1, let mount = mounts.first,
            let mountPath = mount["mountPath"]?.stringValue
        else { return nil }
        let mountFields: Set<String> = line.supportsSubPathExpr
            ? ["name", "mountPath", "readOnly", "subPath", "subPathExpr"] : ["name", "mountPath", "readOnly", "subPath"]
        guard Set(mount.keys).isSubset(of: mountFields) else { return nil }
        var readOnly: Bool?
        if let value = mount["readOnly"] {
            guard let flag = value.boolValue else { return nil }
            readOnly = flag
        }
        var result = SparkConfVolume(
            type: type, name: name, mountPath: mountPath, readOnly: readOnly,
            subPath: mount["subPath"]?.stringValue, subPathExpr: mount["subPathExpr"]?.stringValue, options: [:])
        var allowed = Set(options[type] ?? [])
        if type == "hostPath", !line.supportsHostPathType {
            guard (source["type"]?.stringValue ?? "").isEmpty else { return nil }
            allowed.remove("type")
        }
        for (key, value) in source {
            if key == "readOnly", type == "persistentVolumeClaim" || type == "nfs" {
                // Spark writes the PVC's readOnly from the mount's and none for NFS.
                let mountReadOnly = result.readOnly ?? false
                guard value.boolValue == (type == "nfs" ? false : mountReadOnly) else { return nil }
                continue
            }
            guard allowed.contains(key), let text = value.stringValue else { return nil }
            if !text.isEmpty { result.options[key] = text }
        }
        let required = ["hostPath": ["path"], "persistentVolumeClaim": ["claimName"], "nfs": ["server", "path"]][type] ?? []
        guard required.allSatisfy({ result.options[$0] != nil }) else { return nil }
        return result
    }
}
