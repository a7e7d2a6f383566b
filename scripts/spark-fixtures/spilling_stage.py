"""A spilling stage: a global sort of more rows than the tasks' execution memory holds, so the
sorter writes runs to disk and merges them back."""
from pyspark.sql import functions as F

from common import done, session

spark = session("spilling-stage", spark_driver_memory="1g", spark_sql_shuffle_partitions="2",
                spark_sql_adaptive_coalescePartitions_enabled="false")
(spark.range(0, 6_000_000, numPartitions=4)
    .withColumn("s", F.sha2(F.col("id").cast("string"), 256))
    .withColumn("t", F.sha2(F.col("s"), 256))
    .orderBy("s")
    .write.format("noop").mode("overwrite").save())
done(spark)
