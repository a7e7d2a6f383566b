import Foundation
@testable import SparkAnalysis

/// Where the committed fixtures are (event logs made by real Spark, codec corpus).
enum Fixtures {
    static var root: URL { Bundle.module.url(forResource: "Fixtures", withExtension: nil)! }

    static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    static func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: url(path))) }
}

/// A seeded generator, so that every "random" test input is the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Decodes `input` in pieces of `piece` bytes, as a log that grows while it is read.
func decodeAll(_ codec: EventLogCodec, _ input: [UInt8], piece: Int) throws -> [UInt8] {
    var decoder = codec.makeDecoder()
    var output: [UInt8] = []
    var at = 0
    repeat {
        let end = min(input.count, at + max(piece, 1))
        output += try decoder.decode(Array(input[at..<end]))
        at = end
    } while at < input.count
    try decoder.finish()
    return output
}

func xxh64Hex(_ bytes: [UInt8]) -> String {
    var hasher = XXH64()
    bytes.withUnsafeBufferPointer { hasher.update($0) }
    let hex = String(hasher.digest(), radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

/// Events for building an application by hand.
enum Events {
    static func start(_ time: Int64 = 0) -> SparkEvent {
        .applicationStart(ApplicationStart(name: "test", id: "app-1", attemptID: nil, timestamp: time, user: "me"))
    }

    static func executor(_ id: String, cores: Int = 4, at time: Int64 = 0) -> SparkEvent {
        .executorAdded(ExecutorAdded(timestamp: time, executorID: id, info: .init(host: "h", totalCores: cores, resourceProfileID: 0)))
    }

    static func task(
        stage: Int, id: Int64, executor: String = "1", millis: Int64, gc: Int64 = 0, disk: Int64 = 0, memory: Int64 = 0,
        input: Int64 = 0, reason: String = "Success", heap: Int64? = nil
    ) -> SparkEvent {
        .taskEnd(TaskEnd(
            stageID: stage, reason: reason,
            info: .init(taskID: id, executorID: executor, launchTime: 1000, finishTime: 1000 + millis, failed: reason != "Success", killed: false),
            metrics: .init(executorRunTime: millis, jvmGCTime: gc, memoryBytesSpilled: memory, diskBytesSpilled: disk, inputBytesRead: input),
            executorMetrics: heap.map { ExecutorMetrics(jvmHeapMemory: $0) }
        ))
    }

    static func stageDone(_ stage: Int, tasks: Int) -> SparkEvent {
        .stageCompleted(StageCompleted(stageID: stage, attemptID: 0, name: "stage \(stage) at x.py:1", numberOfTasks: tasks,
                                       submissionTime: 0, completionTime: 100_000, failureReason: nil))
    }

    static func model(_ events: [SparkEvent]) -> ApplicationModel {
        var model = ApplicationModel()
        for event in events { model.apply(event) }
        return model
    }
}
