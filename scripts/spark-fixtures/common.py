"""What every fixture application shares: a local SparkSession that writes its event log where
scripts/make-spark-fixtures.sh asks, with the codec it asks for, and small shuffles so that the
logs stay small."""
import os
import sys

from pyspark.sql import SparkSession


def session(name, master="local[2]", **conf):
    builder = (
        SparkSession.builder.master(master)
        .appName(name)
        .config("spark.eventLog.enabled", "true")
        .config("spark.eventLog.dir", "file://" + os.environ["SLIPWAY_EVENTLOG_DIR"])
        # What Slipway sets when a SparkJob asks for analysis: heap peaks per stage, sampled often.
        .config("spark.eventLog.logStageExecutorMetrics", "true")
        .config("spark.executor.metrics.pollingInterval", "200ms")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", os.path.join(scratch(), "warehouse"))
        .config("spark.local.dir", os.path.join(scratch(), "local"))
    )
    codec = os.environ.get("SLIPWAY_EVENTLOG_CODEC", "default")
    if codec == "none":
        builder = builder.config("spark.eventLog.compress", "false")
    elif codec != "default":
        builder = builder.config("spark.eventLog.compress", "true").config("spark.eventLog.compression.codec", codec)
    for key, value in conf.items():
        builder = builder.config(key.replace("_", "."), value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark


def scratch(*parts):
    return os.path.join(os.environ["SLIPWAY_SCRATCH"], *parts)


def done(spark):
    spark.stop()
    print(f"{sys.argv[0]}: done", flush=True)
