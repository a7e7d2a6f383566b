"""A skewed stage: nine rows in ten share one key, so after the shuffle one task does nearly
all the (costly) work while the others finish at once."""
from pyspark.sql import functions as F

from common import done, scratch, session

spark = session("skewed-stage", spark_sql_adaptive_coalescePartitions_enabled="false")
rows = 8_000_000
(spark.range(0, rows, numPartitions=8)
    .withColumn("k", F.when(F.col("id") < rows * 9 // 10, F.lit(0)).otherwise(F.col("id") % 64))
    .repartition(8, "k")
    .withColumn("h", F.crc32(F.sha2(F.sha2(F.col("id").cast("string"), 512), 512)))
    .groupBy("k").agg(F.sum("h").alias("digest"))
    .write.mode("overwrite").parquet(scratch("per-key")))
done(spark)
