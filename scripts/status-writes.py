#!/usr/bin/env python3
"""Breaks down the job status writes in an audit log (`slipway dev --audit-log`, or any
`slipway bench … --audit-log FILE`): for each job, the sequence of its status PUTs as
`code:phase`, how many sequences of each shape, and the writes that admission cost (status
PUTs whose body says the job waits in its queue: phase Queued) and the 409s.

    scripts/status-writes.py /tmp/audit.jsonl [--top 10]
"""
import argparse
import collections
import json

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("audit_log")
parser.add_argument("--top", type=int, default=10, help="how many sequence shapes to print")
args = parser.parse_args()

sequences = collections.defaultdict(list)
queue_status = 0
with open(args.audit_log) as log:
    for line in log:
        request = json.loads(line)
        path = request.get("path", "")
        if request.get("method") != "PUT" or not path.endswith("/status"):
            continue
        if "/jobqueues/" in path:
            queue_status += 1
            continue
        parts = path.split("/")
        job = "/".join(parts[-4:-1])  # resource/name, namespaced by the path
        status = (request.get("body") or {}).get("status") or {}
        sequences[job].append((request.get("status"), status.get("phase")))

jobs = len(sequences)
writes = sum(len(s) for s in sequences.values())
conflicts = sum(1 for s in sequences.values() for code, _ in s if code == 409)
queued = sum(1 for s in sequences.values() for code, phase in s if phase == "Queued")
shapes = collections.Counter(" | ".join(f"{code}:{phase}" for code, phase in s) for s in sequences.values())
for shape, count in shapes.most_common(args.top):
    print(f"{count:7d}  {shape}")
if jobs:
    print(f"jobs {jobs}; status PUTs {writes} ({writes / jobs:.2f} per job), of them 409 {conflicts}; "
          f"saying Queued {queued} ({queued / jobs:.2f} per job); JobQueue status PUTs {queue_status} ({queue_status / jobs:.3f} per job)")
