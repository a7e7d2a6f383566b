"""A well-behaved application: each query runs once, reads only the partitions it needs, and
nothing spills or waits on a straggler. The analysers must find nothing here."""
from pyspark.sql import functions as F

from common import done, scratch, session

spark = session("clean")
path = scratch("sales")
(spark.range(0, 200_000)
    .withColumn("day", F.expr("date_add(date'2024-01-01', cast(id % 5 as int))"))
    .withColumn("amount", F.col("id") % 97)
    .write.mode("overwrite").partitionBy("day").parquet(path))
totals = (spark.read.parquet(path)
          .where(F.col("day") == "2024-01-03")
          .groupBy((F.col("id") % 10).alias("store"))
          .agg(F.sum("amount").alias("amount")))
totals.write.mode("overwrite").parquet(scratch("totals"))
done(spark)
