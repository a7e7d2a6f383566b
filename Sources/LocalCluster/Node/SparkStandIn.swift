import Foundation

/// A stand-in for a Spark image on local nodes (`slipway dev`): images have no entrypoint
/// here, so containers of images starting with one of ``imagePrefixes`` and without a
/// `command` run this Python program (standard library only), which plays Spark's part —
/// `driver` reads spark.properties and creates the executor pods Spark's driver would
/// create (through the API, with the in-cluster service account), waits for them and
/// exits as Spark does, serving a minimal UI on `spark.ui.port` (4040) of its pod address while
/// it runs (its links under `spark.ui.proxyBase`, as Spark's are); `executor` holds
/// `$STANDIN_MEMORY_MB` MiB for `$STANDIN_SECONDS`.
/// It lets SparkJobs run end to end without a JVM (docs/slipway-dev.md). A test aid: with
/// `spark.eventLog.enabled=true` and `$STANDIN_EVENT_LOG` naming a recorded event log (a file,
/// or a Spark 4 rolling log directory, such as the fixtures of `Tests/SparkAnalysisTests`),
/// the driver replays it into `spark.eventLog.dir` as Spark writes one — in progress while the
/// driver runs, finished when it exits — so the analysis sidecar has a real log to read.
public enum SparkStandIn {
    /// Images whose entrypoint the stand-in plays.
    public static let imagePrefixes = ["apache/spark", "spark:", "docker.io/apache/spark", "ghcr.io/apache/spark"]

    /// Writes the program into `directory` and returns the entrypoints for the Spark images.
    public static func install(in directory: URL) throws -> [String: [String]] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("spark-standin.py")
        try program.write(to: path, atomically: true, encoding: .utf8)
        return Dictionary(uniqueKeysWithValues: imagePrefixes.map { ($0, ["python3", path.path]) })
    }

    /// The program's source.
    public static let program = #"""
#!/usr/bin/env python3
# Plays a Spark image's part on slipway dev's local nodes (standard library only).
#   driver --properties-file F --class C APP [ARGS]: reads spark.properties, creates the
#     executor pods Spark's driver would (names, labels, owner, resources, node selectors,
#     env), waits for them and exits as Spark does: 0, or 1 with Spark's exception text
#     when an executor was lost. While it runs it serves a minimal Spark UI on
#     $SPARK_DRIVER_BIND_ADDRESS:spark.ui.port (4040) whose links and redirects carry
#     spark.ui.proxyBase, as Spark's do (unless spark.ui.enabled=false).
#   executor: holds $STANDIN_MEMORY_MB MiB (default 50) for $STANDIN_SECONDS (default 1).
#   With spark.eventLog.enabled=true and $STANDIN_EVENT_LOG (a recorded event log: a file or
#     a rolling log directory), the driver replays it into spark.eventLog.dir: in progress
#     while it runs, finished when it exits (a test aid for the analysis sidecar).
import html, http.server, json, os, shutil, ssl, sys, threading, time, urllib.request

ROOT = os.environ.get("SLIPWAY_POD_ROOT", "")
SA = ROOT + "/var/run/secrets/kubernetes.io/serviceaccount"


def properties(path):
    out = {}
    for raw in open(path, encoding="utf-8").read().splitlines():
        line = raw.strip()
        if not line or line[0] in "#!":
            continue
        key, value, i, escaped = "", "", 0, False
        while i < len(line):
            c = line[i]
            if escaped:
                key += c
                escaped = False
            elif c == "\\":
                escaped = True
            elif c in "=:":
                break
            else:
                key += c
            i += 1
        rest, value, escaped = line[i + 1:], "", False
        for c in rest:
            if escaped:
                value += {"n": "\n", "t": "\t"}.get(c, c)
                escaped = False
            elif c == "\\":
                escaped = True
            else:
                value += c
        out[key.strip()] = value.strip()
    return out


def api(method, path, body=None):
    host, port = os.environ["KUBERNETES_SERVICE_HOST"], os.environ["KUBERNETES_SERVICE_PORT"]
    context = ssl.create_default_context(cafile=SA + "/ca.crt")
    token = open(SA + "/token").read().strip()
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request("https://%s:%s%s" % (host, port, path), data=data, method=method, headers={
        "Authorization": "Bearer " + token, "Content-Type": "application/json", "Accept": "application/json",
        "User-Agent": "spark-standin"})
    with urllib.request.urlopen(request, context=context, timeout=30) as response:
        return json.loads(response.read())


def mib(text):
    text = text.strip().lower()
    units = {"k": 1.0 / 1024, "kb": 1.0 / 1024, "m": 1, "mb": 1, "g": 1024, "gb": 1024, "t": 1 << 20, "tb": 1 << 20}
    digits = "".join(c for c in text if c.isdigit())
    return int(int(digits) * units.get(text[len(digits):], 1))


def prefixed(props, prefix):
    return {k[len(prefix):]: v for k, v in props.items() if k.startswith(prefix)}


def replay_event_log(props, app_id):
    """Copies $STANDIN_EVENT_LOG into spark.eventLog.dir as an in-progress log; returns what
    marks it finished (Spark renames the log when the application ends), or None."""
    source = os.environ.get("STANDIN_EVENT_LOG", "")
    if props.get("spark.eventLog.enabled") != "true" or not source:
        return None
    target = props.get("spark.eventLog.dir", "/tmp/spark-events")
    if target.startswith("file:"):
        target = target[len("file:"):]
        while target.startswith("//"):
            target = target[1:]
    target = ROOT + target
    os.makedirs(target, exist_ok=True)
    if os.path.isdir(source):
        names = sorted(os.listdir(source))
        status = [n for n in names if n.startswith("appstatus_")]
        log_id = status[0][len("appstatus_"):].replace(".inprogress", "") if status else app_id
        directory = os.path.join(target, "eventlog_v2_" + log_id)
        os.makedirs(directory, exist_ok=True)
        marker = os.path.join(directory, "appstatus_" + log_id)
        open(marker + ".inprogress", "wb").close()
        for name in names:
            if name.startswith("events_"):
                shutil.copyfile(os.path.join(source, name), os.path.join(directory, name))
        print("Replaying the event log %s into %s" % (source, directory), flush=True)
        return lambda: os.rename(marker + ".inprogress", marker)
    name = os.path.basename(source).replace(".inprogress", "")
    path = os.path.join(target, name)
    shutil.copyfile(source, path + ".inprogress")
    print("Replaying the event log %s into %s" % (source, path), flush=True)
    return lambda: os.rename(path + ".inprogress", path)


def serve_ui(props):
    address = os.environ.get("SPARK_DRIVER_BIND_ADDRESS", "")
    if props.get("spark.ui.enabled", "true") == "false" or not address:
        return
    base = props.get("spark.ui.proxyBase", "").rstrip("/")
    port = int(props.get("spark.ui.port", "4040"))
    app_name, app_id = html.escape(props.get("spark.app.name", "spark")), html.escape(props.get("spark.app.id", ""))

    class UI(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.split("?")[0].rstrip("/")
            if path == "":
                # Spark redirects / to its jobs page, an absolute URL under the proxy base.
                self.send_response(302)
                self.send_header("Location", "http://%s:%d%s/jobs/" % (address, port, base))
                self.end_headers()
                return
            if path not in ("/jobs", "/executors"):
                self.send_error(404)
                return
            page, other = ("Jobs", "executors") if path == "/jobs" else ("Executors", "jobs")
            body = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s - %s - Spark UI</title></head><body>"
                    "<h1>Spark UI (stand-in): %s</h1><p>Application <code>%s</code>, %s. slipway dev's Spark stand-in serves this "
                    "page while the driver runs; real Spark serves its whole UI here.</p><p><a href=\"%s/%s/\">%s</a></p></body></html>"
                    % (app_name, page, page, app_id, app_name, base, other, other.capitalize())).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html;charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    try:
        server = http.server.ThreadingHTTPServer((address, port), UI)
    except OSError as error:
        print("Spark UI not started: %s" % error, flush=True)
        return
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("Spark UI (stand-in) at http://%s:%d%s" % (address, port, base or "/"), flush=True)


def driver(args):
    conf = args[args.index("--properties-file") + 1]
    props = properties(ROOT + conf)
    finish_log = replay_event_log(props, props.get("spark.app.id", "app"))
    try:
        driver_run(props)
    finally:
        if finish_log:
            finish_log()


def driver_run(props):
    namespace = props["spark.kubernetes.namespace"]
    app_id, app_name = props["spark.app.id"], props.get("spark.app.name", "spark")
    driver_name = props["spark.kubernetes.driver.pod.name"]
    me = api("GET", "/api/v1/namespaces/%s/pods/%s" % (namespace, driver_name))
    serve_ui(props)
    labels = me["metadata"].get("labels", {})
    if props.get("spark.dynamicAllocation.enabled") == "true":
        count = int(props.get("spark.dynamicAllocation.initialExecutors", props.get("spark.dynamicAllocation.minExecutors", "0")))
    else:
        count = int(props.get("spark.executor.instances", "2"))
    memory = mib(props.get("spark.executor.memory", "1g"))
    factor = float(props.get("spark.executor.memoryOverheadFactor", props.get("spark.kubernetes.memoryOverheadFactor", "0.1")))
    overhead = mib(props["spark.executor.memoryOverhead"]) if "spark.executor.memoryOverhead" in props else max(int(factor * memory), 384)
    cores = props.get("spark.executor.cores", "1")
    prefix = props.get("spark.kubernetes.executor.podNamePrefix", driver_name[:-len("-driver")] if driver_name.endswith("-driver") else driver_name)
    image = props.get("spark.kubernetes.executor.container.image", props.get("spark.kubernetes.container.image", ""))
    selector = dict(prefixed(props, "spark.kubernetes.node.selector."))
    selector.update(prefixed(props, "spark.kubernetes.executor.node.selector."))
    env = [{"name": k, "value": v} for k, v in sorted(prefixed(props, "spark.executorEnv.").items())]
    print("Running Spark version %s (stand-in); requesting %d executors with %dm memory" % (labels.get("spark-version", "?"), count, memory + overhead), flush=True)
    for i in range(1, count + 1):
        pod_labels = {"spark-app-selector": app_id, "spark-role": "executor", "spark-exec-id": str(i),
                      "spark-exec-resourceprofile-id": "0", "spark-app-name": labels.get("spark-app-name", app_name),
                      "spark-version": labels.get("spark-version", "")}
        pod_labels.update(prefixed(props, "spark.kubernetes.executor.label."))
        pod = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "%s-exec-%d" % (prefix, i), "labels": pod_labels,
                            "ownerReferences": [{"apiVersion": "v1", "kind": "Pod", "name": driver_name,
                                                 "uid": me["metadata"]["uid"], "controller": True}]},
               "spec": {"restartPolicy": "Never", "nodeSelector": selector, "containers": [{
                   "name": "spark-kubernetes-executor", "image": image, "args": ["executor"],
                   "env": [{"name": "SPARK_EXECUTOR_ID", "value": str(i)}, {"name": "SPARK_APPLICATION_ID", "value": app_id},
                           {"name": "SPARK_EXECUTOR_MEMORY", "value": props.get("spark.executor.memory", "1g")},
                           {"name": "SPARK_EXECUTOR_CORES", "value": cores},
                           {"name": "SPARK_DRIVER_URL", "value": "spark://CoarseGrainedScheduler@%s:%s" % (props.get("spark.driver.host", ""), props.get("spark.driver.port", "7078"))}] + env,
                   "resources": {"requests": {"cpu": cores, "memory": "%dMi" % (memory + overhead)},
                                 "limits": {"memory": "%dMi" % (memory + overhead)}}}]}}
        api("POST", "/api/v1/namespaces/%s/pods" % namespace, pod)
    deadline = time.time() + float(os.environ.get("STANDIN_DRIVER_TIMEOUT", "600"))
    selector_text = "spark-app-selector%3D" + app_id + "%2Cspark-role%3Dexecutor"
    while time.time() < deadline:
        pods = api("GET", "/api/v1/namespaces/%s/pods?labelSelector=%s" % (namespace, selector_text))["items"]
        done = [p for p in pods if p.get("status", {}).get("phase") in ("Succeeded", "Failed")]
        if len(done) >= count:
            failed = [p for p in done if p["status"]["phase"] == "Failed"]
            if failed:
                pod = failed[0]
                executor_id = pod["metadata"]["labels"].get("spark-exec-id", "?")
                state = (pod["status"].get("containerStatuses") or [{}])[0].get("state", {}).get("terminated", {})
                code = state.get("exitCode", 1)
                hint = "(SIGKILL, possible container OOM)" if code == 137 else ""
                print("Exception in thread \"main\" org.apache.spark.SparkException: Job aborted due to stage failure: "
                      "Task 0 in stage 0.0 failed 4 times, most recent failure: Lost task 0.3 in stage 0.0 (executor %s): "
                      "ExecutorLostFailure (executor %s exited caused by one of the running tasks) Reason: "
                      "The executor with id %s exited with exit code %s%s." % (executor_id, executor_id, executor_id, code, hint), flush=True)
                sys.exit(1)
            print("Pi is roughly 3.14 (%d executors finished)" % count, flush=True)
            sys.exit(0)
        time.sleep(0.25)
    print("Exception in thread \"main\" java.util.concurrent.TimeoutException: executors did not finish", flush=True)
    sys.exit(1)


def executor():
    size = int(os.environ.get("STANDIN_MEMORY_MB", "50"))
    print("Executor %s starting; using %d MiB" % (os.environ.get("SPARK_EXECUTOR_ID", "?"), size), flush=True)
    block = b"x" * (size << 20)
    time.sleep(float(os.environ.get("STANDIN_SECONDS", "1")))
    print("Executor finished (%d bytes held)" % len(block), flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "driver":
        driver(sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "executor":
        executor()
    else:
        print("usage: spark-standin.py driver|executor ...", file=sys.stderr)
        sys.exit(2)
"""#
}
