import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeTesting
import SlipwayDevTesting
import Testing

/// The web view (docs/web.md) of `slipway dev`, with real jobs: an OOM-adapted BatchJob, a
/// BatchJob whose index fails with an exception in its log, a running SparkJob whose driver
/// UI (the stand-in's) is proxied, and a finished one. Pages are fetched over HTTP, every
/// link on them is followed, and, when Chromium is installed, a headless browser loads them.
@Suite("web view on slipway dev", .serialized, .timeLimit(.minutes(5)))
struct WebViewEndToEndTests {
    /// The jobs scripts/screenshots.sh shows: oom-adapt, bad-rows (index 1 raises a
    /// ValueError with markup in it), spark-pi (runs five minutes), spark-pi-done.
    static var jobs: String {
        get throws {
            let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            return try String(contentsOf: repository.appendingPathComponent("scripts/web-demo-jobs.yaml"), encoding: .utf8)
        }
    }

    @Test func pagesOfRealJobsLogsAndTheProxiedSparkUI() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-web-\(UUID().uuidString)")
        let home = root.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let dev = try OperatorProcess(
            ["--ephemeral", "--data-dir", root.appendingPathComponent("data").path, "--port", "0", "--spark-stand-in", "--web-address", "127.0.0.1:0"],
            command: "dev")
        defer { dev.stop() }
        let started = try await eventually(timeout: .seconds(60)) { dev.stdout.contains("Press Ctrl-C") || !dev.process.isRunning }
        #expect(started && dev.process.isRunning, "stdout:\n\(dev.stdout)\nstderr:\n\(dev.stderr.suffix(3000))")
        let lines = dev.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let kubeconfig = try #require(lines.first { $0.hasPrefix("export KUBECONFIG=") }.map { String($0.dropFirst("export KUBECONFIG=".count)) })
        let webPrefix = "Jobs, logs and Spark UIs in a browser: "
        let web = try #require(lines.first { $0.hasPrefix(webPrefix) }.flatMap { URL(string: String($0.dropFirst(webPrefix.count))) }, "\(dev.stdout)")

        let kubectl = Kubectl(kubeconfig: URL(fileURLWithPath: kubeconfig), home: home)
        try await kubectl.require(["apply", "-f", "-"], input: try Self.jobs)
        for (job, condition) in [("batchjob/oom-adapt", "Succeeded"), ("batchjob/bad-rows", "Failed"), ("sparkjob/spark-pi-done", "Succeeded")] {
            let done = try await kubectl.run(["wait", "--for=condition=\(condition)", job, "--timeout=120s"], timeout: .seconds(130))
            #expect(done.status == 0, "\(job): \(done)\n\(dev.stderr.suffix(3000))")
        }
        let running = try await eventually(timeout: .seconds(60)) {
            (try? await kubectl.require(["get", "sparkjob", "spark-pi", "-o", "jsonpath={.status.phase}"]).out) == "Running"
        }
        #expect(running)

        // The list: every job, newest first, filterable; every link on it works.
        let list = try await Self.get(web)
        #expect(list.status == 200)
        for name in ["oom-adapt", "bad-rows", "spark-pi", "spark-pi-done"] { #expect(list.body.contains(">\(name)</a>"), "\(name) missing:\n\(list.body)") }
        let sparkOnly = try await Self.get(URL(string: "?kind=SparkJob", relativeTo: web)!)
        #expect(sparkOnly.body.contains(">spark-pi</a>") && !sparkOnly.body.contains(">oom-adapt</a>"))
        try await Self.followLinks(of: list.body, at: web)

        // The OOM-adapted job: its attempts, the class, and what changed for the next.
        let oomURL = URL(string: "jobs/BatchJob/default/oom-adapt", relativeTo: web)!
        let oom = try await Self.get(oomURL)
        #expect(oom.status == 200)
        for text in ["OutOfMemory", "OOMKilled", "memory 100Mi", "memory 200Mi", "<span class=\"phase Succeeded\">Succeeded</span>"] {
            #expect(oom.body.contains(text), "missing \(text):\n\(oom.body)")
        }
        try await Self.followLinks(of: oom.body, at: oomURL)

        // The failed index: the exception at the top of the job page and of its log, escaped.
        let badURL = URL(string: "jobs/BatchJob/default/bad-rows", relativeTo: web)!
        let bad = try await Self.get(badURL)
        #expect(bad.body.contains("ValueError: bad row &lt;b&gt;42&lt;/b&gt;: expected 7 fields, got 5") && !bad.body.contains("<b>42</b>"), "\(bad.body)")
        let log = try await Self.get(URL(string: "jobs/BatchJob/default/bad-rows/logs?pod=bad-rows-1-0", relativeTo: web)!)
        #expect(log.status == 200, "\(log.body)")
        #expect(log.body.contains("<span class=\"err\">ValueError: bad row &lt;b&gt;42&lt;/b&gt;: expected 7 fields, got 5</span>"), "\(log.body)")
        let exception = try #require(log.body.range(of: "<h2 id=\"exception\">Exception</h2>"), "\(log.body)")
        #expect(exception.lowerBound < log.body.range(of: "<h2>Output</h2>")!.lowerBound)
        #expect(try await Self.get(URL(string: "jobs/BatchJob/default/bad-rows/logs?pod=spark-pi-0-driver", relativeTo: web)!).status == 404,
                "only the job's own pods")

        // The running SparkJob: its page links the proxied UI; the driver's redirect comes back
        // under the prefix, and the UI's own links work through it.
        let piURL = URL(string: "jobs/SparkJob/default/spark-pi", relativeTo: web)!
        let pi = try await Self.get(piURL)
        #expect(pi.body.contains("href=\"../../../spark/default/spark-pi/\""), "\(pi.body)")
        let ui = try await Self.get(URL(string: "spark/default/spark-pi/", relativeTo: web)!)
        #expect(ui.status == 200 && ui.body.contains("Spark UI (stand-in): Jobs"), "\(ui.body)")
        #expect(ui.url?.host == web.host && ui.url?.port == web.port && ui.url?.path == "/spark/default/spark-pi/jobs", "\(String(describing: ui.url))")
        #expect(ui.body.contains("href=\"/spark/default/spark-pi/executors/\""), "\(ui.body)")
        try await Self.followLinks(of: ui.body, at: ui.url!)
        // The running driver's log is followed: the page streams (read for three seconds).
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") {
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments = ["-s", "--max-time", "3", URL(string: "jobs/SparkJob/default/spark-pi/logs?pod=spark-pi-0-driver", relativeTo: web)!.absoluteString]
            let streamed = try await runToEnd(curl, timeout: .seconds(20))
            #expect(streamed.out.contains("The container runs: lines appear as it writes them.") && streamed.out.contains("Running Spark version"),
                    "\(streamed)")
            #expect(!streamed.out.contains("</html>"), "a followed log stays open while the driver runs")
        }
        let finished = try await Self.get(URL(string: "spark/default/spark-pi-done/", relativeTo: web)!)
        #expect(finished.body.contains("The application has finished (Succeeded)") && finished.body.contains("href=\"../../../jobs/SparkJob/default/spark-pi-done\""),
                "\(finished.body)")

        // A real browser loads the pages, when Chromium is installed (scripts/setup.sh).
        if let chromium = Self.chromium() {
            for (url, heading) in [(web, "<h1>Jobs</h1>"), (badURL, "<h1>BatchJob default/bad-rows</h1>"), (URL(string: "spark/default/spark-pi/", relativeTo: web)!, "Spark UI (stand-in)")] {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: chromium)
                process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(root.appendingPathComponent("chromium").path)", "--dump-dom", url.absoluteString]
                let dom = try await runToEnd(process, timeout: .seconds(60))
                #expect(dom.out.contains(heading), "chromium loaded \(url.absoluteString):\n\(dom.out.prefix(2000))\n\(dom.err.suffix(2000))")
            }
        }
        dev.terminate()
        #expect(try await dev.waitForExit(timeout: .seconds(30)) == 0, "\(dev.stderr.suffix(3000))")
    }

    /// `slipway dev` serves the view on 127.0.0.1:8090 by default; when that port is taken
    /// (here by a Python server the test starts, or anything else), on a free one.
    @Test func aTakenDefaultPortFallsBackToAFreeOne() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-web-port-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-m", "http.server", "8090", "--bind", "127.0.0.1"]
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        defer { holder.terminate() }
        let taken = try await eventually(timeout: .seconds(20)) { (try? await Self.get(URL(string: "http://127.0.0.1:8090/")!)) != nil }
        #expect(taken, "nothing listens on 8090")
        let dev = try OperatorProcess(["--ephemeral", "--data-dir", root.path, "--port", "0", "--spark-stand-in"], command: "dev")
        defer { dev.stop() }
        let started = try await eventually(timeout: .seconds(60)) { dev.stdout.contains("Press Ctrl-C") || !dev.process.isRunning }
        #expect(started && dev.process.isRunning, "stdout:\n\(dev.stdout)\nstderr:\n\(dev.stderr.suffix(3000))")
        let prefix = "Jobs, logs and Spark UIs in a browser: "
        let line = dev.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix(prefix) }
        let web = try #require(line.flatMap { URL(string: String($0.dropFirst(prefix.count))) }, "\(dev.stdout)")
        #expect(web.host == "127.0.0.1" && web.port != 8090, "\(web)")
        let serves = try await eventually(timeout: .seconds(20)) { (try? await Self.get(web).body.contains("<h1>Jobs</h1>")) == true }
        #expect(serves, "the view answers once the operator's caches have listed")
        dev.terminate()
        #expect(try await dev.waitForExit(timeout: .seconds(30)) == 0, "\(dev.stderr.suffix(3000))")
    }

    /// `slipway operator --web-address` (what the chart's web.enabled passes) serves the view
    /// from its own caches, beside a `slipway dev --no-operator`, and stops with the rest.
    @Test func theOperatorProcessServesTheViewWithWebAddress() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-web-op-\(UUID().uuidString)")
        let home = root.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let dev = try OperatorProcess(
            ["--no-operator", "--ephemeral", "--data-dir", root.appendingPathComponent("data").path, "--port", "0", "--spark-stand-in"], command: "dev")
        defer { dev.stop() }
        let started = try await eventually(timeout: .seconds(60)) { dev.stdout.contains("Press Ctrl-C") || !dev.process.isRunning }
        #expect(started && dev.process.isRunning, "\(dev.stdout)\n\(dev.stderr.suffix(3000))")
        #expect(!dev.stdout.contains("Jobs, logs and Spark UIs"), "no operator here, so no view")
        let lines = dev.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let kubeconfig = try #require(lines.first { $0.hasPrefix("export KUBECONFIG=") }.map { String($0.dropFirst("export KUBECONFIG=".count)) })
        let kubectl = Kubectl(kubeconfig: URL(fileURLWithPath: kubeconfig), home: home)
        try await kubectl.require(["apply", "-f", "-"], input: """
            apiVersion: slipway.dev/v1alpha1
            kind: BatchJob
            metadata: {name: hello}
            spec:
              template:
                spec:
                  containers: [{name: main, image: busybox, command: ["sh", "-c", "echo hello"]}]
            """)
        // A queue that admits one job at a time: the second waits, and its page says where.
        try await kubectl.require(["apply", "-f", "-"], input: """
            apiVersion: slipway.dev/v1alpha1
            kind: JobQueue
            metadata: {name: one}
            spec: {limits: {jobs: 1}}
            ---
            apiVersion: slipway.dev/v1alpha1
            kind: BatchJob
            metadata: {name: first}
            spec:
              queue: one
              template:
                spec:
                  containers: [{name: main, image: busybox, command: ["sh", "-c", "sleep 120"]}]
            """)
        try await kubectl.require(["apply", "-f", "-"], input: """
            apiVersion: slipway.dev/v1alpha1
            kind: BatchJob
            metadata: {name: second}
            spec:
              queue: one
              template:
                spec:
                  containers: [{name: main, image: busybox, command: ["sh", "-c", "echo hi"]}]
            """)
        let op = try OperatorProcess([
            "--kubeconfig", kubeconfig, "--metrics-port", "0", "--health-port", "0", "--bind-address", "127.0.0.1", "--web-address", "127.0.0.1:0",
        ])
        defer { op.stop() }
        let web = try await op.url("web")
        let done = try await kubectl.run(["wait", "--for=condition=Succeeded", "batchjob/hello", "--timeout=90s"], timeout: .seconds(100))
        #expect(done.status == 0, "\(done)\n\(op.stderr.suffix(3000))")
        let page = try await Self.get(URL(string: "jobs/BatchJob/default/hello", relativeTo: web)!)
        #expect(page.status == 200 && page.body.contains("<span class=\"phase Succeeded\">Succeeded</span>"), "\(page.body)")
        let log = try await Self.get(URL(string: "jobs/BatchJob/default/hello/logs?pod=hello-0-0", relativeTo: web)!)
        #expect(log.status == 200 && log.body.contains("hello\n</pre>"), "\(log.body)")
        var queued = ""
        let waits = try await eventually(timeout: .seconds(30)) {
            queued = (try? await Self.get(URL(string: "jobs/BatchJob/default/second", relativeTo: web)!).body) ?? ""
            return queued.contains("waiting for admission: position 1 of 1 in queue one")
        }
        #expect(waits, "\(queued)")
        let inQueue = try await Self.get(URL(string: "?queue=one", relativeTo: web)!)
        #expect(inQueue.body.contains(">first</a>") && inQueue.body.contains(">second</a>") && !inQueue.body.contains(">hello</a>"), "\(inQueue.body)")
        op.terminate()
        #expect(try await op.waitForExit(timeout: .seconds(30)) == 0, "\(op.stderr.suffix(3000))")
        dev.terminate()
        #expect(try await dev.waitForExit(timeout: .seconds(30)) == 0)
    }

    static func get(_ url: URL) async throws -> (status: Int, body: String, url: URL?) {
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(from: url.absoluteURL)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self), response.url)
    }

    /// Every `href` on a page answers 200 (relative ones resolved against the page).
    static func followLinks(of html: String, at page: URL) async throws {
        var rest = html[...]
        while let start = rest.range(of: "href=\"") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            let href = String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&")
            rest = rest[end...]
            guard let url = URL(string: href, relativeTo: page) else { Issue.record("not a URL: \(href)"); continue }
            let answer = try await get(url)
            #expect(answer.status == 200, "\(href) on \(page.absoluteString) → \(url.absoluteString): \(answer.status)")
        }
    }

    /// Chromium, as Debian installs it, if it is there.
    static func chromium() -> String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
