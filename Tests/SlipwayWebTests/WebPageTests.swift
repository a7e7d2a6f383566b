import Foundation
import KubeAPI
import SlipwayAPI
import SlipwayWeb
import Testing

/// The web view's pages, rendered from decoded objects: what they show, that every text from
/// the cluster is escaped (hostile names, messages, log lines), and that links are relative.
@Suite struct WebPageTests {
    static let created = Date(timeIntervalSince1970: 1_800_007_200)
    static let now = created.addingTimeInterval(120)
    static let hostile = #"<script>alert("x")</script>&'"#

    static func decode<T: JSONBacked>(_ type: T.Type, _ json: JSONValue) -> T { T(json: json)! }

    static func batchJob(name: String = "six", message: String = hostile, history: [JSONValue]? = nil) -> BatchJob {
        let records: [JSONValue] = history ?? [
            ["index": 3, "attempt": 0, "pod": "six-3-0", "node": "dev-node", "capacityType": "spot", "memory": "100Mi", "exitCode": 137,
             "reason": "OOMKilled", "class": "OutOfMemory", "counted": true, "message": "Traceback (most recent call last):\nMemoryError",
             "adaptations": ["memory 100Mi → 200Mi after OOMKilled"]],
            ["index": 3, "attempt": 1, "pod": "six-3-1", "node": "dev-node", "capacityType": "on-demand", "memory": "200Mi", "exitCode": 3,
             "reason": "Error", "class": "AppError", "counted": true, "message": .string("ValueError: " + hostile)],
        ]
        return decode(BatchJob.self, [
            "apiVersion": "slipway.dev/v1alpha1", "kind": "BatchJob",
            "metadata": ["name": .string(name), "namespace": "data", "uid": "u1", "creationTimestamp": "2027-01-15T10:00:00Z"],
            "spec": ["arraySize": 6, "queue": "gpu", "template": ["spec": ["containers": [["name": "main", "image": "python",
                "env": [["name": "TOKEN", "value": "s3cr3t-value"]]]]]]],
            "status": ["phase": "Failed", "message": .string(message), "progress": "5/6", "succeeded": 5, "failed": 1, "attempts": 7,
                       "failedIndexes": "3", "history": .array(records),
                       "conditions": [["type": "Failed", "status": "True", "reason": "IndexesFailed", "message": .string(hostile),
                                       "lastTransitionTime": "2027-01-15T10:00:34Z"]]],
        ])
    }

    static let pod: Pod = decode(Pod.self, [
        "apiVersion": "v1", "kind": "Pod",
        "metadata": ["name": "six-3-1", "namespace": "data", "labels": ["slipway.dev/job-name": "six"]],
        "spec": ["nodeName": "dev-node", "containers": [["name": "main", "image": "python", "env": [["name": "TOKEN", "value": "s3cr3t-value"]]],
                                                        ["name": "sidecar", "image": "x"]]],
        "status": ["phase": "Failed", "containerStatuses": [["name": "main", "state": ["terminated": ["exitCode": 3, "reason": "Error"]]]]],
    ])

    static let event: Event = decode(Event.self, [
        "apiVersion": "v1", "kind": "Event", "metadata": ["name": "e1", "namespace": "data"],
        "involvedObject": ["kind": "BatchJob", "name": "six", "namespace": "data"], "reason": "AttemptFailed",
        "message": .string("index 3 failed " + hostile), "type": "Warning", "count": 2, "lastTimestamp": "2027-01-15T10:01:00Z",
    ])

    // MARK: - Escaping

    @Test(arguments: ["<script>", "&", "\"x\"", "'", "<img src=x onerror=alert(1)>"])
    func escapeLeavesNoMarkup(_ text: String) {
        let escaped = HTML.escape(text)
        #expect(!escaped.contains("<") && !escaped.contains(">") && !escaped.contains("\"") && !escaped.contains("'"), "\(escaped)")
    }

    @Test func theJobPageEscapesEveryTextFromTheClusterAndShowsNoEnvironment() {
        let html = JobPage(pods: [Self.pod], events: [Self.event], now: Self.now).render(Self.batchJob())
        #expect(!html.contains("<script>alert"), "a hostile message reached the page unescaped")
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"))
        #expect(!html.contains("s3cr3t-value") && !html.contains("TOKEN"), "environment values must never be shown")
        #expect(html.contains("<meta name=\"viewport\""))
    }

    // MARK: - The job page

    @Test func theJobPageShowsPhaseAttemptsWhatChangedEventsAndLogLinks() {
        let html = JobPage(pods: [Self.pod], events: [Self.event], now: Self.now).render(Self.batchJob(message: "1 of 6 indexes failed"))
        #expect(html.contains("<h1>BatchJob data/six</h1>"))
        #expect(html.contains("<span class=\"phase Failed\">Failed</span>"))
        for header in ["Index", "Attempt", "Result", "Exit code", "Reason", "Node", "Capacity", "Resources", "Changed for the next", "Logs"] {
            #expect(html.contains("<th scope=\"col\">\(header)</th>"), "missing header \(header)")
        }
        #expect(html.contains("<td>3</td><td>0</td><td><span class=\"phase Failed\">OutOfMemory</span></td><td>137</td><td>OOMKilled</td><td>dev-node</td><td>spot</td><td>memory 100Mi</td>"))
        #expect(html.contains("memory 100Mi → 200Mi after OOMKilled"))
        // The last failure at the top, before the attempt table.
        let top = html.range(of: "Last failure (index 3, attempt 1)")!.lowerBound, table = html.range(of: "<h2>Attempts</h2>")!.lowerBound
        #expect(top < table)
        // Links are relative to the view's root, so they work under any prefix.
        #expect(html.contains("href=\"../../../jobs/BatchJob/data/six/logs?pod=six-3-0\""), "\(html)")
        #expect(html.contains("href=\"../../../jobs/BatchJob/data/six/logs?pod=six-3-1&amp;container=sidecar\""))
        #expect(html.contains("<td>Warning</td><td>AttemptFailed</td><td>BatchJob/six</td><td>2</td>"))
        #expect(html.contains("Queue</dt><dd>gpu</dd>"))
    }

    @Test func aQueuedJobShowsWhyItWaitsInItsQueue() {
        var job = Self.batchJob(message: "waiting")
        job.status.phase = .queued
        job.status.conditions = [Condition(object: [
            "type": "Admitted", "status": "False", "reason": "QueueFull", "message": "position 3 of 7 in gpu: 4 pods over the limit",
        ])]
        let html = JobPage(pods: [], events: [], now: Self.now).render(job)
        #expect(html.contains("waiting for admission: position 3 of 7 in gpu: 4 pods over the limit"), "\(html)")
        #expect(html.contains("No events"))
    }

    @Test func aThousandAttemptsAreAllInTheTable() {
        let records: [JSONValue] = (0..<1000).map { i in
            ["index": .number(JSONNumber(i / 4)), "attempt": .number(JSONNumber(i % 4)), "pod": .string("p-\(i)"), "exitCode": 1, "class": "AppError", "reason": "Error"]
        }
        let html = JobPage(pods: [], events: [], now: Self.now).render(Self.batchJob(history: records))
        #expect(html.components(separatedBy: "<td><span class=\"phase Failed\">AppError</span></td>").count == 1001)
    }

    static let sparkJob: SparkJob = decode(SparkJob.self, [
        "apiVersion": "slipway.dev/v1alpha1", "kind": "SparkJob",
        "metadata": ["name": "etl", "namespace": "data", "uid": "u2", "creationTimestamp": "2027-01-15T10:00:00Z"],
        "spec": ["type": "Python", "sparkVersion": "4.0.5", "mainApplicationFile": "local:///app.py"],
        "status": ["phase": "Running", "attempts": 2, "sparkApplicationId": "spark-app-1",
                   "driver": ["pod": "etl-1-driver", "node": "ondemand", "state": "Running"],
                   "executors": ["running": 2, "pending": 1], "current": ["attempt": 1],
                   "history": [["attempt": 0, "role": "executor", "class": "OutOfMemory", "exitCode": 137, "reason": "OOMKilled",
                                "driverPod": "etl-0-driver", "executorMemory": "256m", "executorInstances": 2, "executorCapacity": "spot",
                                "message": "ExecutorLostFailure (executor 1 exited caused by one of the running tasks)",
                                "adaptations": ["executor memory 256m → 512m after OOMKilled"],
                                "executorFailures": [["class": "OutOfMemory", "exitCode": 137, "reason": "OOMKilled", "count": 2]]]]],
    ])

    @Test func aRunningSparkJobLinksItsProxiedUIAndShowsTheExecutorsThatFailed() {
        let html = JobPage(pods: [], events: [], now: Self.now).render(Self.sparkJob)
        #expect(html.contains("<h1>SparkJob data/etl</h1>"))
        #expect(html.contains("href=\"../../../spark/data/etl/\""), "\(html)")
        #expect(html.contains("2 executors OutOfMemory exit 137 OOMKilled"), "\(html)")
        #expect(html.contains("executor 256m × 2") && html.contains("executors spot") && html.contains("executor memory 256m → 512m after OOMKilled"))
        #expect(html.contains("href=\"../../../jobs/SparkJob/data/etl/logs?pod=etl-0-driver\""))
        #expect(html.contains("Last failure (attempt 0)"))
        var finished = Self.sparkJob
        finished.status.phase = .succeeded
        #expect(!JobPage(pods: [], events: [], now: Self.now).render(finished).contains("spark/data/etl/"), "no UI link once it finished")
    }

    @Test func aSparkJobsFindingsAreShownRankedAndEscaped() {
        var job = Self.sparkJob
        job.status.analysis = Self.decode(SparkAnalysisStatus.self, [
            "attempt": 1, "sparkApplicationId": "spark-123", "omittedFindings": 2, "notes": .array([.string("no heap peaks " + Self.hostile)]),
            "findings": [
                ["kind": "Skew", "severity": "high", "subject": "stage 3", "summary": .string("longest task 71 s " + Self.hostile),
                 "recommendation": "repartition by a better key", "wasteCoreSeconds": 68.25],
                ["kind": "Spill", "severity": "low", "subject": "stage 4", "summary": "612 MiB to disk", "recommendation": "more memory", "wasteCoreSeconds": 6.1],
            ],
        ])
        let html = JobPage(pods: [], events: [], now: Self.now).render(job)
        #expect(html.contains("<h2>Findings</h2>"))
        #expect(html.contains("Attempt 1, application spark-123 (2 lower-ranked not kept)"), "\(html)")
        let skew = html.range(of: "<td>Skew</td>"), spill = html.range(of: "<td>Spill</td>")
        #expect(skew != nil && spill != nil && skew!.lowerBound < spill!.lowerBound, "ranked as status keeps them")
        #expect(html.contains("<td>68.2</td>") || html.contains("<td>68.3</td>"))
        #expect(!html.contains(Self.hostile) && html.contains("no heap peaks &lt;script&gt;"), "escaped")
        job.status.analysis = Self.decode(SparkAnalysisStatus.self, ["attempt": 0, "findings": []])
        #expect(JobPage(pods: [], events: [], now: Self.now).render(job).contains("The analysis of attempt 0 found nothing to change."))
        #expect(!JobPage(pods: [], events: [], now: Self.now).render(Self.sparkJob).contains("<h2>Findings</h2>"), "no section without analysis")
    }

    // MARK: - The list

    static func rows(_ count: Int) -> [JobRow] {
        (0..<count).map { (i: Int) -> JobRow in
            let kind: String = i % 2 == 0 ? "BatchJob" : "SparkJob"
            let namespace: String = i % 3 == 0 ? "a" : "b"
            let phase: String = i % 5 == 0 ? "Failed" : "Succeeded"
            let queue: String = i % 7 == 0 ? "gpu" : ""
            let key = JobKey(kind: kind, namespace: namespace, name: "job-\(i)")!
            let created = Self.created.addingTimeInterval(Double(i / 2))
            return JobRow(key: key, created: created, phase: phase, progress: "1/1", attempts: 1, queue: queue, message: "")
        }
    }

    @Test func theListPagesThroughTenThousandJobsNewestFirstWithoutOverlap() {
        let all = Self.rows(10_000)
        var seen: [JobKey] = []
        var page = JobListPage(all: all, filter: JobFilter(), page: PageRequest(limit: 1000))
        seen += page.rows.map(\.key)
        while let next = page.next {
            page = JobListPage(all: all, filter: JobFilter(), page: PageRequest(limit: 1000, continueToken: next))
            seen += page.rows.map(\.key)
        }
        #expect(seen.count == 10_000 && Set(seen).count == 10_000)
        #expect(seen.first?.name == "job-9998", "newest first, ties by kind")
    }

    @Test func theListFiltersByNamespaceKindPhaseAndQueue() {
        let page = JobListPage(all: Self.rows(100), filter: JobFilter(namespace: "a", kind: "batchjob", phase: "Failed", queue: "gpu"), page: PageRequest())
        #expect(page.rows.map(\.key.name) == ["job-0"] + [], "\(page.rows.map(\.key.name))")
        #expect(page.rows.allSatisfy { $0.key.namespace == "a" && $0.key.kind == "BatchJob" && $0.phase == "Failed" && $0.queue == "gpu" })
        let html = page.render(now: Self.now)
        #expect(html.contains("<label for=\"f-namespace\">Namespace<select id=\"f-namespace\" name=\"namespace\">"))
        #expect(html.contains("<option value=\"a\" selected>a</option>"))
        #expect(html.contains("href=\"./jobs/BatchJob/a/job-0\""))
    }

    @Test func theNextLinkKeepsTheFilterAndAGarbageTokenStartsOver() {
        let page = JobListPage(all: Self.rows(300), filter: JobFilter(namespace: "b"), page: PageRequest(limit: 10))
        let html = page.render(now: Self.now)
        #expect(html.contains("href=\"./?namespace=b&amp;limit=10&amp;continue="), "\(html)")
        let garbage = JobListPage(all: Self.rows(30), filter: JobFilter(), page: PageRequest(limit: 5, continueToken: "%%%"))
        #expect(garbage.rows.count == 5)
    }

    @Test func aHostileMessageInTheListIsEscaped() {
        var rows = Self.rows(1)
        rows[0].message = Self.hostile
        let html = JobListPage(all: rows, filter: JobFilter(), page: PageRequest()).render(now: Self.now)
        #expect(!html.contains("<script>alert") && html.contains("&lt;script&gt;"))
    }

    // MARK: - Routes

    @Test func routesAndRelativeRoots() {
        #expect(WebRoute(target: "/") == .list(JobFilter(), page: PageRequest()))
        #expect(WebRoute(target: "/?phase=Failed&limit=5") == .list(JobFilter(phase: "Failed"), page: PageRequest(limit: 5)))
        #expect(WebRoute(target: "/jobs/batchjob/data/six") == .job(JobKey(kind: "BatchJob", namespace: "data", name: "six")!))
        #expect(WebRoute(target: "/jobs/BatchJob/data/six/logs?pod=six-3-1&container=main")
            == .logs(JobKey(kind: "BatchJob", namespace: "data", name: "six")!, pod: "six-3-1", container: "main"))
        #expect(WebRoute(target: "/jobs/Deployment/data/six") == .notFound)
        #expect(WebRoute(target: "/spark/data/etl/jobs/job/?id=1") == .spark(namespace: "data", job: "etl", path: "/jobs/job/", query: "id=1"))
        #expect(WebRoute(target: "/spark/data/etl") == .spark(namespace: "data", job: "etl", path: "/", query: ""))
        #expect(WebRoute.root(of: "/") == "./")
        #expect(WebRoute.root(of: "/jobs/BatchJob/data/six") == "../../../")
        #expect(WebRoute.root(of: "/jobs/BatchJob/data/six/logs?pod=x") == "../../../../")
    }

    // MARK: - Logs

    @Test func logLinesNamingExceptionsAreHighlightedAndTheExceptionIsOnTop() {
        let log = "starting\nTraceback (most recent call last):\n  File \"job.py\", line 3\nValueError: bad row \(Self.hostile)\nbye\n"
        let key = JobKey(kind: "BatchJob", namespace: "data", name: "six")!
        let html = LogPage.render(log, key: key, pod: "six-3-1", container: "main", root: "../../../../")
        #expect(html.contains("<span class=\"err\">ValueError: bad row &lt;script&gt;"))
        #expect(!html.contains("<script>alert"))
        let exception = html.range(of: "<h2 id=\"exception\">Exception</h2>")!.lowerBound
        #expect(exception < html.range(of: "<h2>Output</h2>")!.lowerBound)
        #expect(LogPage.exception(in: log.components(separatedBy: "\n"))?.hasPrefix("Traceback (most recent call last):\n  File") == true)
        #expect(LogPage.exception(in: ["all good", "done"]) == nil)
        #expect(html.contains("href=\"../../../../jobs/BatchJob/data/six\""))
    }

    // MARK: - The Spark UI proxy

    @Test(arguments: [
        ("http://127.1.0.5:4040/spark/data/etl/jobs/", "/spark/data/etl/jobs/"),
        ("http://127.1.0.5:4040/jobs/", "/spark/data/etl/jobs/"),
        ("/jobs/", "/spark/data/etl/jobs/"),
        ("/spark/data/etl/stages/?id=1", "/spark/data/etl/stages/?id=1"),
        ("stages/", "stages/"),
        ("https://elsewhere.example/x", "https://elsewhere.example/x"),
    ])
    func locationsAreRewrittenUnderThePrefix(_ location: String, _ expected: String) {
        #expect(SparkUIProxy.rewriteLocation(location, upstream: "http://127.1.0.5:4040", prefix: "/spark/data/etl") == expected)
    }

    @Test func aFinishedApplicationSaysSoAndLinksToTheJob() {
        let key = JobKey(kind: "SparkJob", namespace: "data", name: "etl")!
        let html = SparkUIProxy.notRunning(key, phase: "Succeeded", exists: true, root: "../../../")
        #expect(html.contains("The application has finished (Succeeded)"))
        #expect(html.contains("href=\"../../../jobs/SparkJob/data/etl\""))
    }
}
