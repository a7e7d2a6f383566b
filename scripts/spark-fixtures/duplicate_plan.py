"""The duplicate-plan anti-pattern: the same aggregation is built and run twice with nothing
cached, so the second run recomputes everything the first did."""
from pyspark.sql import functions as F

from common import done, scratch, session

spark = session("duplicate-plan")
path = scratch("events")
(spark.range(0, 1_000_000)
    .withColumn("user", F.col("id") % 1000)
    .withColumn("payload", F.expr("repeat(cast(id as string), 4)"))
    .write.mode("overwrite").parquet(path))


def user_digest():
    # Costly per row, so that recomputing it shows in the task time.
    return (spark.read.parquet(path)
            .withColumn("h", F.crc32(F.sha2(F.concat_ws("/", F.col("payload"), F.col("id")), 512)))
            .groupBy("user")
            .agg(F.sum("h").alias("digest"), F.count("*").alias("events")))


report = user_digest().collect()                                      # the plan runs …
again = user_digest().collect()                                       # … and runs again, uncached
done(spark)
