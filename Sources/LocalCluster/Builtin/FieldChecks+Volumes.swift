import KubeAPI

extension FieldChecks {
    /// `ValidateVolumes`: unique DNS-1123 label names and exactly one source each, with
    /// that source's own checks. Returns the names, for the containers' mounts.
    mutating func volumes(_ volumes: [JSONObject], at path: FieldPath) -> Set<String> {
        var names = Set<String>()
        for (i, volume) in volumes.enumerated() {
            let p = path.index(i)
            let name = volume.string("name")
            if name.isEmpty {
                add(.required, p.child("name"))
            } else {
                invalid(p.child("name"), .string(name), NameValidation.dns1123Label(name))
                if names.contains(name) { add(.duplicate, p.child("name"), .string(name)) }
                names.insert(name)
            }
            let sources = Self.volumeSourceOrder.filter { volume[$0] != nil && volume[$0]?.isNull == false }
            if sources.isEmpty { add(.required, p, nil, "must specify a volume type") }
            for extra in sources.dropFirst() { add(.forbidden, p.child(extra), nil, "may not specify more than 1 volume type") }
            if let first = sources.first { source(first, volume[first]?.objectValue ?? JSONObject(), at: p.child(first)) }
        }
        return names
    }

    /// The order `validateVolumeSource` looks at sources in: the second one found is the error.
    static let volumeSourceOrder = [
        "emptyDir", "hostPath", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs", "iscsi", "glusterfs",
        "persistentVolumeClaim", "rbd", "quobyte", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile",
        "vsphereVolume", "photonPersistentDisk", "portworxVolume", "azureDisk", "storageos", "configMap", "projected", "scaleIO", "csi",
        "ephemeral", "image",
    ]

    mutating func source(_ kind: String, _ source: JSONObject, at path: FieldPath) {
        switch kind {
        case "hostPath":
            let hostPath = source.string("path")
            if hostPath.isEmpty { add(.required, path.child("path")) }
            invalid(path.child("path"), .string(hostPath), ValidationRules.pathBacksteps(hostPath))
            let types = ["", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"]
            if let type = source["type"]?.stringValue, !types.contains(type) {
                add(.notSupported, path.child("type"), .string(type), "supported values: " + types.map { "\"\($0)\"" }.joined(separator: ", "))
            }
        case "secret", "configMap":
            if kind == "secret", source.string("secretName").isEmpty { add(.required, path.child("secretName")) }
            mode(source["defaultMode"], at: path.child("defaultMode"))
            keyItems(source.objects("items"), at: path.child("items"))
        case "persistentVolumeClaim":
            if source.string("claimName").isEmpty { add(.required, path.child("claimName")) }
        case "downwardAPI":
            mode(source["defaultMode"], at: path.child("defaultMode"))
            downwardItems(source.objects("items"), at: path.child("items"))
        case "projected":
            mode(source["defaultMode"], at: path.child("defaultMode"))
            for (i, projection) in source.objects("sources").enumerated() {
                let p = path.child("sources").index(i)
                for (key, value) in projection {
                    guard let inner = value.objectValue else { continue }
                    if key == "downwardAPI" { downwardItems(inner.objects("items"), at: p.child(key).child("items")) }
                    if key == "configMap" || key == "secret" { keyItems(inner.objects("items"), at: p.child(key).child("items")) }
                    if key == "serviceAccountToken", let seconds = inner["expirationSeconds"]?.numberValue?.int64, seconds < 600 {
                        add(.invalid, p.child(key).child("expirationSeconds"), .number(JSONNumber(seconds)), "may not specify a duration less than 10 minutes")
                    }
                }
            }
        default:
            break
        }
    }

    /// `items` of configMap and secret sources: a valid key and a relative path without `..`.
    mutating func keyItems(_ items: [JSONObject], at path: FieldPath) {
        for (i, item) in items.enumerated() {
            let key = item.string("key")
            if key.isEmpty { add(.required, path.index(i).child("key")) }
            itemPath(item, at: path.index(i))
        }
    }

    mutating func downwardItems(_ items: [JSONObject], at path: FieldPath) {
        for (i, item) in items.enumerated() {
            itemPath(item, at: path.index(i))
            if let ref = item["fieldRef"]?.objectValue { fieldRef(ref, at: path.index(i).child("fieldRef"), allowed: Self.volumeFieldPaths) }
        }
    }

    mutating func itemPath(_ item: JSONObject, at path: FieldPath) {
        let itemPath = item.string("path")
        if itemPath.isEmpty {
            add(.required, path.child("path"))
        } else if itemPath.hasPrefix("/") {
            add(.invalid, path.child("path"), .string(itemPath), "must be a relative path")
        } else {
            invalid(path.child("path"), .string(itemPath), ValidationRules.pathBacksteps(itemPath))
        }
        mode(item["mode"], at: path.child("mode"))
    }

    /// File modes are between 0 and 0777.
    mutating func mode(_ value: JSONValue?, at path: FieldPath) {
        guard let mode = value?.numberValue?.int64, !(0...0o777).contains(mode) else { return }
        add(.invalid, path, .number(JSONNumber(mode)), "must be a number between 0 and 0777 (octal), both inclusive")
    }
}
