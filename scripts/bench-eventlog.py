"""Makes a large Spark event log for scripts/bench-analyze.sh by replicating a fixture's body
(everything between the application's start and end) with fresh stage, task, job and SQL
execution ids, until the log reaches the size asked for (MB).

    python3 scripts/bench-eventlog.py FIXTURE MB OUT
"""
import json
import os
import subprocess
import sys

fixture, megabytes, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
if os.path.isdir(fixture):
    files = sorted(f for f in os.listdir(fixture) if f.startswith("events_"))
    raw = b"".join(subprocess.run(["zstd", "-dc", os.path.join(fixture, f)], capture_output=True, check=True).stdout
                   for f in files)
else:
    raw = open(fixture, "rb").read()
events = [json.loads(line) for line in raw.splitlines() if line.strip()]
head = [e for e in events if e["Event"] in ("SparkListenerLogStart", "SparkListenerResourceProfileAdded",
                                             "SparkListenerEnvironmentUpdate", "SparkListenerApplicationStart",
                                             "SparkListenerExecutorAdded", "SparkListenerBlockManagerAdded")]
tail = [e for e in events if e["Event"] == "SparkListenerApplicationEnd"]
body = [e for e in events if e not in head and e not in tail]

ID_KEYS = {"Stage ID": 0, "Job ID": 1, "Task ID": 2, "executionId": 3, "rootExecutionId": 3}


def walk(value, offsets):
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ID_KEYS and isinstance(item, int) and item >= 0:
                value[key] = item + offsets[ID_KEYS[key]]
            elif key in ("Stage IDs", "Parent IDs") and isinstance(item, list):
                value[key] = [i + offsets[0] for i in item]
            elif key == "spark.sql.execution.id" and isinstance(item, str):
                value[key] = str(int(item) + offsets[3])
            else:
                walk(item, offsets)
    elif isinstance(value, list):
        for item in value:
            walk(item, offsets)


step = [10_000, 10_000, 10_000_000, 10_000]
target = megabytes * 1e6
with open(out, "w") as f:
    written = 0
    for e in head:
        written += f.write(json.dumps(e, separators=(",", ":")) + "\n")
    copy = 1
    while written < target:
        offsets = [copy * s for s in step]
        for e in body:
            e2 = json.loads(json.dumps(e))
            walk(e2, offsets)
            written += f.write(json.dumps(e2, separators=(",", ":")) + "\n")
        copy += 1
    for e in tail:
        f.write(json.dumps(e, separators=(",", ":")) + "\n")
print(f"{out}: {written / 1e6:.1f} MB, {copy - 1} copies of {len(body)} events", file=sys.stderr)
