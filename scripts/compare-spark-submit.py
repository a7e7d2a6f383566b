"""Compares the driver pods and spark.properties that the real spark-submit created
(names real-*) with Slipway's (ours-*), pair by pair (pi: Scala SparkPi, py: PySpark pi.py).

Usage: compare-spark-submit.py DRIVERS_JSON CONFIGMAPS_JSON   (kubectl get -o json lists)
Run by scripts/compare-spark-submit.sh. Exits 1 on a difference Slipway does not make by design.
"""
import json
import re
import sys

# What Slipway adds or leaves out on purpose (docs/sparkjob.md, "What is created").
BY_DESIGN_FIELDS = re.compile(r"^\.labels\.slipway\.dev/|\.terminationMessagePolicy$")
BY_DESIGN_KEYS = {
    "spark.driver.memory", "spark.executor.memory",  # the defaults, written out (adaptation starts from them)
    "spark.kubernetes.executor.deleteOnTermination", "spark.kubernetes.executor.podNamePrefix",
    "spark.kubernetes.executor.label.slipway.dev/sparkjob-name", "spark.kubernetes.executor.label.slipway.dev/attempt",
    "spark.kubernetes.authenticate.submission.caCertFile", "spark.kubernetes.authenticate.submission.oauthToken",
    "spark.kubernetes.submission.waitAppCompletion",  # submission-only settings of spark-submit
}


def normalise(text, pod):
    prefix = pod["metadata"]["name"][: -len("-driver")]
    text = text.replace(prefix, "PREFIX")
    text = re.sub(r"spark-[0-9a-f]{32}", "APP-ID", text)
    text = re.sub(r"spark-drv-[0-9a-f]{16}-conf-map", "CONF-MAP", text)
    text = re.sub(r"spark-[0-9a-f]{8}-[0-9a-f-]{27}", "LOCAL-DIR", text)
    text = re.sub(r"kube-api-access-[a-z0-9]{5}", "kube-api-access-TOKEN", text)  # the API server's random suffix
    return re.sub(r"(real|ours)-(pi|py)", "NAME", text)


def view(pod):
    meta, spec = pod["metadata"], dict(pod["spec"])
    spec.pop("nodeName", None)
    shown = {"labels": meta.get("labels", {}), "annotations": meta.get("annotations", {}), "spec": spec}
    return json.loads(normalise(json.dumps(shown, sort_keys=True), pod))


def flatten(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from flatten(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from flatten(item, f"{path}[{i}]")
    else:
        yield path, value


def properties(pod, configmaps):
    name = next(v["configMap"]["name"] for v in pod["spec"]["volumes"] if "configMap" in v)
    text = normalise(configmaps[name]["data"]["spark.properties"], pod)
    return dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))


def compare(app, drivers, configmaps):
    real = next(p for p in drivers if p["metadata"]["name"].startswith(f"real-{app}"))
    ours = next(p for p in drivers if p["metadata"]["name"].startswith(f"ours-{app}"))
    unexpected = 0

    def report(by_design, text):
        nonlocal unexpected
        unexpected += not by_design
        print(f"{app}: {'by design' if by_design else 'DIFFERS  '} {text}")

    a, b = dict(flatten(view(real))), dict(flatten(view(ours)))
    for path in sorted(set(a) | set(b)):
        if a.get(path) != b.get(path):
            report(BY_DESIGN_FIELDS.search(path) is not None, f"driver pod {path}: spark-submit {a.get(path)!r}, slipway {b.get(path)!r}")
    pa, pb = properties(real, configmaps), properties(ours, configmaps)
    for key in sorted(set(pa) ^ set(pb)):
        report(key in BY_DESIGN_KEYS, f"spark.properties {key}: {'spark-submit only' if key in pa else 'slipway only'}")
    for key in sorted(set(pa) & set(pb)):
        if key != "spark.app.submitTime" and pa[key] != pb[key]:
            report(False, f"spark.properties {key}: spark-submit {pa[key]!r}, slipway {pb[key]!r}")
    print(f"{app}: driver pod fields compared: {len(set(a) | set(b))}; spark.properties keys: {len(set(pa) | set(pb))} "
          f"(values of the {len(set(pa) & set(pb))} common ones too); unexpected differences: {unexpected}")
    return unexpected


def main():
    drivers = json.load(open(sys.argv[1]))["items"]
    configmaps = {c["metadata"]["name"]: c for c in json.load(open(sys.argv[2]))["items"]}
    unexpected = sum(compare(app, drivers, configmaps) for app in ("pi", "py"))
    sys.exit(1 if unexpected else 0)


if __name__ == "__main__":
    main()
