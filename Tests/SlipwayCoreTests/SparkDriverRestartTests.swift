import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayCore
import Testing

/// A Spark driver run a second time in its pod meets the executors its first run created:
/// the API server answers 409 AlreadyExists, and the failure that follows is the
/// platform's, never charged to the job (`SparkDriverRestart`).
///
/// The log texts are Spark's own lines: `ExecutorPodsSnapshotsStoreImpl` logs the
/// exception `ExecutorPodsAllocator.requestNewExecutors` threw (WARN "Exception when
/// notifying snapshot subscriber."), whose message is fabric8's `OperationSupport.requestFailure`
/// ("Failure executing: POST at: <url>. Message: <status message>. Received status: <Status>.");
/// Spark 3.5 logs plain text (`%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex`), Spark 4.0 one JSON
/// object per line (structured logging, the default).
@Suite struct SparkDriverRestartTests {
    static let spark35 = """
        24/11/05 10:12:31 INFO ExecutorPodsAllocator: Going to request 2 executors from Kubernetes for ResourceProfile Id: 0, target: 2, known: 0, sharedSlotFromPendingPods: 2147483647.
        24/11/05 10:12:31 WARN ExecutorPodsSnapshotsStoreImpl: Exception when notifying snapshot subscriber.
        io.fabric8.kubernetes.client.KubernetesClientException: Failure executing: POST at: https://kubernetes.default.svc/api/v1/namespaces/data/pods. Message: pods "etl-0-exec-1" already exists. Received status: Status(apiVersion=v1, code=409, details=StatusDetails(causes=[], group=null, kind=pods, name=etl-0-exec-1, retryAfterSeconds=null, uid=null, additionalProperties={}), kind=Status, message=pods "etl-0-exec-1" already exists, metadata=ListMeta(_continue=null, remainingItemCount=null, resourceVersion=null, selfLink=null, additionalProperties={}), reason=AlreadyExists, status=Failure, additionalProperties={}).
        \tat io.fabric8.kubernetes.client.dsl.internal.OperationSupport.requestFailure(OperationSupport.java:671)
        \tat io.fabric8.kubernetes.client.dsl.internal.OperationSupport.assertResponseCode(OperationSupport.java:618)
        \tat org.apache.spark.scheduler.cluster.k8s.ExecutorPodsAllocator.requestNewExecutors(ExecutorPodsAllocator.scala:440)
        24/11/05 10:14:02 ERROR SparkContext: Error initializing SparkContext.
        org.apache.spark.SparkException: Application etl failed: executors lost
        """

    static let spark40 = #"""
        {"ts":"2025-06-02T10:12:31.402Z","level":"WARN","msg":"Exception when notifying snapshot subscriber.","logger":"ExecutorPodsSnapshotsStoreImpl","exception":{"class":"io.fabric8.kubernetes.client.KubernetesClientException","msg":"Failure executing: POST at: https://kubernetes.default.svc/api/v1/namespaces/data/pods. Message: pods \"etl-0-exec-1\" already exists. Received status: Status(apiVersion=v1, code=409, details=StatusDetails(causes=[], group=null, kind=pods, name=etl-0-exec-1, retryAfterSeconds=null, uid=null, additionalProperties={}), kind=Status, message=pods \"etl-0-exec-1\" already exists, metadata=ListMeta(_continue=null, remainingItemCount=null, resourceVersion=null, selfLink=null, additionalProperties={}), reason=AlreadyExists, status=Failure, additionalProperties={}).","stacktrace":[{"class":"io.fabric8.kubernetes.client.dsl.internal.OperationSupport","method":"requestFailure","file":"OperationSupport.java","line":642}]}}
        {"ts":"2025-06-02T10:14:02.118Z","level":"ERROR","msg":"Error initializing SparkContext.","logger":"SparkContext"}
        """#

    @Test func theConflictOnAnExecutorCreateIsFoundInSpark35AndSpark40Logs() {
        #expect(SparkDriverRestart.executorsAlreadyExisted(in: Self.spark35))
        #expect(SparkDriverRestart.executorsAlreadyExisted(in: Self.spark40))
    }

    @Test func otherFailuresAreNotTakenForIt() {
        // A 409 on something else than a pod, a pod that failed on its own, a plain exception.
        let configMap = Self.spark35.replacingOccurrences(of: "/pods. Message: pods ", with: "/configmaps. Message: configmaps ")
        #expect(!SparkDriverRestart.executorsAlreadyExisted(in: configMap))
        let forbidden = #"io.fabric8.kubernetes.client.KubernetesClientException: Failure executing: POST at: https://kubernetes.default.svc/api/v1/namespaces/data/pods. Message: Forbidden! User system:serviceaccount:data:spark doesn't have permission. pods "etl-0-exec-1" is forbidden."#
        #expect(!SparkDriverRestart.executorsAlreadyExisted(in: forbidden))
        #expect(!SparkDriverRestart.executorsAlreadyExisted(in: "Exception in thread \"main\" java.lang.IllegalStateException: table already exists"))
    }

    @Test(arguments: [spark35, spark40])
    func aDriverThatFailedAfterTheConflictIsInterruptedAndNotCharged(_ log: String) throws {
        var sim = SparkSimulation(SparkJobDeciderTests.adaptive)
        sim.decide()
        sim.setDriver(0, phase: "Failed", state: SparkSimulation.terminated(1, "Error", message: log))
        sim.decide()
        let record = try #require(sim.job.status.history.last)
        #expect(record.failureClass == .interrupted, "\(record)")
        #expect(record.role == .driver)
        #expect(record.counted == false)
        #expect(record.reason == SparkDriverRestart.reason)
        #expect(sim.job.status.current.countedFailures == 0)
        #expect(sim.submits.count == 1, "the next attempt is submitted at once")
    }

    @Test func theSameDriverFailingWithoutTheConflictIsAnAppError() throws {
        var sim = SparkSimulation(SparkJobDeciderTests.adaptive)
        sim.decide()
        sim.setDriver(0, phase: "Failed", state: SparkSimulation.terminated(1, "Error", message: "org.apache.spark.SparkException: Application etl failed"))
        sim.decide()
        let record = try #require(sim.job.status.history.last)
        #expect(record.failureClass == .appError)
        #expect(record.counted == true)
    }
}
