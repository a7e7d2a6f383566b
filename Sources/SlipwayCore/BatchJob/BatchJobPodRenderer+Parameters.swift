import Foundation
import KubeAPI
import SlipwayAPI

/// Why a pod could not be rendered. Validation normally refuses such a job first; the
/// decider turns this into the job's `Invalid` condition, never into a pod.
public enum PodRenderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `$(params.NAME)` names a parameter `spec.parameters` does not define.
    case missingParameter(name: String, container: String, field: String)
    /// `spec.container` names no container of the template.
    case missingContainer(name: String)
    /// The template has no container at all.
    case noContainers

    public var description: String {
        switch self {
        case .missingParameter(let name, let container, let field):
            return "container \(container) \(field) refers to $(params.\(name)), which spec.parameters does not define"
        case .missingContainer(let name):
            return "spec.container \(name) names no container of spec.template"
        case .noContainers:
            return "spec.template.spec.containers is empty"
        }
    }
}

// MARK: - $(params.NAME)

extension BatchJobPodRenderer {
    /// Replaces every `$(params.NAME)` in the command, args and env values of `container`.
    /// `$$(params.NAME)` is an escape and stays as written (the kubelet makes it `$(params.NAME)`).
    static func substituteParameters(in container: inout Container, parameters: [String: String]) throws(PodRenderError) {
        let name = container.name
        if container.object["command"] != nil {
            container.command = try container.command.map { text throws(PodRenderError) in
                try substitute(text, parameters, container: name, field: "command")
            }
        }
        if container.object["args"] != nil {
            container.args = try container.args.map { text throws(PodRenderError) in
                try substitute(text, parameters, container: name, field: "args")
            }
        }
        guard container.object["env"] != nil else { return }
        var env = container.env
        for i in env.indices {
            guard let value = env[i].value else { continue }
            env[i].value = try substitute(value, parameters, container: name, field: "env \(env[i].name)")
        }
        container.env = env
    }

    /// `text` with its parameter references replaced (``ParameterSubstitution``).
    static func substitute(_ text: String, _ parameters: [String: String], container: String, field: String) throws(PodRenderError) -> String {
        do {
            return try ParameterSubstitution.substitute(text, parameters)
        } catch {
            throw .missingParameter(name: error.name, container: container, field: field)
        }
    }

    /// Every parameter reference that `spec.parameters` cannot satisfy, as messages (for validation).
    public static func missingParameters(in job: BatchJob) -> [String] {
        let parameters = job.spec.parameters
        var problems: [String] = []
        let spec = job.spec.template.spec
        for var container in spec.initContainers + spec.containers {
            do throws(PodRenderError) {
                try substituteParameters(in: &container, parameters: parameters)
            } catch {
                problems.append(error.description)
            }
        }
        return problems
    }
}
