import KubeAPI
import SlipwayAPI

/// How one role's settings split between Spark keys and a pod template.
///
/// Spark has keys for plain environment variables (`spark.kubernetes.driverEnv.*`,
/// `spark.executorEnv.*`) and for four volume types; everything else a spark-submit user
/// can only give through `spark.kubernetes.{driver,executor}.podTemplateFile`.
struct SparkRolePlan {
    var confEnv: [(name: String, value: String)] = []
    var confVolumes: [SparkConfVolume] = []
    var templateEnv: [JSONValue] = []
    var templateVolumes: [JSONValue] = []
    var templateMounts: [JSONValue] = []

    init(_ settings: SparkRoleSettings, line: SparkVersionLine) {
        for env in settings.env {
            if let plain = Self.plainEnv(env) { confEnv.append(plain) } else { templateEnv.append(env) }
        }
        let mounts = settings.volumeMounts.compactMap(\.objectValue)
        var expressedNames: Set<String> = []
        for volume in settings.volumes {
            let object = volume.objectValue ?? [:]
            let name = object["name"]?.stringValue
            let itsMounts = mounts.filter { $0["name"]?.stringValue == name }
            if let confVolume = SparkConfVolume.expressing(volume: object, mounts: itsMounts, line: line) {
                confVolumes.append(confVolume)
                expressedNames.insert(confVolume.name)
            } else {
                templateVolumes.append(volume)
            }
        }
        templateMounts = settings.volumeMounts.filter { mount in
            guard let name = mount["name"]?.stringValue else { return true }
            return !expressedNames.contains(name)
        }
    }

    /// Whether anything must go through a pod template.
    var needsTemplate: Bool { !templateEnv.isEmpty || !templateVolumes.isEmpty || !templateMounts.isEmpty }

    /// A `{name, value}` variable with a name Spark accepts as a key suffix
    /// (4.0's KubernetesExecutorConf drops others: `[-._a-zA-Z][-._a-zA-Z0-9]*`).
    private static func plainEnv(_ env: JSONValue) -> (name: String, value: String)? {
        guard let object = env.objectValue, object.count == 2, let name = object["name"]?.stringValue,
            let value = object["value"]?.stringValue, isEnvName(name)
        else { return nil }
        return (name, value)
    }

    static func isEnvName(_ name: String) -> Bool {
        func isLead(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("A"..."Z").contains(s) || "-._".unicodeScalars.contains(s) }
        guard let first = name.unicodeScalars.first, isLead(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLead($0) || ("0"..."9").contains($0) }
    }
}
